"""Cross-stage partial stages (CSPNet: timm's cspresnet*, YOLO's C3) where the other side's stages
run every channel through their blocks: one cause for the split, the concat, the transition and
entry convs, and what they take from the stage's first block (its stride and projection).

The joins come from dataflow (``tracing/cross_stage.py``): a concat joining a path through residual
blocks with one around them, however the part is cut (a channel slice or a 1x1 conv per part).
"""

from __future__ import annotations

from resnet_verify.tracing.cross_stage import CrossStageJoin, cross_stage_joins
from resnet_verify.tracing.records import BlockKind, OpKind, Trace
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Finding, Mismatch, Pattern, Region


def _first_blocks(trace: Trace, joins: tuple[CrossStageJoin, ...]) -> dict[int, int]:
    """Index of each join's first block on the path through -> the op id of its first conv."""
    out: dict[int, int] = {}
    for j in joins:
        blocks = [b for b in trace.structure.blocks if b.merge_op in j.merges]
        if not blocks:
            continue
        first = min(blocks, key=lambda b: b.index)
        conv = next((o for o in first.main if trace.ops[o].kind is OpKind.CONV), -1)
        out[first.index] = conv
    return out


def _how(trace: Trace, joins: tuple[CrossStageJoin, ...]) -> str:
    sliced = any(trace.ops[o].kind is OpKind.SLICE for j in joins for o in j.ops)
    return "splits its channels in two (a slice)" if sliced else "feeds two parts (a 1x1 conv each)"


def _claims(ctx: Context, joins: tuple[CrossStageJoin, ...]) -> tuple[int, ...]:
    cand = ctx.candidate
    own = {o for j in joins for o in j.ops}
    units = {b.index for b in cand.structure.blocks if b.kind is BlockKind.CROSS_STAGE}
    first = _first_blocks(cand, joins)

    def taken(m: Mismatch) -> bool:
        if m.candidate_op in own:
            return True
        c = m.block.candidate if m.block is not None else None
        if m.field == "block" and c in units:
            return True
        if c not in first:
            return False
        # the stage's first block: its stride and projection are the entry conv's, its input width the split's
        lost_projection = m.region is Region.SHORTCUT and m.candidate_op is None
        return lost_projection or m.field == "stride" or (m.candidate_op == first[c] and m.field == "params")

    return ctx.indices(taken)


def detect_cross_stage(ctx: Context) -> list[Finding]:
    joins = cross_stage_joins(ctx.candidate)
    if not joins or cross_stage_joins(ctx.reference):
        return []
    idx = tuple(i for i in _claims(ctx, joins) if i not in ctx.claimed)
    if not idx:
        return []
    cand = ctx.candidate
    paths = list(dict.fromkeys(cand.ops[j.concat].module_path or f"op {j.concat}" for j in joins))
    entry = any(j.entry for j in joins)
    counts = [len(j.merges) for j in joins]
    first = next((ctx.mismatches[i] for i in idx if ctx.mismatches[i].source is not None), None)
    return [
        Finding(
            pattern=Pattern.CROSS_STAGE_PARTIAL,
            title="Cross-stage partial stages (CSPNet)",
            message=(
                f"{len(joins)} of the candidate's stages are cross-stage partial ({', '.join(paths[:4])}"
                f"{' ...' if len(paths) > 4 else ''}): each {_how(cand, joins)}, runs its residual blocks "
                f"({', '.join(map(str, counts))}) on one part and concatenates the other part back after them, "
                "fused by a 1x1 conv"
                + (
                    "; the stage's downsampling and channel change sit in the convs before the split, so its "
                    "first block has no stride and no projection"
                    if entry
                    else ""
                )
                + ". The reference's stages run every channel through their blocks."
            ),
            locations=tuple(paths),
            mismatches=idx,
            suggestion="build each stage as a run of blocks over all its channels (the first with the stride "
            "and a 1x1 projection shortcut), as the reference does; or keep the CSP design on purpose",
            source=first.source if first is not None else None,
        )
    ]


__all__ = ["detect_cross_stage"]
