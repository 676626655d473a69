"""No normalization where the other side has BatchNorm (a normalizer-free network, or a ``norm_layer``
that builds ``nn.Identity``): most BatchNorms gone with nothing in their place is one cause; a few
missing ones (a projection without its BN) stay with the detectors of those places."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def removed_norms(ctx: Context, *, any_stand_in: bool = False) -> Finding | None:
    """Most of the reference's BatchNorms absent, nothing in their place (a normalizer-free network,
    or a ``norm_layer`` that builds nn.Identity): one cause. A few missing BNs (a projection without
    its BN) stay with the detectors of those places."""
    ref = ctx.reference
    total = sum(1 for op in ref.ops if op.kind is OpKind.BATCH_NORM)
    idx = ctx.indices(
        lambda m: (
            m.kind in (MismatchKind.MISSING, MismatchKind.OP)
            and (m.candidate_op is None or any_stand_in)
            and m.reference_op is not None
            and ref.ops[m.reference_op].kind is OpKind.BATCH_NORM
        )
    )
    idx = tuple(i for i in idx if i not in ctx.claimed)
    if not total or 2 * len(idx) < total or _units(ctx, idx) < 2:
        return None  # one stray BN (left after folding the rest) is a layer, not a design
    # The whole signature: the candidate normalizes (almost) nowhere. A network with norms of its
    # own that the alignment could not pair (Res2Net's per-branch BNs) is another design, not this.
    norms = sum(1 for op in ctx.candidate.ops if op.kind in (OpKind.BATCH_NORM, OpKind.NORM))
    convs = sum(1 for op in ctx.candidate.ops if op.kind is OpKind.CONV)
    if 4 * norms > total or 4 * norms > convs:
        return None  # (or a BN after each of its convs, the other side's extra branches with theirs)
    first = ctx.mismatches[idx[0]]
    # With nothing normalizing at all, convs carry their own biases (normalizer-free nets): the same
    # design, not dead weight to remove.
    biases = (
        ctx.indices(lambda m: m.op_kind is OpKind.CONV and m.field == "bias" and m.actual is True)
        if any_stand_in
        else ()
    )
    return Finding(
        pattern=Pattern.NORMALIZATION,
        title="No normalization where the reference has BatchNorm",
        message=(
            f"{len(idx)} of the reference's {total} BatchNorm layers have nothing in their place in the "
            f"candidate ({first.reference_path} ...): an unnormalized network (or a norm layer that builds "
            "an identity)"
            + (f", whose {len(biases)} convs carry biases instead" if biases else "")
            + ". Shapes agree; training behaviour and the state_dict do not."
        ),
        locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
        mismatches=tuple(sorted({*idx, *biases})),
        suggestion=f"{first.source or first.reference_path}: add BatchNorm2d after each conv as the reference does",
        source=first.source,
    )


def _units(ctx: Context, idx: tuple[int, ...]) -> int:
    """In how many of the reference's blocks the missing norms sit (outside blocks counts as one)."""
    ref = ctx.reference
    unit = {o: b.index for b in ref.structure.blocks for o in (*b.main, *b.shortcut, *b.tail)}
    return len({unit.get(ctx.mismatches[i].reference_op or -1, -1) for i in idx})


__all__ = ["removed_norms"]
