"""A block missing at one place of a stage and the same block extra at another: one block moved.

fast-reid's non-local blocks are placed by index lists; counted from the other end, the same blocks
sit after other bottlenecks. Aligned by kind (``align._KindPenalty``), each shows as a block missing
where the reference has it and one extra where the candidate has it. Where a missing and an extra
block of one stage have the same anatomy (channels, output), they are one block placed elsewhere:
the first says so, the other follows from it (``cause``), so the count of causes stays one per move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import Trace
from resnet_verify.verify.records import Mismatch, MismatchKind

FIELD = "block_moved"


def _is_block(m: Mismatch, kind: MismatchKind) -> bool:
    return m.kind is kind and m.field == "block" and m.block is not None and m.cause is None


def _after(trace: Trace, index: int | None) -> str:
    """Where a block sits: after which block of its stage (its first place: the stage's start)."""
    if index is None:
        return "?"
    blocks, stages = trace.structure.blocks, trace.structure.stages
    stage = next((s for s in stages if index in s.blocks), None)
    if stage is None or stage.blocks[0] == index:
        return f"first in {stage.path or 'its stage'}" if stage is not None else "?"
    return f"after {blocks[stage.blocks[stage.blocks.index(index) - 1]].path}"


def moved_blocks(ref: Trace, cand: Trace, mismatches: Sequence[Mismatch]) -> list[Mismatch]:
    out = list(mismatches)
    taken: set[int] = set()
    for i, missing in enumerate(mismatches):
        if not _is_block(missing, MismatchKind.MISSING):
            continue
        assert missing.block is not None
        j = next(
            (
                j
                for j, extra in enumerate(mismatches)
                if j not in taken
                and _is_block(extra, MismatchKind.EXTRA)
                and extra.block is not None
                and extra.block.stage == missing.block.stage
                and extra.actual == missing.expected
            ),
            None,
        )
        if j is None:
            continue
        taken.add(j)
        extra = mismatches[j]
        root, follower = (i, j) if i < j else (j, i)
        assert extra.block is not None
        here, there = _after(ref, missing.block.reference), _after(cand, extra.block.candidate)
        out[root] = replace(
            mismatches[root],
            kind=MismatchKind.OP,
            reference_path=missing.reference_path,
            candidate_path=extra.candidate_path,
            field=FIELD,
            expected=f"{missing.reference_path} {here}",
            actual=f"{extra.candidate_path} {there}",
            message=f"block {extra.candidate_path} ({missing.expected}) placed elsewhere in its stage: {there} in "
            f"the candidate, {here} in the reference",
            source=extra.source or missing.source,
        )
        out[follower] = replace(mismatches[follower], cause=root)
    return out


__all__ = ["FIELD", "moved_blocks"]
