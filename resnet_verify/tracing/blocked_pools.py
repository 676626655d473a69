"""A mean (or max) over the factor axes of a blocked view is the pool over those blocks.

``x.reshape(N, C, H // f, f, W // g, g).mean((3, 5))`` averages every f x g block: exactly
``F.avg_pool2d(x, (f, g))`` (score_sde's ``naive_downsample_2d``, ESRGAN-style ports, hand-written
space-to-depth pools); ``amax`` over them is the max pool. Read as the pool: the mean's slot becomes
the pool reading the view's input, with the attributes ``F.avg_pool2d`` / ``F.max_pool2d`` record,
and the view stays layout. Only a view that splits H into (H // f, f) and W into (W // g, g) in place,
and a reduction over exactly the two factor axes; anything else stays what it is.

The converse, ``x.reshape(N, C, H, 1, W, 1).repeat(1, 1, 1, f, 1, g).reshape(N, C, H * f, W * g)``
(``naive_upsample_2d``), copies every pixel into an f x g block: nearest-neighbour upsampling, as
``F.interpolate(x, scale_factor=f)`` / ``nn.Upsample`` record it (the repeat's slot, from the input map
to the upsampled one; both views layout).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

_POOLED = {"mean": OpKind.AVG_POOL, "amax": OpKind.MAX_POOL}


def _blocks(view: OpRecord) -> tuple[int, int] | None:
    """(f, g) of a view that splits H and W into blocks, else None."""
    if view.kind is not OpKind.RESHAPE or not view.in_shapes or view.out_shape is None:
        return None
    src, out = view.in_shapes[0], view.out_shape
    if len(src) != 4 or len(out) != 6 or tuple(out[:2]) != tuple(src[:2]):
        return None
    if out[2] * out[3] != src[2] or out[4] * out[5] != src[3] or min(out[3], out[5]) < 1:
        return None
    return out[3], out[5]


def _attrs(kind: OpKind, window: tuple[int, int]) -> dict[str, object]:
    common = {"ceil_mode": False, "kernel_size": window, "padding": (0, 0), "stride": window}
    if kind is OpKind.AVG_POOL:
        return {**common, "count_include_pad": True}
    return {**common, "dilation": (1, 1)}


def blocked_pools(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        a = dict(op.attrs)
        kind = _POOLED.get(str(a.get("function")))
        if op.kind is not OpKind.OTHER or kind is None or len(op.inputs) != 1 or op.inputs[0] < 0:
            continue
        view = ops[op.inputs[0]]
        window = _blocks(view)
        if window is None or a.get("dims") not in ((3, 5), (-3, -1)) or reading.get(view.id) != [op.id]:
            continue
        out[op.id] = replace(op, kind=kind, attrs=make_attrs(_attrs(kind, window)), in_shapes=view.in_shapes)
    return tuple(out)


def _unit_axes(view: OpRecord) -> bool:
    """A view of (N, C, H, W) as (N, C, H, 1, W, 1)."""
    if view.kind is not OpKind.RESHAPE or not view.in_shapes or view.out_shape is None:
        return False
    src, out = view.in_shapes[0], view.out_shape
    return len(src) == 4 and tuple(out) == (src[0], src[1], src[2], 1, src[3], 1)


def blocked_repeats(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        a = dict(op.attrs)
        reps = a.get("repeats")
        if (
            op.kind is not OpKind.OTHER
            or a.get("function") != "repeat"
            or len(op.inputs) != 1
            or op.inputs[0] < 0
        ):
            continue
        view, users = ops[op.inputs[0]], reading.get(op.id, [])
        if not _unit_axes(view) or reading.get(view.id) != [op.id] or len(users) != 1:
            continue
        if not isinstance(reps, tuple) or len(reps) != 6 or set(reps[:3]) != {1} or reps[4] != 1:
            continue
        back = ops[users[0]]
        src = view.in_shapes[0]
        if back.kind is not OpKind.RESHAPE or back.out_shape != (
            src[0],
            src[1],
            src[2] * reps[3],
            src[3] * reps[5],
        ):
            continue
        attrs = make_attrs({"function": "interpolate", "mode": "nearest"})
        out[op.id] = replace(op, attrs=attrs, in_shapes=view.in_shapes, out_shape=back.out_shape)
    return tuple(out)


__all__ = ["blocked_pools", "blocked_repeats"]
