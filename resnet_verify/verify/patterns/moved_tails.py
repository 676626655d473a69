"""What follows a stage's last block moves with it when a side has more blocks there: a pre-activation
network's BN-ReLU that opens the next stage runs before that stage's fork, so it sits in the tail of the
stage's last block; with an extra block appended (a WRN-22-2 for a WRN-16-2) the reference's last block
pairs with the candidate's second-last, whose tail is empty, and the BN-ReLU read as missing there. Those
mismatches are the block count's, not a change of their own (heldout114's wrn_22_2 was also "BatchNorm
missing after the add, in 3 blocks")."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Region


def _tail_kinds(ctx: Context, extra: Sequence[int], candidate: bool) -> dict[int, set[object]]:
    """One side's blocks the other lacks -> the kinds of op in their tails."""
    side = ctx.candidate if candidate else ctx.reference
    out: dict[int, set[object]] = {}
    for m in (ctx.mismatches[i] for i in extra):
        pair = m.block
        own, other = (
            (pair.candidate, pair.reference)
            if pair and candidate
            else ((pair.reference, pair.candidate) if pair else (None, None))
        )
        if own is not None and other is None:
            out[own] = {side.ops[o].kind for o in side.structure.blocks[own].tail}
    return out


def moved_tails(ctx: Context, extra: Sequence[int]) -> tuple[int, ...]:
    """Indices of tail ops one side lacks at a block whose next block, on the side that has them, is one the
    other side lacks and holds them in its tail: the candidate's extra blocks, or the reference's."""
    mine, theirs = _tail_kinds(ctx, extra, True), _tail_kinds(ctx, extra, False)
    out = []
    for i, m in enumerate(ctx.mismatches):
        pair = m.block
        if m.field != "op" or m.region is not Region.TAIL or pair is None:
            continue
        if m.actual is None and pair.candidate is not None:  # missing here, held by the candidate's next
            kinds = mine.get(pair.candidate + 1)
        elif m.expected is None and pair.reference is not None:  # extra here, the reference's next holds it
            kinds = theirs.get(pair.reference + 1)
        else:
            kinds = None
        if kinds is not None and m.op_kind in kinds:
            out.append(i)
    return tuple(out)


__all__ = ["moved_tails"]
