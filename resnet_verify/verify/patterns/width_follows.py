"""What follows from a width change and belongs to the widths cause: a projection shortcut one side
needs only because its block changes the width, the parameters of a layer of no kind of its own
(an LSTM, an attention) reading wider or narrower features, which of its own modules a
width-switched layer runs, the GroupNorms carrying a width and the concatenations joining one."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import Block, OpKind
from resnet_verify.verify.module_swap import FIELD as SWAP_FIELD
from resnet_verify.verify.patterns.context import Context, attr, fixed_weights
from resnet_verify.verify.records import Mismatch, MismatchKind, Region


def width_projections(ctx: Context) -> tuple[int, ...]:
    """A shortcut projection one side has only because its block changes the width where the other
    side's keeps it (resnet8x4's 32 -> 64 first stage against resnet8's 16 -> 16): the widths' doing,
    not a module added. The shortcut's extra or missing ops in such blocks."""

    def needed(m: Mismatch) -> bool:
        pair = m.block
        if m.region is not Region.SHORTCUT or m.field != "op" or (m.expected is None) == (m.actual is None):
            return False
        if pair is None or pair.reference is None or pair.candidate is None:
            return False
        a, b = ctx.reference.structure.blocks[pair.reference], ctx.candidate.structure.blocks[pair.candidate]
        has, lacks = (b, a) if m.expected is None else (a, b)
        same_size = all(x.in_shape[2:] == x.out_shape[2:] for x in (a, b))
        return (
            same_size
            and has.in_shape[1:2] != has.out_shape[1:2]
            and lacks.in_shape[1:2] == lacks.out_shape[1:2]
        )

    return ctx.indices(needed)


def wider_readers(ctx: Context) -> tuple[int, ...]:
    """Parameter counts of layers of no kind of their own (an LSTM reading the backbone's features, an
    attention) whose input is wider or narrower: they follow from the widths that feed them."""

    def reads_other_width(m: Mismatch) -> bool:
        if m.kind is not MismatchKind.PARAMS or m.reference_op is None or m.candidate_op is None:
            return False
        r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
        return r.kind is c.kind is OpKind.OTHER and r.in_shapes[:1] != c.in_shapes[:1]

    return ctx.indices(reads_other_width)


_SELECTIONS = (OpKind.SLICE, OpKind.OTHER)


def _channels_only(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> bool:
    return a is not None and b is not None and len(a) == len(b) > 1 and a[1] != b[1] and a[2:] == b[2:]


def wider_selections(ctx: Context) -> tuple[int, ...]:
    """Output widths of parameter-free ops that pick another number of channels (network slimming's
    ``channel_selection`` indexing a BN's output by a buffer of indices, all of them before pruning):
    where layers' widths differ, the channels a selection keeps are the same cause."""

    def selects_other_width(m: Mismatch) -> bool:
        if m.kind is not MismatchKind.SHAPE or m.reference_op is None or m.candidate_op is None:
            return False
        r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
        if r.kind is not c.kind or r.kind not in _SELECTIONS or not r.in_shapes or not c.in_shapes:
            return False
        if not all(
            not op.params or fixed_weights(trace, op)
            for trace, op in ((ctx.reference, r), (ctx.candidate, c))
        ):
            return False  # (an index buffer is no weight)
        return _channels_only(r.out_shape, c.out_shape)

    return ctx.indices(selects_other_width)


def width_switched_modules(ctx: Context) -> tuple[int, ...]:
    """Another of its own modules run at a place where the paired ops read other widths (a slimmable
    network's switchable BatchNorm: the width picks which of its norms runs): the width's doing."""

    def switched(m: Mismatch) -> bool:
        if m.field != SWAP_FIELD or m.reference_op is None or m.candidate_op is None:
            return False
        r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
        return r.in_shapes[:1] != c.in_shapes[:1]

    runs = ctx.indices(switched)
    # the norms of a switch the width did not pick: parameters built and never used
    switches = {(ctx.mismatches[i].candidate_path or "").rpartition(".")[0] for i in runs}
    unused = _unused(ctx)
    idle = ctx.indices(
        lambda m: m.field == "params" and m.region is Region.MODEL and m.reference_path is None
        and bool(unused) and all(any(n.startswith(s + ".") for s in switches if s) for n in unused)
    )  # fmt: skip
    return tuple(sorted({*runs, *(idle if runs else ())}))


def _unused(ctx: Context) -> list[str]:
    cand = ctx.candidate
    used = {p for op in cand.ops for p in op.params}
    return [
        p.name for p in cand.params if not p.is_buffer and p.name not in used and not set(p.aliases) & used
    ]


def projection_blocks(ctx: Context, idx: Sequence[int]) -> list[Block]:
    pairs = [ctx.mismatches[i].block for i in idx]
    return [
        ctx.reference.structure.blocks[p.reference]
        for p in pairs
        if p is not None and p.reference is not None
    ]


_CHANNEL_NORMS = frozenset({"group_norm", "instance_norm"})


def _channel_ratio(ctx: Context, i: int, k: int = 0) -> float | None:
    m = ctx.mismatches[i]
    if m.reference_op is None or m.candidate_op is None:
        return None
    r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
    if len(r.in_shapes) <= k or len(c.in_shapes) <= k or len(r.in_shapes[k]) < 2 or len(c.in_shapes[k]) < 2:
        return None
    a, b = r.in_shapes[k][1], c.in_shapes[k][1]
    return round(b / a, 3) if a else None


def norm_widths(ctx: Context, factors: set[float]) -> tuple[int, ...]:
    """A GroupNorm's (or InstanceNorm's) parameter count at one of the network's width ratios, and its
    group count where it changes in that ratio too (``GroupNorm(min(32, dim), dim)``: the group size
    kept): they carry the width they are given."""
    out = []
    for i, m in enumerate(ctx.mismatches):
        if i in ctx.claimed or m.op_kind is not OpKind.NORM or m.candidate_op is None:
            continue
        if attr(ctx.candidate.ops[m.candidate_op], "norm") not in _CHANNEL_NORMS:
            continue
        ratio = _channel_ratio(ctx, i)
        if ratio is None or ratio not in factors:
            continue
        groups = (m.expected, m.actual) if m.field == "num_groups" else None
        if m.kind is MismatchKind.PARAMS or (
            groups is not None
            and all(isinstance(g, int) and g > 0 for g in groups)
            and round(groups[1] / groups[0], 3) == ratio
        ):
            out.append(i)
    return tuple(out)


def wider_concats(ctx: Context, factors: set[float]) -> tuple[int, ...]:
    """A concatenation's output width where each input it joins is as wide as the other side's or at
    one of the network's width ratios (an ODE block's time channel joined to a narrower state)."""
    out = []
    for i, m in enumerate(ctx.mismatches):
        if i in ctx.claimed or m.op_kind is not OpKind.CAT or m.kind is not MismatchKind.SHAPE:
            continue
        if m.reference_op is None or m.candidate_op is None:
            continue
        n = len(ctx.reference.ops[m.reference_op].in_shapes)
        if n != len(ctx.candidate.ops[m.candidate_op].in_shapes):
            continue
        ratios = [_channel_ratio(ctx, i, k) for k in range(n)]
        if (
            ratios
            and all(r is not None and (r == 1.0 or r in factors) for r in ratios)
            and set(ratios) != {1.0}
        ):
            out.append(i)
    return tuple(out)


__all__ = [
    "norm_widths",
    "projection_blocks",
    "wider_concats",
    "wider_readers",
    "width_projections",
    "width_switched_modules",
]
