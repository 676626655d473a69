"""A network (or a part of one) run a second time beside its first run: one op, not more blocks.

Test-time augmentation written into ``forward`` (``(self.net(x) + self.net(x.flip(3))) / 2``), a
multi-crop average, a shared backbone run on a second view: the same module is called again on an
input that does not come from its first call's output. Its ops are the same layers over again, so
read as they run they are a second copy of every block after the first pass's head, which the block
finder would count as more blocks per stage and more shared weights. What the model does is one
thing: it runs ``net`` once more. So the second call is read as that one op (its output op keeps the
call's dataflow, ``function: "second run of net"``) and its inner ops as layout (``part_of``), which
alignment and the diff skip; its MACs stay counted, since the model pays them. A copy of ``net`` (its
own module, the same layers) run beside it reads the same way, ``weights: "its own"`` where a second
call of ``net`` is ``"shared"``: an unshared Siamese trunk against a shared one, or an ensemble of
three members against one member run three times, differ in that one attribute.

A call that reads its own earlier output (one block object applied twice in a row) is a deeper
network with shared weights, not a parallel pass: it is left alone (``verify/sharing.py`` says it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import ModuleCall, OpKind, OpRecord, make_attrs, readers

_LAYERS = frozenset({OpKind.CONV, OpKind.LINEAR})
MIN_LAYERS = 2  # one conv applied to two inputs is a layer's design (a shared kernel), not a network


def _external_inputs(ops: Sequence[OpRecord], call: ModuleCall) -> set[int]:
    inside = range(call.first_op, call.end_op)
    return {i for op in ops[call.first_op : call.end_op] for i in op.inputs if i not in inside and i >= 0}


def _descends_from(ops: Sequence[OpRecord], starts: set[int], first: ModuleCall) -> bool:
    """Whether any op in ``starts`` has an ancestor inside ``first``'s ops (or is one)."""
    seen: set[int] = set()
    todo = list(starts)
    while todo:
        i = todo.pop()
        if i in seen or i < 0:
            continue
        seen.add(i)
        if first.first_op <= i < first.end_op:
            return True
        if i >= first.first_op:  # ancestors lie before it; below the first call nothing can reach it
            todo.extend(ops[i].inputs)
    return False


def _second_passes(ops: Sequence[OpRecord], calls: Sequence[ModuleCall]) -> list[ModuleCall]:
    again = [c for c in calls if c.call_index > 0 and c.end_op - c.first_op >= MIN_LAYERS]
    if not again:
        return []  # (a ReLU module called three times a block: one op each, no network)
    first_calls = {c.path: c for c in calls if c.call_index == 0}
    found: list[ModuleCall] = []
    for call in sorted(again, key=lambda c: c.first_op):
        first = first_calls.get(call.path)
        if first is None:
            continue
        if found and call.first_op < found[-1].end_op:
            continue  # inside a pass already read as one op
        layers = sum(op.kind in _LAYERS for op in ops[first.first_op : first.end_op])
        if layers < MIN_LAYERS or first.end_op > call.first_op:
            continue
        if not _descends_from(ops, _external_inputs(ops, call), first):
            found.append(call)
    return found


def _signature(ops: Sequence[OpRecord], call: ModuleCall) -> tuple[tuple[OpKind, object], ...]:
    return tuple((op.kind, op.attrs) for op in ops[call.first_op : call.end_op])


def _residual_adds(ops: Sequence[OpRecord], call: ModuleCall) -> int:
    inside = range(call.first_op, call.end_op)
    return sum(
        op.kind is OpKind.ADD and len(op.inputs) == 2 and all(i in inside for i in op.inputs)
        for op in ops[call.first_op : call.end_op]
    )


def _copies(ops: Sequence[OpRecord], calls: Sequence[ModuleCall]) -> list[tuple[ModuleCall, ModuleCall]]:
    """(copy, original): a network of another module object with the same layers, op for op, run beside
    an earlier one on an input that does not come from it (a Siamese trunk not shared, a deep
    ensemble's members, DER's second backbone). Only whole residual networks (two adds or more): a
    block's parallel branches of one design (ResNeXt written as paths) are the block's own layers."""
    firsts = sorted((c for c in calls if c.call_index == 0 and _residual_adds(ops, c) >= 2),
                    key=lambda c: (c.first_op, c.first_op - c.end_op))  # fmt: skip
    found: list[tuple[ModuleCall, ModuleCall]] = []
    for i, call in enumerate(firsts):
        if found and call.first_op < found[-1][0].end_op:
            continue  # inside a copy already read as one op
        for earlier in firsts[:i]:
            if (
                earlier.type_name == call.type_name
                and earlier.end_op <= call.first_op
                and earlier.end_op - earlier.first_op == call.end_op - call.first_op
                and not any(earlier.first_op < f.end_op and f.first_op <= earlier.first_op for f, _ in found)
                and _signature(ops, earlier) == _signature(ops, call)
                and not _descends_from(ops, _external_inputs(ops, call), earlier)
            ):
                found.append((call, earlier))
                break
    # A copy on another input (a Siamese trunk) or one of several (an ensemble's members) is a run of
    # the same network; a single one on the same input plays another role (a distillation student, a
    # second task's backbone) that may be built otherwise: compared as a network of its own.
    per_original: dict[int, int] = {}
    for _, first in found:
        per_original[first.first_op] = per_original.get(first.first_op, 0) + 1
    return [
        (c, f)
        for c, f in found
        if per_original[f.first_op] >= 2 or _external_inputs(ops, c) != _external_inputs(ops, f)
    ]


def fold_parallel_passes(ops: Sequence[OpRecord], calls: Sequence[ModuleCall]) -> tuple[OpRecord, ...]:
    """Each second call of a module that does not read its first call's output, as one op; a copy of
    an earlier network run beside it, as one op too, its own weights said."""
    passes = [(c, c, "shared") for c in _second_passes(ops, calls)]
    passes += [(c, first, "its own") for c, first in _copies(ops, calls)]
    if not passes:
        return tuple(ops)
    out = list(ops)
    consumers = readers(ops)
    for call, first, weights in passes:
        name = first.path or "the model"
        for op in ops[call.first_op : call.end_op]:
            read_outside = any(r >= call.end_op for r in consumers.get(op.id, []))
            if read_outside or (op.id == call.end_op - 1 and not consumers.get(op.id)):
                attrs = {"function": "second run", "module": name, "weights": weights}
                out[op.id] = replace(op, kind=OpKind.OTHER, attrs=make_attrs(attrs), module_path=call.path)
            else:
                a = dict(op.attrs)
                out[op.id] = replace(
                    op, kind=OpKind.RESHAPE, attrs=make_attrs({**a, "part_of": f"second run of {name}"})
                )
    return tuple(out)


__all__ = ["fold_parallel_passes"]
