"""Width differences that reach a layer without a width of its own: an option-A shortcut's zero channels
and a channel selection's kept positions differ only because the layers around them are wider or
narrower. Each says how many times wider the candidate's output is, for ``widths`` to claim."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Region


def channel_pad_ratio(ctx: Context, i: int) -> float | None:
    """An option-A shortcut's zero channels, more or fewer only because the block is wider or
    narrower: a pad whose amounts differ on the channel axis alone, its output as many times wider."""
    m = ctx.mismatches[i]
    if (
        m.field != "pad"
        or m.region is not Region.SHORTCUT
        or m.reference_op is None
        or m.candidate_op is None
    ):
        return None
    r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
    a, b, shape = m.expected, m.actual, r.in_shapes[0] if r.in_shapes else ()
    if not (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) == 2 * (len(shape) - 1)):
        return None
    spatial = 2 * (len(shape) - 2)
    if a[:spatial] != b[:spatial] or r.out_shape is None or c.out_shape is None or not r.out_shape[1]:
        return None
    return round(c.out_shape[1] / r.out_shape[1], 3) if c.out_shape[1] != r.out_shape[1] else None


def channel_slice_ratio(ctx: Context, i: int) -> float | None:
    """A selection of channels (network slimming's kept-channel index), more or fewer only because the
    layers around it are wider or narrower: bounds that differ on the channel axis alone, its output
    as many times wider."""
    m = ctx.mismatches[i]
    if m.field != "bounds" or m.reference_op is None or m.candidate_op is None:
        return None
    r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
    a, b = str(m.expected).split(", "), str(m.actual).split(", ")
    if r.kind is not OpKind.SLICE or len(a) != len(b) or len(a) < 2 or a[:1] + a[2:] != b[:1] + b[2:]:
        return None
    if r.out_shape is None or c.out_shape is None or len(r.out_shape) < 2 or not r.out_shape[1]:
        return None
    return round(c.out_shape[1] / r.out_shape[1], 3) if c.out_shape[1] != r.out_shape[1] else None


__all__ = ["channel_pad_ratio", "channel_slice_ratio"]
