"""Where a comparison's class count comes from when nobody gave one: the candidate's own head.

A compare without ``--num-classes`` used to mean 1000 on both sides, so a 6-class model got a
"hard-coded class count" finding where the likelier cause is a forgotten flag. Read off the head,
the reference is built to match and the report says where the number came from.
"""

from __future__ import annotations

import enum

from resnet_verify.specs.user_specs import DEFAULT_CLASSES
from resnet_verify.tracing.records import OpKind, Trace

# The classifier is a Linear, or a 1x1 conv in a fully convolutional head.
_CLASSIFIER_ATTR = {OpKind.LINEAR: "out_features", OpKind.CONV: "out_channels"}


class ClassesFrom(str, enum.Enum):
    """How a comparison got its class count."""

    GIVEN = "given"  # --num-classes / the num_classes argument
    HEAD = "head"  # read off the candidate's classifier
    DEFAULT = "default"  # neither: the forward never reached a classifier, so DEFAULT_CLASSES

    def __str__(self) -> str:  # the JSON spelling
        return self.value


def head_classes(trace: Trace) -> int | None:
    """Output features of the last Linear or conv the forward ran after the last residual block (in
    the whole trace when the structure finder found no head); None when there is none."""
    if trace.crash is not None:  # the forward stopped before its classifier ran: the last conv that
        return None  # ran is a trunk layer, and its width is no class count
    head = trace.structure.head or tuple(range(len(trace.ops)))
    for op_id in reversed(head):
        op = trace.ops[op_id]
        name = _CLASSIFIER_ATTR.get(op.kind)
        value = dict(op.attrs).get(name) if name else None
        if isinstance(value, int) and value > 0:
            return value
    return None


def classes_from_head(candidate: Trace) -> tuple[int, ClassesFrom]:
    """The class count to build the reference with when none was given, and where it came from."""
    found = head_classes(candidate)
    if found is None:
        return DEFAULT_CLASSES, ClassesFrom.DEFAULT
    return found, ClassesFrom.HEAD


def classes_phrase(count: int, source: ClassesFrom) -> str:
    """How a report header says it: ``6 classes``, ``6 classes, from the model's head``."""
    text = f"{count} class" if count == 1 else f"{count} classes"
    if source is ClassesFrom.HEAD:
        return f"{text}, from the model's head"
    if source is ClassesFrom.DEFAULT:
        return f"{text}, by default (the forward reached no classifier)"
    return text


__all__ = ["ClassesFrom", "classes_from_head", "classes_phrase", "head_classes"]
