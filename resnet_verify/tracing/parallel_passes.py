"""A network (or a part of one) run a second time beside its first run: one op, not more blocks.

Test-time augmentation written into ``forward`` (``(self.net(x) + self.net(x.flip(3))) / 2``), a
multi-crop average, a shared backbone run on a second view: the same module is called again on an
input that does not come from its first call's output. Its ops are the same layers over again, so
read as they run they are a second copy of every block after the first pass's head, which the block
finder would count as more blocks per stage and more shared weights. What the model does is one
thing: it runs ``net`` once more. So the second call is read as that one op (its output op keeps the
call's dataflow, ``function: "second run of net"``) and its inner ops as layout (``part_of``), which
alignment and the diff skip; its MACs stay counted, since the model pays them.

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


def fold_parallel_passes(ops: Sequence[OpRecord], calls: Sequence[ModuleCall]) -> tuple[OpRecord, ...]:
    """Each second call of a module that does not read its first call's output, as one op."""
    passes = _second_passes(ops, calls)
    if not passes:
        return tuple(ops)
    out = list(ops)
    consumers = readers(ops)
    for call in passes:
        name = call.path or "the model"
        for op in ops[call.first_op : call.end_op]:
            read_outside = any(r >= call.end_op for r in consumers.get(op.id, []))
            if read_outside or (op.id == call.end_op - 1 and not consumers.get(op.id)):
                attrs = {"function": f"second run of {name}", "module": name}
                out[op.id] = replace(op, kind=OpKind.OTHER, attrs=make_attrs(attrs), module_path=call.path)
            else:
                a = dict(op.attrs)
                out[op.id] = replace(
                    op, kind=OpKind.RESHAPE, attrs=make_attrs({**a, "part_of": f"second run of {name}"})
                )
    return tuple(out)


__all__ = ["fold_parallel_passes"]
