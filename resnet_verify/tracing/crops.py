"""A negative pad is a crop: ``F.pad(x, (-1, -1, -1, -1))`` takes what ``x[:, :, 1:-1, 1:-1]`` takes
(SiamDW's cropping-inside-residual units, written both ways). It reads as that slice, with the bounds
the index records, so the two spellings compare equal. Op ids and dataflow are untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.op_args import axis_bound
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs


def _as_slice(op: OpRecord) -> str | None:
    a = dict(op.attrs)
    pad, shape = a.get("pad"), op.in_shapes[0] if op.in_shapes else ()
    if op.kind is not OpKind.PAD or not isinstance(pad, tuple) or len(pad) % 2 or len(pad) // 2 > len(shape):
        return None
    if not pad or max(pad) > 0 or (min(pad) == 0 and max(pad) == 0):
        return None  # something padded, or nothing cropped
    ranges = [":" for _ in shape]
    for i in range(len(pad) // 2):  # F.pad lists the last axis first
        axis = len(shape) - 1 - i
        before, after = -pad[2 * i], -pad[2 * i + 1]
        ranges[axis] = axis_bound(before, shape[axis] - after, 1, shape[axis])
    return ", ".join(ranges)


def crops_as_slices(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for op in ops:
        bounds = _as_slice(op)
        if bounds is not None:
            out[op.id] = replace(op, kind=OpKind.SLICE, attrs=make_attrs({"bounds": bounds}))
    return tuple(out)
