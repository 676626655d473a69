"""Strides at other blocks, read as blocks moved between stages: the tracer cuts stages where the
resolution halves, so a stride 2 given to every block of a stage (``strides = [stride] * num_blocks``)
makes its later blocks open the next stage, and the counts read [1, 1, 2, 2] for [1, 2, 2, 1]. Where the
code's own stages (the blocks' parent modules: ``layer2``, ``stages.1``) hold the same number of blocks on
both sides, no block was added or lost: the strides moved. Described (no variant names it), before the
block-count rule, which would tell the user to add and remove blocks.
"""

from __future__ import annotations

from itertools import groupby

from resnet_verify.tracing.records import Block, BlockKind, Trace
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.width_stages import halves
from resnet_verify.verify.records import Finding, Pattern


def _blocks(trace: Trace) -> list[Block]:
    return [b for b in trace.structure.blocks if b.kind is BlockKind.RESIDUAL]


def _own_counts(blocks: list[Block]) -> list[tuple[str, int]]:
    """(parent module, blocks in it), in forward order: the stages as the code builds them."""
    return [
        (parent, len(list(run))) for parent, run in groupby(blocks, key=lambda b: b.path.rpartition(".")[0])
    ]


def detect_strides_moved(ctx: Context) -> list[Finding]:
    idx = ctx.indices(lambda m: m.field == "block")
    if not idx:
        return []
    rb, cb = _blocks(ctx.reference), _blocks(ctx.candidate)
    r_own, c_own = _own_counts(rb), _own_counts(cb)
    if len(r_own) < 2 or [n for _, n in r_own] != [n for _, n in c_own] or any(not p for p, _ in c_own):
        return []
    if any(not p for p, _ in r_own):
        return []  # blocks with no parent module of their own: no stages written in the code to count by
    cut_r = [len(s.blocks) for s in ctx.reference.structure.stages]
    cut_c = [len(s.blocks) for s in ctx.candidate.structure.stages]
    if cut_r == cut_c:
        return []
    added = [c.path for r, c in zip(rb, cb, strict=True) if halves(c) and not halves(r)]
    lost = [c.path for r, c in zip(rb, cb, strict=True) if halves(r) and not halves(c)]
    if not added and not lost:
        return []
    said = "; ".join(
        [*([f"the candidate's {', '.join(added)} halve the resolution where the reference's do not"] if added else []),
         *([f"its {', '.join(lost)} keep it where the reference's halve it"] if lost else [])]
    )  # fmt: skip
    counts = [n for _, n in c_own]
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title="Strides at other blocks",
            message=(
                f"By the code's own stages ({', '.join(p for p, _ in c_own)}) both sides have {counts} blocks; "
                f"cut where the resolution halves they read {cut_c} in the candidate and {cut_r} in the "
                f"reference. No block is added or missing: {said}."
            ),
            locations=tuple((*added, *lost)),
            mismatches=idx,
            suggestion="give the stride 2 to each stage's first block only, as the reference does "
            "(strides = [stride] + [1] * (num_blocks - 1))",
            source=ctx.site((added or lost)[0]),
        )
    ]
