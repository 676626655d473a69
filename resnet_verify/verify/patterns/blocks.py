"""Pre-activation (v2) blocks: the order of a block's norm, activation and conv (block counts per stage:
``block_counts.py``)."""

from __future__ import annotations

from resnet_verify.tracing.records import Block, BlockKind, OpKind, OpRecord, Trace
from resnet_verify.verify.inplace_skip import FIELD as INPLACE_SKIP
from resnet_verify.verify.patterns.activation import activation_module
from resnet_verify.verify.patterns.context import Context, under
from resnet_verify.verify.records import Finding, Mismatch, Pattern

# a pre-activation opens with its norm (any kind: BN, GroupNorm in BiT, EvoNorm ...) or its activation
_PRE = (OpKind.BATCH_NORM, OpKind.NORM, OpKind.RELU, OpKind.ACTIVATION)
_NORMS = (OpKind.BATCH_NORM, OpKind.NORM)
_SCALINGS = frozenset({"mul", "rmul", "div", "truediv"})  # by a constant: one tensor input


def _passes(op: OpRecord) -> bool:
    return op.kind in (OpKind.RESHAPE, OpKind.MAX_POOL) or op.name.strip("_") in _SCALINGS


def _scaled_activation(trace: Trace, op: int) -> int | None:
    """``op`` if it is an activation, or the activation that ``op`` multiplies by a constant
    (NF-ResNet's ``act(x) * beta`` before its fork) or max-pools (the first block's activation,
    read before the stem's pool: ``tracing/commute.py``), else None."""
    while op >= 0 and len(trace.ops[op].inputs) == 1 and _passes(trace.ops[op]):
        op = trace.ops[op].inputs[0]
    return op if op >= 0 and trace.ops[op].kind in (OpKind.RELU, OpKind.ACTIVATION) else None


def shared_pre_activation(trace: Trace, block: Block, *, normless: bool = False) -> tuple[int, ...]:
    """The BN-ReLU both paths of a transition block read (its fork), else ().

    A pre-activation transition block normalises its input once and feeds the result to the main
    path and to the projection, so the BN-ReLU sits before the fork: in the stem or in the previous
    block's tail, not in the block's own main path. ``normless``: the network is known to be
    pre-activation (its other blocks open with their activation), so an activation with no norm
    before it that reads the previous block's sum is one too (NF-ResNet, scaled by a constant). A
    post-activation network's fork looks the same (ReLU after the add): it takes that knowledge.
    """
    act = _scaled_activation(trace, block.fork_op)
    if act is None:
        return ()
    bn = next((i for i in trace.ops[act].inputs if i >= 0 and trace.ops[i].kind in _NORMS), None)
    if bn is None:
        sums = [i for i in trace.ops[act].inputs if i >= 0 and trace.ops[i].kind is OpKind.ADD]
        own = under(trace.ops[act].module_path, block.path)
        return (act,) if normless and (sums or own) else ()
    # conv-BN-ReLU before the fork is a post-activation stem or layer, not a pre-activation; unless
    # the BN is the block's own (``layer1.0.bn1`` after a conv-only stem: the first block's
    # pre-activation, which runs before its fork and so lands in the stem)
    own = under(trace.ops[bn].module_path, block.path)
    if not own and any(i >= 0 and trace.ops[i].kind is OpKind.CONV for i in trace.ops[bn].inputs):
        return ()
    return (bn, act)


def starts_pre_activated(trace: Trace, block: Block) -> bool:
    """The block's main path opens with its own BN-ReLU (or ReLU, or a norm that activates: EvoNorm)
    before its first conv. A BatchNorm alone before the first conv (insightface's IR block:
    BN-conv-BN-PReLU-conv-BN) normalizes the input but activates nothing: no pre-activation."""
    if block.kind is not BlockKind.RESIDUAL:
        return False
    # a channel slice first (a reversible block's half) selects what the block reads, computes nothing; an
    # activation written as several ops (hard-swish by hand) is one: asked of the ops before the conv only
    head: list[OpKind] = []
    for o in block.main:
        op = trace.ops[o]
        if op.kind in (OpKind.RESHAPE, OpKind.SLICE):
            continue
        if op.kind is OpKind.CONV:
            break
        head.append(OpKind.ACTIVATION if op.kind not in _PRE and activation_module(trace, op) else op.kind)
    if not head or head[0] not in _PRE:
        return False
    return head[0] is not OpKind.BATCH_NORM or any(k in (OpKind.RELU, OpKind.ACTIVATION) for k in head)


def _pre_activated(trace: Trace) -> dict[int, tuple[int, ...] | None]:
    """Block index -> the op ids that make it pre-activation (possibly none of its own), else None.
    Per trace at once: whether the network opens its blocks with their activation (``normless``)
    is one question, not one per block."""
    blocks = trace.structure.blocks
    opens = {b.index: b.kind is BlockKind.RESIDUAL and starts_pre_activated(trace, b) for b in blocks}
    normless = any(opens.values())
    out: dict[int, tuple[int, ...] | None] = {}
    for b in blocks:
        if b.kind is not BlockKind.RESIDUAL:
            out[b.index] = None
        elif opens[b.index]:
            out[b.index] = ()
        else:
            shared = shared_pre_activation(trace, b, normless=normless)
            out[b.index] = shared if shared and b.shortcut else None
    return out


