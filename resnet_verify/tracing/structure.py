"""Find stem, residual blocks, stages and head in a traced dataflow graph, without module names.

A residual block is where two paths merge in an addition. Its input (the *fork*) is the latest op
both paths descend from; each path is the set of ops that descend from the fork and feed one operand
of the add. The path with more convolutions is the main path, the other the shortcut (empty for an
identity). Stages are runs of blocks with the same output shape; the stem is what precedes the first
block and the head what follows the last. Ancestor sets are Python ints used as bitsets (bit i+1 for
op i, bit 0 for the model input) so the whole analysis is a few big-int operations per op.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from resnet_verify.tracing.cross_stage import find_cross_stage
from resnet_verify.tracing.dataflow import Graph, members
from resnet_verify.tracing.forks import through_dropout
from resnet_verify.tracing.last_tail import last_tail
from resnet_verify.tracing.linear_branches import learns, not_a_skip
from resnet_verify.tracing.map_rank import computed_shape, map_rank, out_shape
from resnet_verify.tracing.parts import (
    common_stack,
    dotted_prefix,
    flat_prefix,
    params_of,
    path_of,
    stages_of,
)
from resnet_verify.tracing.records import (
    INPUT_ID,
    Block,
    BlockKind,
    OpKind,
    OpRecord,
    ParamInfo,
    Shape,
    Structure,
)


def _is_merge(op: OpRecord) -> bool:
    return (
        op.kind is OpKind.ADD
        and len(op.inputs) >= 2
        and all(i >= INPUT_ID for i in op.inputs)
        and len(set(op.in_shapes[:2])) == 1
    )


@dataclass(frozen=True, slots=True)
class _Unit:
    """A block before it gets its records: where the paths fork and merge, and the op ids on each."""

    fork: int
    merge: int | None  # None for a plain unit (convolutions between two merges, no addition)
    main: tuple[int, ...]
    shortcut: tuple[int, ...]
    tail: tuple[int, ...] = ()
    held: tuple[int, ...] = ()  # the merges of the units on its paths (a skip over whole blocks)


def _merges(
    graph: Graph, ops: Sequence[OpRecord], rank: int = 0, learned: frozenset[str] | None = None
) -> list[_Unit]:
    """One unit per residual addition: the latest common ancestor of both operands is the fork; the
    path with more convolutions is the main path. ``rank``: the input's; a sum of tensors of lower
    rank (pooled vectors: PANNs' max + mean over time) adds no map back: no residual merge.
    ``learned``: the names of learned tensors; an add with none on either path is arithmetic inside
    a layer (a membrane update, a piecewise polynomial, a sum of a loop's terms), not a block."""
    units: list[_Unit] = []
    for op in (op for op in ops if _is_merge(op) and len(op.in_shapes[0]) >= rank):
        a, b = op.inputs[0], op.inputs[1]
        if a == b:
            continue  # x + x doubles one path: no second path joins, no skip merge
        common = graph.ancestors(a) & graph.ancestors(b)
        if not common:
            continue
        fork = through_dropout(graph, ops, common.bit_length() - 2, (a, b))
        paths = []
        for operand in (a, b):
            path = [o for o in graph.between(fork, op.id) if graph.descends_from(operand, o) or o == operand]
            path = [*path, *([operand] if operand != fork else [])]
            # a tensor made from nothing (``torch.zeros(...)``, an option-A shortcut's new channels)
            # belongs to the path that reads it: it descends from no fork
            made = {i for o in path for i in ops[o].inputs if i >= 0 and not ops[i].inputs}
            paths.append(tuple(sorted(set(path) | made)))
        if learned is not None and not any(learns(ops[o], learned) for p in paths for o in p):
            continue
        if not_a_skip(ops, op, paths, fork):
            # linear branches summed (RepVGG's 3x3 + 1x1 + BN, ACNet's 3x3 + 1x3 + 3x1): one linear
            # layer written as branches, inside a block; a residual block's path is not linear. Nor is
            # f(x) * a + x * (1 - a) a skip: an interpolation with the input (blends.py)
            continue
        convs = [sum(ops[o].kind is OpKind.CONV for o in p) for p in paths]
        main_i = 0 if (convs[0], len(paths[0])) >= (convs[1], len(paths[1])) else 1
        units.append(_Unit(fork, op.id, paths[main_i], paths[1 - main_i]))

    # A merge nested inside an earlier block's path (a block within a block) is not a new block, nor
    # is an add inside a later block's path on fewer channels than that block's own add: Res2Net's
    # hierarchical adds of channel groups (y3 = conv(x3 + y2)) sit on the main path of the block
    # they belong to. A long skip over whole blocks adds as many channels as they do: kept.
    def nested(i: int, u: _Unit) -> bool:
        for j, p in enumerate(units):
            if j == i or u.merge not in (*p.main, *p.shortcut):
                continue
            if j < i or _channels(ops, u.merge) < _channels(ops, p.merge):
                return True
            if _shape(ops, u.merge) != _shape(ops, p.merge) and p.fork != INPUT_ID:
                # a sum of pooled vectors or maps inside an attention gate (CBAM's MLPs); a skip from the
                # model's input to its output (MSRResNet's upsampled input added back) holds blocks
                return True
            if (
                u.fork == p.fork
                and u.merge is not None
                and p.merge is not None
                and not any(ops[o].kind is OpKind.CONV for o in graph.between(u.merge, p.merge))
            ):
                return True  # branches of one block summed before its own add (shake-shake)
        return False

    return [u for i, u in enumerate(units) if not nested(i, u)]


def _shape(ops: Sequence[OpRecord], op_id: int | None) -> Shape:
    shape = ops[op_id].out_shape if op_id is not None else None
    return tuple(shape[1:]) if shape is not None else ()


def _channels(ops: Sequence[OpRecord], op_id: int | None) -> int:
    shape = ops[op_id].out_shape if op_id is not None else None
    return shape[1] if shape is not None and len(shape) > 1 else 0


_HEAD_START = frozenset({OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL, OpKind.FLATTEN, OpKind.LINEAR})


def _lost_last_block(graph: Graph, ops: Sequence[OpRecord], last: _Unit) -> list[_Unit]:
    """Convolutions between the last merge and the head's pool, two or more and one of them
    spatial: the last block lost its addition (a plain unit, as between two merges). A single 1x1
    conv before the pool (a final feature conv) stays in the head."""
    assert last.merge is not None
    end = last.tail[-1] if last.tail else last.merge
    rest: list[int] = []
    for op in ops[end + 1 :]:
        if op.kind in _HEAD_START:
            break
        if graph.descends_from(op.id, end):
            rest.append(op.id)
    convs = [o for o in rest if ops[o].kind is OpKind.CONV]
    kernel = [dict(ops[o].attrs).get("kernel_size") for o in convs]
    if len(convs) < 2 or not any(isinstance(k, tuple) and max(k, default=1) > 1 for k in kernel):
        return []
    if ops[convs[-1]].out_shape != ops[end].out_shape:
        # convs to another width or size (PANNs' two 3x3s to 2048 after a pool) are the head's; a
        # sibling module of the blocks back at the block's shape before them (a generator's last block
        # without its add, then its upsampling) is that block
        return _lost_before_the_head(ops, last, end, rest, convs)
    return [_Unit(end, None, tuple(o for o in rest if o >= convs[0]), ())]


def _lost_before_the_head(
    ops: Sequence[OpRecord], last: _Unit, end: int, rest: list[int], convs: list[int]
) -> list[_Unit]:
    shape = ops[end].out_shape or ()
    back = next((i for i, o in enumerate(convs) if i >= 1 and ops[o].out_shape == shape), None)
    if back is None or any((ops[o].out_shape or ())[2:] != shape[2:] for o in convs[: back + 1]):
        return []
    stack, block = (
        common_stack([ops[o] for o in convs[: back + 1]]),
        common_stack([ops[o] for o in last.main]),
    )
    sibling = (
        len(block) >= len(stack) and block[: len(stack) - 1] == stack[:-1] and block[: len(stack)] != stack
    )
    if not stack or not sibling:
        return []  # not a sibling module of the last block's: the head's own convs
    body: list[int] = []  # the module's ops: a pad before its first conv, a norm after its last
    for o in rest:
        if ops[o].module_stack[: len(stack)] != stack:
            if body:
                break
            continue
        body.append(o)
    return [_Unit(end, None, tuple(body), ())]


def _split_plain(ops: Sequence[OpRecord], u: _Unit) -> list[_Unit]:
    """A plain unit that runs through two or more sibling modules of two or more convolutions each
    (``layer3.0``, ``layer3.1``: a stage whose blocks all lost their additions) is one plain unit per
    module, so it aligns block by block instead of as one long block and a block fewer. Single-conv
    modules (a VGG-style run) stay one unit."""
    depth = len(common_stack([ops[o] for o in u.main]))
    groups: list[list[int]] = []
    owner: list[str | None] = []
    for o in u.main:
        stack = ops[o].module_stack
        child = stack[depth] if len(stack) > depth else None
        if groups and (child is None or child == owner[-1]):
            groups[-1].append(o)
            continue
        groups.append([o])
        owner.append(child)
    convs = [sum(ops[o].kind is OpKind.CONV for o in g) for g in groups]
    if len(groups) < 2 or min(convs) < 2 or len(set(owner)) != len(owner):
        return [u]
    forks = [u.fork, *(g[-1] for g in groups[:-1])]
    return [_Unit(f, None, tuple(g), ()) for f, g in zip(forks, groups, strict=True)]


def _with_tails(
    graph: Graph, ops: Sequence[OpRecord], raw: list[_Unit], crashed: bool = False
) -> list[_Unit]:
    return [
        part
        for u in _tails(graph, ops, raw, crashed)
        for part in (_split_plain(ops, u) if u.merge is None else [u])
    ]


def _tails(graph: Graph, ops: Sequence[OpRecord], raw: list[_Unit], crashed: bool) -> list[_Unit]:
    units: list[_Unit] = []
    for i, u in enumerate(raw):
        assert u.merge is not None
        if i + 1 == len(raw):
            units.append(replace(u, tail=last_tail(graph, ops, u.merge)))
            if not crashed:  # a crashed forward's last ops are the unit it failed in (partial)
                units.extend(_lost_last_block(graph, ops, units[-1]))
            continue
        nxt = raw[i + 1].fork
        if nxt < u.merge:  # the next unit holds this block: the activation after the add, then its path
            units.append(replace(u, tail=last_tail(graph, ops, u.merge)))
            continue
        tail = [] if nxt == u.merge else [*graph.between(u.merge, nxt), nxt]
        # a concat after the add joins the block's output with another part (a CSP stage's concat):
        # it starts what follows, as a conv would
        conv_tail = [o for o in tail if ops[o].kind in (OpKind.CONV, OpKind.CAT)]
        if not conv_tail:
            units.append(replace(u, tail=tuple(tail)))
            continue
        # Convolutions between two merges: a block that lost its addition. Keep the activation
        # that follows the merge with this block; the rest is a plain unit.
        first = min(conv_tail)
        kept = tuple(o for o in tail if o < first)
        units.append(replace(u, tail=kept))
        units.append(_Unit(kept[-1] if kept else u.merge, None, tuple(o for o in tail if o >= first), ()))
    return units


def _kind(u: _Unit, stage_ops: set[int], ops: Sequence[OpRecord]) -> BlockKind:
    if u.merge is not None:
        return BlockKind.RESIDUAL
    if stage_ops.intersection(u.main):
        return BlockKind.CROSS_STAGE
    convs = [ops[o] for o in u.main if ops[o].kind is OpKind.CONV]
    stride = dict(convs[0].attrs).get("stride") if len(convs) == 1 else None
    if isinstance(stride, tuple) and max(stride, default=1) > 1:
        return BlockKind.TRANSITION  # one strided conv between blocks: the next stage's downsampling
    return BlockKind.PLAIN


def _block(
    i: int,
    u: _Unit,
    ops: Sequence[OpRecord],
    table: dict[str, ParamInfo],
    input_shape: Shape,
    stage_ops: set[int],
    rank: int,
    merges: list[int | None],
) -> Block:
    core = [ops[o] for o in (*u.main, *u.shortcut, *([u.merge] if u.merge is not None else []))]
    stack = common_stack(core)
    names, count = params_of([ops[o] for o in (*u.main, *u.shortcut, *u.tail)], table)
    end = u.tail[-1] if u.tail else (u.merge if u.merge is not None else u.main[-1])
    return Block(
        index=i,
        kind=_kind(u, stage_ops, ops),
        path=stack[-1]
        if stack
        else (dotted_prefix(core) or flat_prefix([o.module_path for o in core if o.params])),
        fork_op=u.fork,
        merge_op=u.merge,
        main=u.main,
        shortcut=u.shortcut,
        tail=u.tail,
        in_shape=computed_shape(ops, u.fork, input_shape, rank),
        out_shape=computed_shape(ops, end, input_shape, rank),
        params=names,
        num_params=count,
        held=tuple(merges.index(m) for m in u.held if m in merges),
    )


def _own_ops(units: list[_Unit]) -> list[_Unit]:
    """Each op in one block: a skip over whole blocks (RCAN's residual groups, EDSR's long skip, an
    hourglass's levels) keeps on its paths only what none of the blocks it holds computes (the group's
    last conv, its add), so the blocks inside are compared once, as themselves, and a skip missing
    around them is that skip alone."""
    ops_of = [{*u.main, *u.shortcut, *u.tail, *([u.merge] if u.merge is not None else [])} for u in units]
    out = []
    for i, u in enumerate(units):
        paths = {*u.main, *u.shortcut}
        # held: another unit wholly on this one's paths (its add and both its paths), not one whose
        # add merely feeds this one (i-RevNet's couplings read the previous block's sum)
        held = [
            j for j, v in enumerate(units)
            if j != i and v.merge is not None and v.merge in paths and {*v.main, *v.shortcut} <= paths
        ]  # fmt: skip
        inner = {o for j in held for o in ops_of[j]}
        if not inner:
            out.append(u)
            continue
        out.append(replace(u, main=tuple(o for o in u.main if o not in inner),
                           shortcut=tuple(o for o in u.shortcut if o not in inner),
                           held=tuple(m for j in held if (m := units[j].merge) is not None)))  # fmt: skip
    return out


def _partial(ops: Sequence[OpRecord], start: int, crashed_in: tuple[str, ...]) -> set[int]:
    """Ops from ``start`` on that ran inside the unit the forward crashed in.

    The unit is the outermost module of the crash's stack that the last complete part (the op before
    ``start``, else the first op: the stem) is not inside: ``layer1`` for a crash in
    ``layer1.0.conv2`` after torchvision's stem, ``features.4`` when stem and stages share one
    ``features`` Sequential. A crash in a module around everything (the root) cuts nothing off.
    """
    if not crashed_in or start >= len(ops):
        return set()
    anchor = ops[start - 1] if start > 0 else ops[0]
    shared = 0
    while shared < min(len(anchor.module_stack), len(crashed_in)):
        if anchor.module_stack[shared] != crashed_in[shared]:
            break
        shared += 1
    if shared >= len(crashed_in) or (start == 0 and crashed_in[shared] in ops[0].module_stack):
        return set()
    unit = crashed_in[shared]
    return {op.id for op in ops[start:] if unit in op.module_stack}


def _head(
    graph: Graph, ops: Sequence[OpRecord], blocks: Sequence[Block], stem: Sequence[int], partial: set[int]
) -> list[int]:
    """Ops after the last block that descend from it, and every op no block or stem holds that feeds
    them from elsewhere (a second pass of the network over a rolled input, averaged in): the head
    reads them, so a difference in them is the head's, never nobody's."""
    last = blocks[-1]
    end = last.tail[-1] if last.tail else (last.merge_op if last.merge_op is not None else last.main[-1])
    head = [op.id for op in ops[end + 1 :] if graph.descends_from(op.id, end) and op.id not in partial]
    feeding = 0
    for o in head:
        feeding |= graph.ancestors(o)
    placed = set(stem) | partial | {o for b in blocks for o in (*b.main, *b.shortcut, *b.tail)}
    placed |= {b.merge_op for b in blocks if b.merge_op is not None} | {b.fork_op for b in blocks}
    fork = blocks[0].fork_op
    # not through the trunk: after its end (a second run), or off the input beside it (a rolled view)
    side = {
        o for o in members(feeding)
        if o >= 0 and o not in placed and (o > end or not graph.descends_from(o, fork))
    }  # fmt: skip
    return sorted(side | set(head))


def _around_the_trunk(units: list[_Unit]) -> list[_Unit]:
    """Without a skip around every other block (SRResNet's and EDSR's long skip from the stem's output
    to after the trunk): that add is no block of its own but the trunk's surround, whose ops after the
    last block are the head's. Skips around some blocks only (a residual-in-residual unit) stay."""
    residual = [u for u in units if u.merge is not None]
    if len(residual) < 3:
        return units
    merges = {u.merge for u in residual}
    around = [u for u in residual if merges - {u.merge} <= set(u.main)]
    return [u for u in units if u not in around] if len(around) == 1 else units


def find_structure(
    ops: Sequence[OpRecord],
    params: Sequence[ParamInfo],
    input_shape: Shape,
    crashed_in: tuple[str, ...] = (),
    outputs: Sequence[int] = (),
) -> Structure:
    """``crashed_in``: the module stack a crashed forward failed in (``()`` for a forward that ran).
    ``outputs``: the ops whose results the forward returns; an add whose result reaches none of them
    (a stage run last for nothing) is no block of the network, its ops the head's."""
    graph = Graph(ops)
    table = {p.name: p for p in params}
    rank = map_rank(ops, input_shape)
    merges = _merges(graph, ops, rank, frozenset(p.name for p in params if not p.is_buffer))
    if outputs:
        live = graph.feeding(outputs)
        merges = [u for u in merges if u.merge is None or graph.holds(live, u.merge)]
    units = _own_ops(_with_tails(graph, ops, _around_the_trunk(merges), crashed=bool(crashed_in)))
    residual = [u for u in units if u.merge is not None]
    in_blocks = {o for u in residual for o in (*u.main, *u.shortcut, *u.tail)}
    joins = find_cross_stage(ops, [u.merge for u in residual if u.merge is not None], in_blocks, graph)
    stage_ops = {o for j in joins for o in j.ops}
    merges_of = [u.merge for u in units]
    blocks = [_block(i, u, ops, table, input_shape, stage_ops, rank, merges_of) for i, u in enumerate(units)]
    if blocks:
        last = blocks[-1]
        end = last.tail[-1] if last.tail else (last.merge_op if last.merge_op is not None else last.main[-1])
        partial = _partial(ops, end + 1, crashed_in)
        stem = [o for o in members(graph.ancestors(blocks[0].fork_op)) if o >= 0]
        head = _head(graph, ops, blocks, stem, partial)
    else:
        partial = _partial(ops, 0, crashed_in)
        stem, head = [op.id for op in ops if op.id not in partial], []
    _, stem_params = params_of([ops[o] for o in stem], table)
    _, head_params = params_of([ops[o] for o in head], table)
    return Structure(
        stem=tuple(stem),
        blocks=tuple(blocks),
        stages=stages_of(blocks, ops, table),
        head=tuple(head),
        stem_params=stem_params,
        head_params=head_params,
        stem_out_shape=out_shape(ops, blocks[0].fork_op, input_shape)
        if blocks
        else (ops[stem[-1]].out_shape if stem else None),
        stem_path=path_of([ops[o] for o in stem]),
        head_path=path_of([ops[o] for o in head]),
        partial=tuple(sorted(partial)),
    )
