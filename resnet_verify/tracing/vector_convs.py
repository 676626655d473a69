"""A Linear written as a 1x1 conv on a vector: ``conv1d(x.unsqueeze(-1))`` with ``Conv1d(c, d, 1)``
(rtdl's and PointNet's "MLP via 1-D conv", Packed-Ensembles' ``PackedLinear`` at one member)
computes ``Linear(c, d)`` exactly. It reads as the Linear, so a refactor compares clean and a real
width change reads as a Linear's.

Only where the unit positions were added to a vector (a view or unsqueeze of an (N, C) tensor,
followed back through ops that keep every position a unit): a 1x1 conv on a globally pooled map
(timm's ``ClassifierHead(use_conv=True)``) is a conv classifier, a variant ``conv_head.py`` names,
unless it is a step of a channel gate (its unit-position path ends multiplying a real map: SE written
with 1x1 convs, as timm, torchvision and NVIDIA's TensorRT export write it, is SE written with
Linears); a 1x1 conv on a real map is a conv. Grouped convs (several members' Linears) stay convs. Op ids
and dataflow are untouched: only kinds and attributes change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

_UNIT_ATTRS = ("kernel_size", "stride", "dilation")


def _units(shape: tuple[int, ...] | None) -> bool:
    """(N, C, 1 ...): channels at positions that are all one."""
    return shape is not None and len(shape) >= 3 and all(s == 1 for s in shape[2:])


def _pointwise(op: OpRecord) -> bool:
    a = dict(op.attrs)
    ones = all(isinstance(a.get(k), tuple) and set(a[k]) == {1} for k in _UNIT_ATTRS)
    return op.kind is OpKind.CONV and ones and set(a.get("padding", (0,))) == {0} and a.get("groups") == 1


def _pooled(ops: Sequence[OpRecord], i: int) -> bool:
    """The vector is a globally pooled map (``x.mean((2, 3))``, ``flatten(avgpool(x))``) through layout
    ops: viewed back to (N, C, 1, 1) it is the pooled map a conv classifier reads (IRN's
    ``gap2d(x, keepdims=True)`` before its 1x1 conv classifier), whose weight is a conv's, not a Linear's."""
    while i >= 0 and ops[i].kind is OpKind.RESHAPE:
        i = ops[i].inputs[0] if ops[i].inputs else -1
    return i >= 0 and ops[i].kind in (OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL)


def _from_a_vector(ops: Sequence[OpRecord], op: OpRecord, memo: dict[int, bool]) -> bool:
    """Back from ``op``'s input through ops on unit positions: an axis added to an (N, C) vector."""
    path: list[int] = []
    i = op.inputs[0] if op.inputs else -1
    found = False
    while i >= 0 and i not in memo:
        src = ops[i]
        layout = src.kind is OpKind.RESHAPE  # views and permutes pass (Packed's member stacking)
        if not layout and (
            not _units(src.out_shape) or src.kind in (OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL)
        ):
            break  # a real map, or a pooled one: a conv on it is a conv
        path.append(i)
        if layout and src.in_shapes and len(src.in_shapes[0]) == 2:
            found = not _pooled(ops, src.inputs[0] if src.inputs else -1)
            break
        i = src.inputs[0] if src.inputs else -1
    if not found and i >= 0 and i in memo:
        found = memo[i]
    for p in path:
        memo[p] = found
    return found


def _gates_a_map(ops: Sequence[OpRecord], reading: dict[int, list[int]], op: OpRecord) -> bool:
    """Forward from ``op`` through ops on unit positions to a multiply with a real map: the conv is a
    step of a channel gate (SE written with 1x1 convs, as timm and torchvision write it), where it
    computes what a Linear on the pooled vector does."""
    todo, seen = [op.id], set()
    while todo:
        i = todo.pop()
        for r in reading.get(i, []):
            user = ops[r]
            if r in seen:
                continue
            seen.add(r)
            if user.kind is OpKind.MUL and any(not _units(s) for s in user.in_shapes):
                return True
            # a sum or concatenation of unit maps alone stays on unit positions (CBAM's channel gate adds
            # its MLP's outputs on the average- and max-pooled vectors before the sigmoid)
            units_only = user.kind not in (OpKind.ADD, OpKind.CAT) or all(_units(s) for s in user.in_shapes)
            if _units(user.out_shape) and units_only:
                todo.append(r)
    return False


def linears_as_convs(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    memo: dict[int, bool] = {}
    reading = readers(ops)
    for op in ops:
        if not (_pointwise(op) and op.in_shapes and _units(op.in_shapes[0])):
            continue
        if not (_from_a_vector(ops, op, memo) or _gates_a_map(ops, reading, op)):
            continue
        a = dict(op.attrs)
        attrs = {
            "bias": a.get("bias"),
            "in_features": a.get("in_channels"),
            "out_features": a.get("out_channels"),
        }
        # shapes as the Linear's, on the vector: its positions are the axes added to call the conv
        vector = (tuple(op.in_shapes[0][:2]), *op.in_shapes[1:])
        shape = tuple(op.out_shape[:2]) if op.out_shape is not None else None
        out[op.id] = replace(
            op, kind=OpKind.LINEAR, attrs=make_attrs(attrs), in_shapes=vector, out_shape=shape
        )
    return tuple(out)
