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

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs

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


def unit_pools(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for op in ops:
        attrs = _slice_of(op)
        if attrs is not None:
            out[op.id] = replace(op, kind=OpKind.SLICE, attrs=make_attrs(attrs))
    return tuple(out)
