"""A pool whose window is one element is a strided slice: ``nn.AvgPool2d(1, 2)`` and
``F.max_pool2d(x, 1, 2)`` take every second pixel, exactly what ``x[:, :, ::2, ::2]`` takes (an
option-A shortcut's subsampling, written both ways in public CIFAR ResNets). Either reads as the
slice, with the bounds and steps the index records, so the two spellings compare equal and a
strided 1x1 conv after it folds the stride as it does after the slice. Op ids and dataflow are
untouched: only kinds and attributes change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

_POOLS = frozenset({OpKind.AVG_POOL, OpKind.MAX_POOL})


def _slice_of(op: OpRecord) -> dict[str, object] | None:
    a = dict(op.attrs)
    kernel, stride, padding = a.get("kernel_size"), a.get("stride"), a.get("padding")
    if op.kind not in _POOLS or not op.in_shapes or not isinstance(kernel, tuple) or set(kernel) != {1}:
        return None
    if (
        not isinstance(stride, tuple)
        or not isinstance(padding, tuple)
        or set(padding) != {0}
        or set(stride) == {1}
    ):
        return None  # (a window and stride of one pools nothing: left for the head's rules, AvgPool2d(1))
    shape = op.in_shapes[0]
    if len(shape) != 2 + len(stride) or op.out_shape is None:
        return None
    taken = tuple(-(-size // s) for size, s in zip(shape[2:], stride, strict=True))
    if tuple(op.out_shape[2:]) != taken:
        return None
    bounds = [":", ":", *(":" + (f":{s}" if s != 1 else "") for s in stride)]
    return {"bounds": ", ".join(bounds), "steps": (1, 1, *stride)}


def _pools_nothing(op: OpRecord) -> bool:
    a = dict(op.attrs)
    ones = [a.get("kernel_size"), a.get("stride")]
    return (
        op.kind in _POOLS
        and all(isinstance(v, tuple) and set(v) == {1} for v in ones)
        and not any(a.get("padding") or ())
    )


def _feeds_the_classifier(ops: Sequence[OpRecord], reading: dict[int, list[int]], op: OpRecord) -> bool:
    """Read (through layout) by a flatten or a Linear: the head's pool, whose window the head's rules read
    (``AvgPool2d(1)`` before a classifier fits one input size)."""
    todo = list(reading.get(op.id, []))
    while todo:
        user = ops[todo.pop()]
        if user.kind in (OpKind.FLATTEN, OpKind.LINEAR):
            return True
        if user.kind is OpKind.RESHAPE:
            todo.extend(reading.get(user.id, []))
    return False


def unit_pools(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    reading = readers(ops)
    for op in ops:
        attrs = _slice_of(op)
        if attrs is not None:
            out[op.id] = replace(op, kind=OpKind.SLICE, attrs=make_attrs(attrs))
        elif _pools_nothing(op) and not _feeds_the_classifier(ops, reading, op):
            # a one-element window at stride 1 (mmseg's avg-down shortcut at stride 1): the identity
            out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "identity"}))
    return tuple(out)
