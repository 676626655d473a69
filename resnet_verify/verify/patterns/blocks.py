"""Block-level variants: pre-activation (v2) blocks and block counts per stage."""

from __future__ import annotations

from resnet_verify.tracing.records import BlockKind, OpKind
from resnet_verify.verify.patterns.context import Context, under
from resnet_verify.verify.records import Finding, Pattern


def detect_pre_activation(ctx: Context) -> list[Finding]:
    cand = ctx.candidate
    pre: list[str] = []
    for _, a, b in ctx.paired_blocks():
        kinds = [cand.ops[o].kind for o in b.main if cand.ops[o].kind is not OpKind.RESHAPE][:1]
        if b.kind is BlockKind.RESIDUAL and kinds and kinds[0] in (OpKind.BATCH_NORM, OpKind.RELU):
            pre.append(a.path)
    if not pre:
        return []
    idx = ctx.indices(lambda m: any(under(m.reference_path, p) for p in pre))
    return [Finding(
        Pattern.PRE_ACTIVATION, "Pre-activation blocks",
        f"{len(pre)} blocks are pre-activation (BN-ReLU-conv, ResNet v2) while the reference's are "
        "post-activation (conv-BN-ReLU, add, ReLU).",
        tuple(pre[:8]), idx, "order each block conv-BN-ReLU and apply the final ReLU after the addition",
    )]  # fmt: skip


def detect_block_counts(ctx: Context) -> list[Finding]:
    idx = ctx.indices(lambda m: m.field == "block")
    if not idx:
        return []
    stages = ctx.reference.structure.stages
    rc = [len(s.blocks) for s in stages]
    cc = [sum(1 for p in ctx.pairs if p.stage == s.index and p.candidate is not None) for s in stages]
    return [Finding(
        Pattern.BLOCK_COUNTS, "Block counts differ",
        f"Blocks per stage are {cc} in the candidate, {rc} in the reference.",
        tuple(ctx.mismatches[i].reference_path or "" for i in idx), idx, f"use {rc} blocks per stage",
    )]  # fmt: skip
