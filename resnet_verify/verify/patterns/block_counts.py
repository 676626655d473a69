"""Block counts per stage, and units of another kind among a stage's blocks: a deeper or shallower network,
or the same layers joined by additions at other places (described)."""

from __future__ import annotations

from collections.abc import Iterable

from resnet_verify.tracing.linear_branches import learns
from resnet_verify.tracing.records import STAGE_OWN, Block, BlockKind, OpKind, Trace
from resnet_verify.verify.patterns.context import Context, dims
from resnet_verify.verify.patterns.moved_tails import moved_tails
from resnet_verify.verify.records import Finding, Pattern, Region

_SIGNIFICANT = (OpKind.CONV, OpKind.BATCH_NORM, OpKind.NORM, OpKind.RELU, OpKind.ACTIVATION, OpKind.OTHER)


def anatomy(trace: Trace, block: Block) -> tuple[str, ...]:
    """What a block's main path computes, in order: ``3x3 conv``, ``batch_norm``, ``bmm`` ..."""
    out = []
    for o in block.main:
        op = trace.ops[o]
        if op.kind is OpKind.CONV:
            out.append(f"{dims(op, 'kernel_size')} conv")
        elif op.kind in _SIGNIFICANT:
            out.append(op.name if op.kind is OpKind.OTHER else op.kind.value)
    return tuple(out)


def _foreign(ctx: Context, i: int) -> bool:
    """A unit one side has and the other lacks that is unlike every block of its stage on its own
    side (a non-local or attention block inserted between blocks; a loop's plain conv between its
    residual blocks): not one block more or fewer in the stage, a different unit. Either direction."""
    m = ctx.mismatches[i]
    if m.block is None or m.cause is not None or (m.block.reference is None) == (m.block.candidate is None):
        return False  # (one that follows from another, a block moved within its stage, is that one's)
    extra = m.block.reference is None
    trace = ctx.candidate if extra else ctx.reference
    blocks = trace.structure.blocks
    unit = blocks[m.block.candidate if extra else m.block.reference]  # type: ignore[index]
    if not unit.num_params:
        return True  # an add with no learned layer on either path: arithmetic (a state update), no block
    kin = [
        blocks[p.candidate if extra else p.reference]
        for p in ctx.pairs
        if p.stage == m.block.stage and p.candidate is not None and p.reference is not None
    ]
    if kin and all(k.kind is not unit.kind for k in kin):
        return True  # a plain unit among residual blocks, or the other way round
    # against the blocks of its shape: a stage's first block downsamples and differs in anatomy
    # from the others (BlockDrop's gate multiplies only the identity blocks)
    alike = [k for k in kin if k.kind is unit.kind and _keeps_shape(k) == _keeps_shape(unit)]
    mine = anatomy(trace, unit)
    return bool(alike) and all(mine != anatomy(trace, k) for k in alike)


def _keeps_shape(block: Block) -> bool:
    return block.in_shape == block.out_shape


