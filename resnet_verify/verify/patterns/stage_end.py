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
    counts: list[int] = []
    for b in trace.structure.blocks:
        if not counts or b.in_shape[1:2] != b.out_shape[1:2]:
            counts.append(0)
        counts[-1] += 1
    return counts


def _moved(trace: Trace) -> list[tuple[Block, Block]]:
    """(downsampling block, the stride-1 widening block right after it) pairs."""
    blocks = trace.structure.blocks
    return [
        (b, blocks[b.index + 1])
        for b in blocks[:-1]
        if _halves_in_place(b) and _widens_in_place(blocks[b.index + 1])
    ]


def _standard_pairs(trace: Trace) -> list[tuple[Block, Block]]:
    """(last block of a stage, first block of the next) where that first block downsamples."""
    blocks = trace.structure.blocks
    return [
        (blocks[b.index - 1], b)
        for b in blocks[1:]
        if b.out_shape[2:] < b.in_shape[2:] and b.out_shape[1] > b.in_shape[1]
    ]


def detect_stage_end_stride(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    c_moved, r_moved = _moved(cand), _moved(ref)
    if bool(c_moved) == bool(r_moved) or any(
        _halves_in_place(b) for b in (ref if c_moved else cand).structure.blocks
    ):
        return []  # neither side, both sides, or a mixture: not this one variant
    counts = _counts_by_width(cand)
    if counts != _counts_by_width(ref):
        return []  # the counts differ however the stages are cut: a block-count difference after all
    moved = c_moved or r_moved
    # The candidate blocks the difference touches: the moved pairs, or (reversed) the standard ones.
    touched = c_moved or _standard_pairs(cand)
    involved = {b.index for pair in touched for b in pair}
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
    down = ", ".join(d.path for d, _ in moved)
    wide = ", ".join(w.path for _, w in moved)
    many = n > 1
    message = (
        f"In the {side}, the stride 2 of {n} stage{'s' * many} sits in the last block of the stage before "
        f"({down}: {'each keeps' if many else 'it keeps'} its width and halves the resolution), and the "
        f"block after {'each' if many else 'it'} ({wide}) widens at stride 1, as Keras' ResNetV2 places it; "
        f"the {other} downsamples in the first block of each stage, with its widening. Cut where the width "
        f"changes, both have {counts} blocks per stage; {n} block{'s' * many} of the {side} "
        f"run at half the {other}'s resolution, so its MACs are lower."
    )
    if c_moved:
        fix = f"move the stride 2 from {down} to the 3x3 conv and the projection of {wide}"
    else:
        first = ", ".join(b.path for _, b in touched)
        fix = (
            f"as the reference: move the stride 2 from {first} to the block before each "
            "(its 3x3 conv, and a 1x1 max pool of stride 2 on its identity)"
        )
    return [
        Finding(
            pattern=Pattern.STAGE_END_STRIDE,
            title="Downsampling at the end of each stage (ResNetV2 placement)",
            message=message,
            locations=tuple(ctx.mismatches[i].reference_path or "" for i in idx),
            mismatches=idx,
            suggestion=fix,
            source=ctx.site(touched[0][0].path),
        )
    ]
