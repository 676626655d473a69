"""Block-level variants: pre-activation (v2) blocks and block counts per stage."""

from __future__ import annotations

from resnet_verify.tracing.records import Block, BlockKind, OpKind, Trace
from resnet_verify.verify.patterns.context import Context, under
from resnet_verify.verify.records import Finding, Pattern

# a pre-activation opens with its norm (any kind: BN, GroupNorm in BiT, EvoNorm ...) or its activation
_PRE = (OpKind.BATCH_NORM, OpKind.NORM, OpKind.RELU, OpKind.ACTIVATION)
_NORMS = (OpKind.BATCH_NORM, OpKind.NORM)


def shared_pre_activation(trace: Trace, block: Block) -> tuple[int, ...]:
    """The BN-ReLU both paths of a transition block read (its fork), else ().

    A pre-activation transition block normalises its input once and feeds the result to the main
    path and to the projection, so the BN-ReLU sits before the fork: in the stem or in the previous
    block's tail, not in the block's own main path.
    """
    fork = block.fork_op
    if fork < 0 or trace.ops[fork].kind not in (OpKind.RELU, OpKind.ACTIVATION):
        return ()
    bn = next((i for i in trace.ops[fork].inputs if i >= 0 and trace.ops[i].kind in _NORMS), None)
    if bn is None or any(i >= 0 and trace.ops[i].kind is OpKind.CONV for i in trace.ops[bn].inputs):
        return ()  # conv-BN-ReLU before the fork is a post-activation stem or layer, not a pre-activation
    return (bn, fork)


def starts_pre_activated(trace: Trace, block: Block) -> bool:
    """The block's main path opens with its own BN or ReLU (BN-ReLU-conv)."""
    kinds = [trace.ops[o].kind for o in block.main if trace.ops[o].kind is not OpKind.RESHAPE][:1]
    return block.kind is BlockKind.RESIDUAL and bool(kinds) and kinds[0] in _PRE


def _pre_activated(trace: Trace, block: Block) -> tuple[int, ...] | None:
    """Candidate op ids that make ``block`` pre-activation (possibly none of its own), else None."""
    if block.kind is not BlockKind.RESIDUAL:
        return None
    if starts_pre_activated(trace, block):
        return ()
    shared = shared_pre_activation(trace, block)
    return shared if shared and block.shortcut else None


def is_pre_activation(trace: Trace) -> bool:
    """Some block's main path starts with BN or ReLU: the mark of a pre-activation network (a fork
    after BN-ReLU alone is also what an add-before-bn3 block looks like)."""
    return any(_pre_activated(trace, b) == () for b in trace.structure.blocks)


def detect_pre_activation(ctx: Context) -> list[Finding]:
    cand = ctx.candidate
    if any(_pre_activated(ctx.reference, b) is not None for b in ctx.reference.structure.blocks):
        return []  # the reference is pre-activation itself
    pre: list[str] = []
    shared: set[int] = set()
    for _, a, b in ctx.paired_blocks():
        ops = _pre_activated(cand, b)
        if ops is not None:
            pre.append(a.path)
            shared |= set(ops)
    if not pre or not any(_pre_activated(cand, b) == () for _, _, b in ctx.paired_blocks()):
        # Only transition-style forks: a BN-ReLU after every add (add before bn3) also looks like
        # that; a pre-activation network shows it inside its other blocks' main paths too.
        return []
    idx = ctx.indices(
        lambda m: (
            any(under(m.reference_path, p) for p in pre)
            or (m.candidate_op in shared and m.reference_op is None)
        )
    )
    return [Finding(
        Pattern.PRE_ACTIVATION, "Pre-activation blocks",
        f"{len(pre)} blocks are pre-activation (BN-ReLU-conv, ResNet v2) while the reference's are "
        "post-activation (conv-BN-ReLU, add, ReLU); in a transition block the BN-ReLU runs once before "
        "the fork and feeds both the main path and the projection.",
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
        next((ctx.mismatches[i].source for i in idx if ctx.mismatches[i].source is not None), None),
    )]  # fmt: skip