def _foreign_units(ctx: Context, idx: tuple[int, ...]) -> Finding:
    """``idx``: units of one side (the candidate's extras, or the reference's units it lacks)."""
    extra = ctx.mismatches[idx[0]].block.reference is None  # type: ignore[union-attr]
    trace = ctx.candidate if extra else ctx.reference
    blocks = trace.structure.blocks
    units = [blocks[n] for i in idx if (b := ctx.mismatches[i].block) and (n := b.candidate if extra else b.reference) is not None]  # fmt: skip
    first = ctx.mismatches[idx[0]]
    steps = anatomy(trace, units[0]) or tuple(
        trace.ops[o].name
        for o in (*units[0].main, *units[0].shortcut)
        if trace.ops[o].kind is not OpKind.RESHAPE
    )
    ops = ", ".join(dict.fromkeys(steps)) or "no op of its own"
    attention = bool({"softmax", "bmm", "matmul", "einsum", "scaled_dot_product_attention"} & set(steps))
    kind = " (attention between the blocks: a non-local block)" if attention else ""
    where = ", ".join(u.path for u in units[:4]) + (" ..." if len(units) > 4 else "")
    n, s_ = len(units), "s" if len(units) > 1 else ""
    has, lacks = ("The candidate", "the reference") if extra else ("The reference", "the candidate")
    if units[0].kind is BlockKind.TRANSITION:
        title = f"A downsampling layer between stages ({n})"
        what = (f"{has} has {n} layer{s_} of its own between stages ({where}) that {lacks} lacks: "
                f"{ops}, downsampling where {lacks}'s first block of the stage does.")  # fmt: skip
    elif not units[0].num_params:
        title = f"{'An extra' if extra else 'A missing'} addition without learned layers ({n})"
        what = (f"{has} has {n} addition{s_} ({where}) that {lacks} lacks, with no learned layer on either "
                f"path ({ops}): arithmetic such as a state update or a sum inside a layer, not a block.")  # fmt: skip
    elif units[0].kind is BlockKind.PLAIN:
        title = f"{'An extra' if extra else 'A missing'} layer between blocks ({n})"
        what = (f"{has} has {n} unit{s_} between its blocks ({where}) that {lacks} lacks: {ops}, with no "
                "skip around it, unlike the blocks of its stage.")  # fmt: skip
    else:
        title = f"{'An extra' if extra else 'A missing'} residual unit of another kind ({n})"
        what = (f"{has} has {n} residual unit{s_} ({where}) that {lacks} lacks and that are not "
                f"blocks like their stage's: the main path runs {ops}, then adds its input back{kind}.")  # fmt: skip
    fix = "remove the unit to match the reference" if extra else "add the unit the reference has"
    return Finding(
        pattern=Pattern.EXTRA_MODULE,
        title=title,
        message=what,
        locations=tuple(ctx.mismatches[i].reference_path or "" for i in idx),
        mismatches=idx,
        suggestion=f"{first.source or units[0].path}: {fix}, or keep it on purpose",
        source=first.source,
    )


def _foreign_findings(ctx: Context, foreign: tuple[int, ...]) -> list[Finding]:
    """One finding per side that holds foreign units."""
    sides = (
        tuple(i for i in foreign if ctx.mismatches[i].block.reference is None),  # type: ignore[union-attr]
        tuple(i for i in foreign if ctx.mismatches[i].block.reference is not None),  # type: ignore[union-attr]
    )
    return [_foreign_units(ctx, side) for side in sides if side]


def _head_inputs(ctx: Context) -> tuple[int, ...]:
    """Head mismatches in what a layer reads (not what it makes): in_features / in_channels and the
    parameter counts and shapes that follow from them."""
    reads = ctx.indices(lambda m: m.region is Region.HEAD and m.field in ("in_features", "in_channels"))
    ops = {ctx.mismatches[i].candidate_op for i in reads}
    follows = ctx.indices(lambda m: m.cause in reads or (m.field == "params" and m.candidate_op in ops))
    return tuple(sorted({*reads, *follows}))


def _counted(block: Block) -> bool:
    """A block of its stage: not a stage's own layer, and holding a learned layer (an add of
    parameter-free terms is arithmetic inside a layer: a membrane update, a piecewise polynomial)."""
    return block.kind not in STAGE_OWN and block.num_params > 0


def _skipped_blocks_params(ctx: Context) -> tuple[int, ...]:
    """The candidate's unused parameters, where every one sits in a container of its blocks: blocks
    built but skipped in forward (an elastic depth run below its maximum) are the fewer blocks."""
    cand = ctx.candidate
    containers = {b.path.rpartition(".")[0] for b in cand.structure.blocks if "." in b.path}
    used = {p for op in cand.ops for p in op.params}
    unused = [
        p.name for p in cand.params if not p.is_buffer and p.name not in used and not set(p.aliases) & used
    ]
    if (
        not unused
        or not containers
        or not all(any(n.startswith(c + ".") for c in containers) for n in unused)
    ):
        return ()
    return ctx.indices(
        lambda m: m.field == "params" and m.region is Region.MODEL and m.reference_path is None
    )


def _applications(trace: Trace, ops: Iterable[int] | None = None) -> int:
    """How many of ``ops`` (all by default) apply a learned tensor, as the block finder reads one
    (``tracing/linear_branches.learns``); a layer run twice counts twice."""
    learned = frozenset(p.name for p in trace.params if not p.is_buffer)
    return sum(1 for o in (range(len(trace.ops)) if ops is None else ops) if learns(trace.ops[o], learned))


