"""A skip over whole blocks one side has and the other lacks (RCAN's residual groups, an hourglass's
levels): one residual add around the blocks it holds, not a block missing. The blocks inside are
compared as themselves (tracing/structure.py gives each op to one block), and the group's own conv,
left after the last block when the last group lost its skip, reads as one more conv of the head:
that follows from the lost skip."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from resnet_verify.tracing.records import Block, OpKind, OpRecord, SourceLoc, Trace
from resnet_verify.verify.align import held_blocks
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region


def skip_mismatch(
    trace: Trace, block: Block, pair: BlockPair, lost: bool, source: SourceLoc | None
) -> Mismatch:
    """``lost``: the reference's skip the candidate lacks (``trace`` the reference's), else the candidate's."""
    held = held_blocks(trace, block)
    over = ", ".join(held[:2]) + (f" ... {held[-1]}" if len(held) > 2 else "")
    side = "missing in the candidate" if lost else "extra in the candidate (not in the reference)"
    return Mismatch(
        MismatchKind.OP, block.path if lost else None, None if lost else block.path, "op",
        "residual add" if lost else None, None if lost else "residual add",
        f"{block.path}: the skip over blocks {over} (a residual add around them) is {side}",
        source, Region.BLOCK, OpKind.ADD, pair,
        reference_op=block.merge_op if lost else None, candidate_op=None if lost else block.merge_op,
    )  # fmt: skip


def own_ops_in_head(
    ref: Trace, cand: Trace, out: Sequence[Mismatch], lost: Sequence[tuple[int, Block]],
    same_layer: Callable[[OpRecord, OpRecord], bool],
) -> list[Mismatch]:  # fmt: skip
    """``out`` with an extra head layer like a lost skip's own layer marked as following from it."""
    result = list(out)
    for at, block in lost:
        own = [ref.ops[o] for o in block.main if ref.ops[o].params]
        for i, m in enumerate(result):
            if (
                m.region is not Region.HEAD
                or m.expected is not None
                or m.candidate_op is None
                or m.cause is not None
            ):
                continue
            if any(same_layer(r, cand.ops[m.candidate_op]) for r in own):
                result[i] = replace(m, cause=at)
                break  # one layer per group
    return result