def is_pre_activation(trace: Trace) -> bool:
    """Some block's main path starts with BN or ReLU: the mark of a pre-activation network (a fork
    after BN-ReLU alone is also what an add-before-bn3 block looks like)."""
    return any(v == () for v in _pre_activated(trace).values())


def _final_activation(trace: Trace) -> set[int]:
    """The norm and activation a pre-activation network runs once after its last block, before the
    pool (ResNet v2's final BN-ReLU; an EvoNorm or FRN network's own norm there)."""
    s = trace.structure
    out: set[int] = set(s.blocks[-1].tail) if s.blocks else set()  # (the finder reads them as its tail)
    for o in s.head:
        if trace.ops[o].kind is OpKind.RESHAPE:
            continue  # layout, or a norm's own steps (canonical.py)
        if trace.ops[o].kind not in _PRE:
            break
        out.add(o)
    return out


def _claims(ctx: Context, idx: tuple[int, ...], ops: set[int]) -> bool:
    return any(ctx.mismatches[i].candidate_op in ops for i in idx)


def _post_tails(ctx: Context) -> set[int]:
    """The reference's activations after a block's add where the paired pre-activation block has none
    there: what the order moves, in a block whose own path opens with no activation too (SNGAN's
    first block, conv-ReLU-conv on the image: nothing before it to pre-activate)."""
    ref, cand, acts = ctx.reference, ctx.candidate, (OpKind.RELU, OpKind.ACTIVATION)
    out: set[int] = set()
    for _, a, b in ctx.paired_blocks():
        if not any(cand.ops[o].kind in acts for o in b.tail):
            out |= {o for o in a.tail if ref.ops[o].kind in acts}
    return out


def _in_blocks(ctx: Context, m: Mismatch, paths: list[str]) -> bool:
    pair = m.block
    return (
        pair is not None
        and pair.reference is not None
        and (ctx.reference.structure.blocks[pair.reference].path in paths)
    )


def _post_activated(trace: Trace, block: Block) -> bool:
    """Post-activation as far as the order shows: an activation after the add, or the main path's last norm
    after its last conv. A block doing neither (a pre-activation block whose conv1 reads the raw input) is
    not the other order of a pre-activation one: pre-activation would name a difference it does not have."""
    if any(trace.ops[o].kind in (OpKind.RELU, OpKind.ACTIVATION) for o in block.tail):
        return True
    kinds = [trace.ops[o].kind for o in block.main]
    convs = [i for i, k in enumerate(kinds) if k is OpKind.CONV]
    norms = [i for i, k in enumerate(kinds) if k in _NORMS]
    return bool(convs and norms) and norms[-1] > convs[-1]


def detect_pre_activation(ctx: Context) -> list[Finding]:
    cand = ctx.candidate
    if any(v is not None for v in _pre_activated(ctx.reference).values()):
        return []  # the reference is pre-activation itself
    paired = list(ctx.paired_blocks())
    if 2 * sum(_post_activated(ctx.reference, a) for _, a, _ in paired) < len(paired):
        return []  # the reference's blocks are not post-activation either: another order, described
    mine = _pre_activated(cand)
    pre: list[str] = []
    shared: set[int] = set()
    for _, a, b in ctx.paired_blocks():
        ops = mine[b.index]
        if ops is not None:
            pre.append(a.path)
            shared |= set(ops)
    if not pre or not any(mine[b.index] == () for _, _, b in ctx.paired_blocks()):
        # Only transition-style forks: a BN-ReLU after every add (add before bn3) also looks like
        # that; a pre-activation network shows it inside its other blocks' main paths too.
        return []
    final = _final_activation(cand)

    # What the order explains: norms and activations placed otherwise, and the bias a conv keeps
    # where no BN follows it any more (Keras' v2 conv3 and projection). A shortcut pooled before its
    # projection (ResNet-D, iResNet's max pool) in the same blocks is another cause, left to its own.
    def explained(m: Mismatch) -> bool:
        return m.op_kind in _PRE or m.field == "op_order" or (m.op_kind is OpKind.CONV and m.field == "bias")

    tails = _post_tails(ctx)
    # an in-place op that overwrote a block's input (verify/inplace_skip.py) is its own cause
    idx = ctx.indices(
        lambda m: (
            m.field != INPLACE_SKIP
            and (
                # by place, or by block: a ReLU after the add written as the next layer of a Sequential
                # (a Residual wrapper's) has a path of its own, not under the block's
                ((any(under(m.reference_path, p) for p in pre) or _in_blocks(ctx, m, pre)) and explained(m))
                or (m.candidate_op in shared | final and m.reference_op is None)
                or (m.reference_op in tails and m.candidate_op is None)
            )
        )
    )
    return [
        Finding(
            pattern=Pattern.PRE_ACTIVATION,
            title="Pre-activation blocks",
            message=f"{len(pre)} blocks are pre-activation (BN-ReLU-conv, ResNet v2) while the reference's are "
            "post-activation (conv-BN-ReLU, add, ReLU); in a transition block the BN-ReLU runs once before "
            "the fork and feeds both the main path and the projection"
            + (
                "; the norm and activation after the last block are v2's final ones."
                if _claims(ctx, idx, final)
                else "."
            ),
            locations=tuple(pre[:8]),
            mismatches=idx,
            suggestion="order each block conv-BN-ReLU and apply the final ReLU after the addition",
        )
    ]
