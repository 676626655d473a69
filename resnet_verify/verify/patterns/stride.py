"""ResNet v1 vs v1.5: where each stage's first block puts its stride-2 (the 1x1 or the 3x3 conv)."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import Block, OpRecord
from resnet_verify.verify.patterns.context import Context, at, attr, convs, strided
from resnet_verify.verify.records import Finding, MismatchKind, Pattern
from resnet_verify.verify.stage_metrics import receptive_field_note


def _placement(trace_convs: Sequence[OpRecord]) -> str | None:
    """ "1x1" when the block's first (1x1) conv carries the stride, "3x3" when its second does."""
    if len(trace_convs) < 2 or attr(trace_convs[0], "kernel_size") != (1, 1):
        return None
    first, second = strided(trace_convs[0]), strided(trace_convs[1])
    if first and not second:
        return "1x1"
    if second and not first:
        return "3x3"
    return None


def detect_stride_placement(ctx: Context) -> list[Finding]:
    hits: list[tuple[Block, OpRecord, OpRecord, str]] = []
    for _, a, b in ctx.paired_blocks():
        rc, cc = convs(ctx.reference, a.main), convs(ctx.candidate, b.main)
        ref_at, cand_at = _placement(rc), _placement(cc)
        if ref_at and cand_at and ref_at != cand_at:
            hits.append((a, cc[0], cc[1], cand_at))
    if not hits:
        return []
    blocks = {a.path for a, _, _, _ in hits}
    idx = ctx.indices(
        lambda m: (
            m.block is not None
            and m.block.reference is not None
            and ctx.reference.structure.blocks[m.block.reference].path in blocks
            and (m.field == "stride" or m.kind is MismatchKind.SHAPE)
        )
    )
    _, c1, c3, cand_at = hits[0]
    where = ", ".join(a.path for a, _, _, _ in hits)
    site1, site3 = ctx.site(c1.module_path), ctx.site(c3.module_path)
    if cand_at == "1x1":
        what = (
            "the stride-2 sits on the first 1x1 conv instead of the 3x3 conv: this is ResNet v1 "
            "(paper / Keras / Caffe) where the reference is v1.5 (torchvision's placement)"
        )
        fix = (
            f"{at(c1.module_path, site1)}: move stride=2 from this 1x1 conv to the 3x3 conv "
            f"{'at ' + str(site3) if site3 else c3.module_path} (v1.5), in each stage's first block"
        )
        source = site1
    else:
        what = (
            "the stride-2 sits on the 3x3 conv instead of the first 1x1 conv: this is ResNet v1.5 "
            "(torchvision) where the reference is v1 (paper / Keras / Caffe)"
        )
        fix = (
            f"{at(c3.module_path, site3)}: move stride=2 from this 3x3 conv to the 1x1 conv "
            f"{'at ' + str(site1) if site1 else c1.module_path} (v1), in each stage's first block"
        )
        source = site3
    message = (
        f"At {where} {what}. Output shapes and parameter counts are identical; outputs are not "
        f"(a strided 1x1 discards 3/4 of the activations before any 3x3 sees them; v1.5 is about "
        f"0.5% more accurate top-1)."
    )
    seen = receptive_field_note(ctx.reference, ctx.candidate, ctx.pairs)
    if seen is not None:  # a strided 1x1 before the 3x3 widens every later receptive field
        message += f" What each stage sees changes too: {seen}."
    return [
        Finding(
            pattern=Pattern.V1_STRIDE,
            title="ResNet v1 / v1.5 stride placement",
            message=message,
            locations=tuple(a.path for a, _, _, _ in hits),
            mismatches=idx,
            suggestion=fix,
            source=source,
        )
    ]
