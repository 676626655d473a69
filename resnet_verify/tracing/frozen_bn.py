"""A frozen BatchNorm written as arithmetic is the batch_norm op it computes.

torchvision's ``FrozenBatchNorm2d`` (and detectron2's, in its own forward) computes ``scale = w *
(running_var + eps).rsqrt()``, ``shift = b - running_mean * scale`` and returns ``x * scale + shift``;
detectron2 also writes it as ``F.batch_norm(x, running_mean, running_var, w, b, training=False)``.
Both are a BatchNorm whose scale and shift are stored tensors. Read from the dataflow, not a class
name: a multiply of the data by a per-channel tensor computed from two or more stored tensors through
a root, whose only reader adds a tensor computed from the same ones and more, is one ``batch_norm`` op
reading all of them (eps from the ``+ eps`` before the root, 0 without one); the add becomes its part.
Whether it trains is then the ``norm_frozen`` rule's question (its tensors are buffers or not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

_ROOTS = ("rsqrt", "sqrt")
_EPS = re.compile(r"^add\(([-+0-9.e]+)\)$")


def _function(op: OpRecord) -> str:
    return str(dict(op.attrs).get("function", op.name))


def _steps(op: OpRecord) -> list[str]:
    chain = dict(op.attrs).get("param_ops")
    return str(chain).split("→") if chain else []


def _eps(steps: Sequence[str]) -> float | None:
    """The eps added before the root: 0.0 without an add, None when the add is no scalar."""
    root = next(i for i, s in enumerate(steps) if s in _ROOTS)
    before = steps[root - 1] if root else ""
    if before.startswith("add"):
        found = _EPS.match(before)
        return float(found.group(1)) if found else None
    return 0.0


def _scale(op: OpRecord) -> bool:
    steps = _steps(op)
    return (
        _function(op) in ("mul", "__mul__", "__rmul__")
        and len(op.inputs) == 1
        and len(op.params) >= 2
        and any(s in _ROOTS for s in steps)
        and bool(op.in_shapes)
        and len(op.in_shapes[0]) >= 2
    )


def join_frozen_bn(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for scale in ops:
        uses = reading.get(scale.id, [])
        if not _scale(scale) or len(uses) != 1:
            continue
        shift = ops[uses[0]]
        if (
            _function(shift) not in ("add", "__add__", "__radd__")
            or shift.inputs != (scale.id,)
            or not set(scale.params) < set(shift.params)
        ):
            continue
        eps = _eps(_steps(scale))
        if eps is None:
            continue
        attrs = {"num_features": scale.in_shapes[0][1], "eps": eps, "momentum": 0.1, "affine": True,
                 "track_running_stats": True}  # fmt: skip
        params = tuple(dict.fromkeys((*scale.params, *shift.params)))
        out[scale.id] = replace(scale, name="batch_norm", kind=OpKind.BATCH_NORM, params=params,
                                attrs=make_attrs(attrs))  # fmt: skip
        out[shift.id] = replace(
            shift, kind=OpKind.RESHAPE, params=(), attrs=make_attrs({"part_of": "batch norm"})
        )
    return tuple(out)


__all__ = ["join_frozen_bn"]
