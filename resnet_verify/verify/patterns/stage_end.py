"""Downsampling at the end of a stage: each stride 2 sits in the *last* block of the stage before,
as Keras' ResNetV2 (``keras.applications``' ``stack2``) places it, and the first block of the next
stage widens at stride 1. torchvision (and the ResNet papers' v1 / v1.5) downsample in the first
block of the stage that the stride starts, together with its widening.

The tracer splits stages where the resolution changes, so such a network reads as blocks per stage
[2, 4, 6, 4] against [3, 4, 6, 3]: a plain block-count finding would tell the user to add and remove
blocks, which is wrong. Split by width instead (a stage starts where a block widens), its counts are
the reference's, and the difference is only where the stride sits.
"""

from __future__ import annotations

from resnet_verify.tracing.records import Block, Trace
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.width_stages import halves, width_stages
from resnet_verify.verify.records import Finding, Pattern


def _halves_in_place(b: Block) -> bool:
    """Resolution drops while the width stays: a block that only downsamples."""
    return (
        len(b.in_shape) == 4 == len(b.out_shape)
        and b.in_shape[1] == b.out_shape[1]
        and b.out_shape[2] < b.in_shape[2]
    )


def _widens_in_place(b: Block) -> bool:
    return (
        len(b.in_shape) == 4 == len(b.out_shape)
        and b.out_shape[1] > b.in_shape[1]
        and b.out_shape[2] == b.in_shape[2]
    )


def _counts_by_width(trace: Trace) -> list[int]:
    """Blocks per stage when a stage starts at every block that changes the width."""
    return [len(stage) for stage in width_stages(trace)]


def _moved(trace: Trace) -> list[Block]:
    """Blocks that only downsample and end their stage: the next block widens (the stride sits in the
    last block of the stage before: Keras' ResNetV2) or there is none (the stride of the last strided
    stage on its own last block: TF-slim's resnet_v1 / v2 units)."""
    blocks = trace.structure.blocks
    return [
        b
        for b in blocks
        if _halves_in_place(b) and (b.index + 1 == len(blocks) or _widens_in_place(blocks[b.index + 1]))
    ]


def _drops(trace: Trace) -> int:
    return sum(halves(b) for b in trace.structure.blocks)


def _strided_stages(trace: Trace) -> set[int]:
    """Blocks of every width-cut stage whose resolution changes, and the blocks on either side of each
    such stage: where a stride placement moves strides and output shapes."""
    out: set[int] = set()
    for stage in width_stages(trace):
        if any(halves(b) for b in stage):
            out |= {b.index for b in stage} | {stage[0].index - 1, stage[-1].index + 1}
    return out & {b.index for b in trace.structure.blocks}


def detect_stage_end_stride(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    c_moved, r_moved = _moved(cand), _moved(ref)
    if bool(c_moved) == bool(r_moved) or any(
        _halves_in_place(b) for b in (ref if c_moved else cand).structure.blocks
    ):
        return []  # neither side, both sides, or a mixture: not this one variant
    if _drops(cand) != _drops(ref):
        return []  # a stride added or lost (a stride 2 typed into the last block): not one moved
    counts = _counts_by_width(cand)
    if counts != _counts_by_width(ref):
        return []  # the counts differ however the stages are cut: a block-count difference after all
    moved = c_moved or r_moved
    involved = _strided_stages(cand)
    idx = ctx.indices(
        lambda m: (
            m.field == "block"
            or (
                m.block is not None
                and m.block.candidate in involved
                and m.field in ("stride", "output_shape")
            )
        )
    )
    if not idx:
        return []
    n = len(moved)
    side, other = ("candidate", "reference") if c_moved else ("reference", "candidate")
    down = ", ".join(d.path for d in moved)
    many = n > 1
    message = (
        f"In the {side}, the stride 2 of {n} stage{'s' * many} sits in a stage's last block ({down}: "
        f"{'each keeps' if many else 'it keeps'} its width and halves the resolution) and the stage that "
        f"widens next does so at stride 1, as Keras' ResNetV2 and TF-slim's units place it; the {other} "
        f"downsamples in the first block of each stage, with its widening. Cut where the width changes, both "
        f"have {counts} blocks per stage; the blocks between run at another resolution, so the MACs differ."
    )
    blocks = ctx.candidate.structure.blocks
    firsts = [b.path for b in blocks if halves(b) and b.out_shape[1] > b.in_shape[1]]
    if c_moved:
        fix = f"move the stride 2 from {down} to the 3x3 conv and the projection of each strided stage's first block"
    else:
        fix = (
            f"as the reference: move the stride 2 from {', '.join(firsts)} to the last block of its stage "
            "(its 3x3 conv, and a 1x1 max pool of stride 2 on its identity)"
        )
    site = moved[0].path if c_moved else (firsts[0] if firsts else None)
    return [
        Finding(
            pattern=Pattern.STAGE_END_STRIDE,
            title="Downsampling at the end of each stage (ResNetV2 placement)",
            message=message,
            locations=tuple(ctx.mismatches[i].reference_path or "" for i in idx),
            mismatches=idx,
            suggestion=fix,
            source=ctx.site(site),
        )
    ]