def _depth_differs(ctx: Context, idx: tuple[int, ...]) -> bool:
    """The blocks one side has more of run more learned layers there, and the network as a whole
    does too: a deeper or shallower network. Where both run their learned layers as often (an RK4
    update's terms summed in another order, a loop's state update grouped otherwise), the blocks
    are cut differently, not counted differently."""
    rb, cb = ctx.reference.structure.blocks, ctx.candidate.structure.blocks

    def runs(trace: Trace, b: Block) -> int:
        return _applications(trace, (*b.main, *b.shortcut, *b.tail))

    delta = 0
    for i in idx:
        pair = ctx.mismatches[i].block
        if pair is not None and pair.reference is None and pair.candidate is not None:
            delta += runs(ctx.candidate, cb[pair.candidate])
        elif pair is not None and pair.candidate is None and pair.reference is not None:
            delta -= runs(ctx.reference, rb[pair.reference])
    whole = _applications(ctx.candidate) - _applications(ctx.reference)
    return whole != 0 and (whole > 0) == (delta > 0) and delta != 0


def _joined_otherwise(ctx: Context, idx: tuple[int, ...], cc: list[int], rc: list[int]) -> Finding:
    """Blocks cut otherwise where the depth is the same: described, never named."""
    mine, theirs = _applications(ctx.candidate), _applications(ctx.reference)
    runs = (
        f"both run their learned layers {mine} times"
        if mine == theirs
        else f"the candidate runs its learned layers {mine} times and the reference {theirs}, "
        "not in the blocks one has more of"
    )
    first = next(
        (ctx.mismatches[i] for i in idx if ctx.mismatches[i].source is not None), ctx.mismatches[idx[0]]
    )
    return Finding(
        pattern=Pattern.DESCRIBED,
        title="Blocks joined otherwise",
        message=f"The residual adds cut the network into {cc} blocks per stage in the candidate and {rc} in "
        f"the reference, yet {runs}: the same layers joined by additions at other places (a state update, "
        "a sum regrouped, an add inside a layer), not a deeper or shallower network. The differences "
        "inside the blocks say where.",
        locations=tuple(
            ctx.mismatches[i].reference_path or ctx.mismatches[i].candidate_path or "" for i in idx
        ),
        mismatches=idx,
        suggestion="compare the additions in the blocks listed with the reference's",
        source=first.source,
    )


def detect_block_counts(ctx: Context) -> list[Finding]:
    every = ctx.indices(lambda m: m.field == "block")
    foreign = tuple(i for i in every if _foreign(ctx, i))
    idx = tuple(i for i in every if i not in foreign)
    if not idx:
        return _foreign_findings(ctx, foreign)
    stages = ctx.reference.structure.stages
    rb, cb = ctx.reference.structure.blocks, ctx.candidate.structure.blocks
    # a cross-stage partial unit (a stage's split or concat) is no block of the stage
    rc = [sum(1 for b in s.blocks if _counted(rb[b])) for s in stages]
    cc = [
        sum(
            1
            for p in ctx.pairs
            if p.stage == s.index and p.candidate is not None and _counted(cb[p.candidate])
        )
        for s in stages
    ]
    if cc == rc:
        return _foreign_findings(ctx, foreign)  # the same counts: blocks moved, not counted
    if not _depth_differs(ctx, idx):
        return [_joined_otherwise(ctx, idx, cc, rc), *_foreign_findings(ctx, foreign)]
    # A network cut after an earlier stage feeds its head that stage's width: the classifier's input
    # size follows from the cut, not from a width of its own.
    head = _head_inputs(ctx) if cc and cc[-1] == 0 else ()
    skipped = _skipped_blocks_params(ctx) if sum(cc) < sum(rc) else ()
    idx = tuple(sorted({*idx, *head, *skipped, *moved_tails(ctx, idx)}))
    follows = " The classifier reads the last stage left, so its input size follows." if head else ""
    return [
        Finding(
            pattern=Pattern.BLOCK_COUNTS,
            title="Block counts differ",
            message=f"Blocks per stage are {cc} in the candidate, {rc} in the reference.{follows}",
            locations=tuple(ctx.mismatches[i].reference_path or "" for i in idx),
            mismatches=idx,
            suggestion=f"use {rc} blocks per stage",
            source=next(
                (ctx.mismatches[i].source for i in idx if ctx.mismatches[i].source is not None), None
            ),
        ),
        *_foreign_findings(ctx, foreign),
    ]
