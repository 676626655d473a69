"""Cross-stage partial stages (CSPNet, timm's cspresnet*, YOLO's C3): found from dataflow alone.

A CSP stage runs its residual blocks on part of its channels and concatenates the other part back
after them: a concat whose inputs fork from one tensor, one path through residual blocks and one
around them. The part is cut by a channel slice (``x.chunk(2, 1)``, ``x[:, c // 2:]``) or by a 1x1
conv per part (C3); 1x1 convs after the concat (the transition) fuse the parts, and the stage's
downsampling and channel change sit in convs before the split (its entry). Those ops belong to the
stage, not to any block: the structure finder marks the units they form (``BlockKind.CROSS_STAGE``)
so alignment pairs blocks with blocks, and the explain layer names the stage from the same join.

Not a join: a U-Net or feature-pyramid skip (its blocks change resolution; a join's run at the map
it concatenates), a concat of pooled vectors, a concat inside a block (Res2Net: no block's add lies
between), a bypass with a spatial conv (two real branches, not a part set aside), a concat that reads
the fork itself (DenseNet's concat of x and f(x), a reversible block's halves: nothing was cut).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from resnet_verify.tracing.dataflow import Graph
from resnet_verify.tracing.records import INPUT_ID, OpKind, OpRecord, Trace, readers

# ops a stage's entry or transition is made of (a conv-norm-act, a slice, layout between)
_CHAIN = frozenset(
    {
        OpKind.CONV,
        OpKind.BATCH_NORM,
        OpKind.NORM,
        OpKind.RELU,
        OpKind.ACTIVATION,
        OpKind.RESHAPE,
        OpKind.SLICE,
    }
)
_ENTRY_CONVS = 2  # a stage's downsampling conv and its expansion 1x1, at most


@dataclass(frozen=True, slots=True)
class CrossStageJoin:
    """One CSP stage: where its parts fork and join, the blocks between and the stage's own ops."""

    fork: int
    concat: int
    merges: tuple[int, ...]  # the residual adds of the blocks on the path through
    ops: tuple[int, ...]  # entry, the split, the bypass, the concat and the transition
    entry: tuple[int, ...]  # the convs before the split (downsampling, expansion), subset of ops


def _spatial(op: OpRecord) -> tuple[int, ...]:
    return tuple(op.out_shape[2:]) if op.out_shape is not None else ()


def _wide(op: OpRecord) -> bool:
    k = dict(op.attrs).get("kernel_size")
    return op.kind is OpKind.CONV and isinstance(k, tuple) and max(k, default=1) > 1


def _path(graph: Graph, fork: int, concat: int, operand: int) -> list[int]:
    between = [o for o in graph.between(fork, concat) if o == operand or graph.descends_from(operand, o)]
    return sorted({*between, operand} - {fork})


def _entry(ops: Sequence[OpRecord], fork: int, stop: Collection[int]) -> list[int]:
    """The conv-norm-act chain before the split, back to what the previous stage or the stem made."""
    out: list[int] = []
    convs, o = 0, fork
    while o >= 0 and o not in stop and ops[o].kind in _CHAIN and len(ops[o].inputs) == 1:
        if ops[o].kind is OpKind.CONV:
            convs += 1
            if convs > _ENTRY_CONVS or ops[o].inputs == (INPUT_ID,):
                break  # the model's first conv is the stem's
        out.append(o)
        o = ops[o].inputs[0]
    return out


def _transition(ops: Sequence[OpRecord], concat: int, reading: dict[int, list[int]]) -> list[int]:
    """The pointwise conv-norm-act chain that fuses the parts after the concat."""
    out: list[int] = []
    o = concat
    while len(uses := reading.get(o, [])) == 1:
        nxt = ops[uses[0]]
        if nxt.kind not in _CHAIN or nxt.kind is OpKind.SLICE or _wide(nxt):
            break
        out.append(nxt.id)
        o = nxt.id
    return out


def _join(
    graph: Graph, ops: Sequence[OpRecord], concat: OpRecord, merges: Collection[int]
) -> tuple[int, list[list[int]], list[list[int]]] | None:
    """(fork, paths through blocks, bypass paths) of a concat that joins a CSP stage, else None."""
    operands = [i for i in concat.inputs if i >= 0]
    if len(operands) < 2 or concat.out_shape is None or len(concat.out_shape) != 4:
        return None
    common = functools.reduce(operator.and_, (graph.ancestors(i) for i in operands))
    if not common:
        return None
    fork = common.bit_length() - 2
    paths = [_path(graph, fork, concat.id, o) for o in operands]
    through = [p for p in paths if set(p) & set(merges)]
    bypass = [p for p in paths if not set(p) & set(merges)]
    if not through or not bypass or any(_wide(ops[o]) for p in bypass for o in p):
        return None
    if not all(bypass):  # the concat keeps the whole fork (DenseNet, a RevNet's halves): no part set aside
        return None
    if any(ops[o].kind not in _CHAIN for p in bypass for o in p):
        return None  # the part is computed with (a Hamiltonian update's p - h * f(y)), not set aside
    size = _spatial(concat)
    if fork < 0 or _spatial(ops[fork]) != size or any(_spatial(ops[o]) != size for p in through for o in p):
        return None  # a skip across resolutions (U-Net, FPN), or a stage that downsamples inside
    return fork, through, bypass


def find_cross_stage(
    ops: Sequence[OpRecord], merges: Sequence[int], in_blocks: Collection[int], graph: Graph | None = None
) -> tuple[CrossStageJoin, ...]:
    """Every CSP join of a trace; ``merges``: the residual blocks' adds, ``in_blocks``: the op ids of
    the residual blocks (main, shortcut, tail), which no stage owns."""
    if not merges or not any(op.kind is OpKind.CAT for op in ops):
        return ()
    graph = graph or Graph(ops)
    reading = readers(ops)
    out: list[CrossStageJoin] = []
    owned: set[int] = set(in_blocks)
    for concat in (op for op in ops if op.kind is OpKind.CAT):
        found = _join(graph, ops, concat, merges)
        if found is None:
            continue
        fork, through, bypass = found
        entry = _entry(ops, fork, owned)
        around = {o for p in through for o in p if o not in in_blocks and o not in merges}
        own = {
            *entry,
            *around,
            *(o for p in bypass for o in p),
            concat.id,
            *_transition(ops, concat.id, reading),
        }
        owned |= own
        kept = tuple(sorted({m for p in through for m in p if m in merges}))
        convs = tuple(o for o in sorted(entry) if ops[o].kind is OpKind.CONV)
        out.append(CrossStageJoin(fork, concat.id, kept, tuple(sorted(own)), convs))
    return tuple(out)


def cross_stage_joins(trace: Trace) -> tuple[CrossStageJoin, ...]:
    """The joins of a traced model, from its residual blocks (as the structure finder found them)."""
    residual = [b for b in trace.structure.blocks if b.merge_op is not None]
    in_blocks = {o for b in residual for o in (*b.main, *b.shortcut, *b.tail)}
    return find_cross_stage(trace.ops, [b.merge_op for b in residual if b.merge_op is not None], in_blocks)


__all__ = ["CrossStageJoin", "cross_stage_joins", "find_cross_stage"]
