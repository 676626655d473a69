"""Align a candidate trace with a reference trace: blocks by sequence alignment, then ops per path.

Blocks are aligned globally (Needleman-Wunsch on block signatures) so that a missing block costs one
gap instead of shifting every later block; on ties the gap is placed as late as possible, which puts
a missing block at the end of its stage (``layer3.5``), where a user would look for it. When the stage counts differ (a 3-stage CIFAR ResNet against a
4-stage reference), stages are paired first by their place in the width / resolution progression
and blocks are aligned inside each stage pair. Inside an
aligned block the main path, shortcut and tail are aligned op by op on their kinds, skipping ops that
only change layout (flatten / view / dropout).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from resnet_verify.tracing.records import LAYOUT_KINDS, STAGE_OWN, Block, BlockKind, OpKind, OpRecord, Trace
from resnet_verify.verify.records import BlockPair

GAP = -3.0


def needleman_wunsch(
    n: int, m: int, score: Callable[[int, int], float], gap: float = GAP
) -> list[tuple[int | None, int | None]]:
    """Global alignment of two sequences given a pair score; gaps placed late on ties."""
    table = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        table[i][0] = i * gap
    for j in range(1, m + 1):
        table[0][j] = j * gap
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            table[i][j] = max(
                table[i - 1][j - 1] + score(i - 1, j - 1), table[i - 1][j] + gap, table[i][j - 1] + gap
            )
    pairs: list[tuple[int | None, int | None]] = []
    i, j = n, m
    eps = 1e-9
    while i > 0 or j > 0:
        if i > 0 and abs(table[i][j] - (table[i - 1][j] + gap)) < eps:
            pairs.append((i - 1, None))
            i -= 1
        elif j > 0 and abs(table[i][j] - (table[i][j - 1] + gap)) < eps:
            pairs.append((None, j - 1))
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    pairs.reverse()
    return pairs


def _conv_kernels(trace: Trace, ops: Sequence[int]) -> tuple:
    return tuple(dict(trace.ops[o].attrs).get("kernel_size") for o in ops if trace.ops[o].kind is OpKind.CONV)


def _other_roles(a: Block, b: Block) -> bool:
    # A stage's own unit (a CSP split or concat, a downsampling layer) is no block: it pairs with its kind only.
    return (a.kind in STAGE_OWN) != (b.kind in STAGE_OWN)


_MIXING = frozenset({"matmul", "bmm", "einsum", "baddbmm", "__matmul__", "scaled_dot_product_attention"})


def _mixes_positions(trace: Trace, block: Block) -> bool:
    """The block's main path multiplies activations with activations (attention, a non-local block)."""
    return any(
        trace.ops[o].kind is OpKind.OTHER and str(dict(trace.ops[o].attrs).get("function")) in _MIXING
        for o in block.main
    )


def held_blocks(trace: Trace, block: Block) -> list[str]:
    """The paths of the blocks a skip over whole blocks holds (RCAN's residual groups, an hourglass's
    levels; tracing/structure.py): empty for a block that holds none."""
    return [trace.structure.blocks[i].path for i in block.held]


class _KindPenalty:
    """What pairing two blocks of another kind costs: one that mixes positions with one that does
    not, one that holds other blocks with one that does not.

    A non-local block and a bottleneck can share every shape. Where both sides hold as many
    position-mixing units, moved (a non-local block after another block), pairing across kinds makes
    two moves read as a dozen layer differences: such a pair costs more than two gaps. Where the counts
    differ (BoTNet's layer4: every block's 3x3 conv became attention), the blocks are still each
    other's: a small cost, so that gaps win only against a crossing pair. A skip over blocks paired
    with one of the blocks it holds reads that block's neighbours as its own layers (RCAN's groups
    without their skip read as squeeze-excitation blocks missing): it pairs with its kind only."""

    def __init__(self, ref: Trace, cand: Trace) -> None:
        self.ref = frozenset(b.index for b in ref.structure.blocks if _mixes_positions(ref, b))
        self.cand = frozenset(b.index for b in cand.structure.blocks if _mixes_positions(cand, b))
        self.cost = -20.0 if len(self.ref) == len(self.cand) else -5.0
        self.nesting = (
            frozenset(b.index for b in ref.structure.blocks if b.held),
            frozenset(b.index for b in cand.structure.blocks if b.held),
        )

    def __call__(self, a: Block, b: Block) -> float:
        residual = a.merge_op is not None and b.merge_op is not None  # (a plain unit may be a skip's own ops)
        if residual and (a.index in self.nesting[0]) != (b.index in self.nesting[1]):
            return -20.0
        mixing = (a.index in self.ref, b.index in self.cand)
        if mixing[0] != mixing[1]:
            return self.cost
        # a stage's own blocks pair first; units of another kind pair among themselves where the
        # blocks around them allow (a tie between moving a bottleneck and moving an attention unit)
        return 0.5 if not mixing[0] and (self.ref or self.cand) else 0.0


def _block_score(ref: Trace, a: Block, cand: Trace, b: Block, penalty: _KindPenalty | None = None) -> float:
    if _other_roles(a, b):
        return -10.0
    same_c, same_hw = a.out_shape[1:2] == b.out_shape[1:2], a.out_shape[2:] == b.out_shape[2:]
    if not same_c and not same_hw:
        # Different width *and* resolution: blocks of different stages. Two gaps (one extra, one
        # missing) explain that better than a pairing that would report every layer as wrong.
        return -10.0
    score = 3.0 if same_c else -2.0
    score += 3.0 if same_hw else -2.0
    score += 2.0 if a.in_shape[1:2] == b.in_shape[1:2] else -1.0
    ka, kb = _conv_kernels(ref, a.main), _conv_kernels(cand, b.main)
    score += 1.0 if len(ka) == len(kb) else 0.0
    score += 1.0 if ka == kb else 0.0
    proj_a = any(ref.ops[o].kind is OpKind.CONV for o in a.shortcut)
    proj_b = any(cand.ops[o].kind is OpKind.CONV for o in b.shortcut)
    score += 1.0 if proj_a == proj_b else 0.0
    score += 0.5 if a.kind is b.kind else 0.0
    return score + (penalty(a, b) if penalty is not None else 0.0)


def _scattered(pairs: Sequence[tuple[int | None, int | None]], ref: Trace, cand: Trace) -> bool:
    """Blocks paired across stages, or residual blocks left unpaired on both sides."""
    rb, cb = ref.structure.blocks, cand.structure.blocks
    rs, cs = stage_of_block(ref), stage_of_block(cand)
    if any(r is not None and c is not None and rs.get(r) != cs.get(c) for r, c in pairs):
        return True
    missing = any(c is None and r is not None and rb[r].kind is BlockKind.RESIDUAL for r, c in pairs)
    extra = any(r is None and c is not None and cb[c].kind is BlockKind.RESIDUAL for r, c in pairs)
    return missing and extra


def stage_of_block(trace: Trace) -> dict[int, int]:
    return {b: s.index for s in trace.structure.stages for b in s.blocks}


def _progression(trace: Trace) -> list[tuple[float, float]] | None:
    """Each stage's width and resolution relative to the first stage's (log2), None if not 2-D maps."""
    shapes = [s.out_shape for s in trace.structure.stages]
    if not shapes or any(len(s) != 4 or min(s[1:]) < 1 for s in shapes):
        return None
    w0, r0 = shapes[0][1], shapes[0][2]
    return [(math.log2(s[1] / w0), math.log2(r0 / s[2])) for s in shapes]


def _stage_pairs(ref: Trace, cand: Trace) -> list[tuple[int | None, int | None]] | None:
    """Stages paired by where they sit in the width / resolution progression, when the stage
    counts differ (a 3-stage CIFAR ResNet against a 4-stage ImageNet one); None otherwise.

    Absolute shapes cannot pair such stages: a CIFAR net's 16-wide first stage at full resolution
    shares neither width nor resolution with a 64-wide stage at 1/4, yet both are "stage one".
    """
    a, b = _progression(ref), _progression(cand)
    if a is None or b is None or len(a) == len(b):
        return None
    by_width = _width_subsequence(ref, cand)
    if by_width is not None:
        return by_width

    def score(i: int, j: int) -> float:
        return 2.0 - abs(a[i][0] - b[j][0]) - abs(a[i][1] - b[j][1])

    return needleman_wunsch(len(a), len(b), score, gap=-1.0)


def _width_subsequence(ref: Trace, cand: Trace) -> list[tuple[int | None, int | None]] | None:
    """When every stage of the side with fewer has the width of one of the other's, in order (DRN's
    16- and 32-wide stages before ResNet's 64 ... 512): stages paired by width, the others extra.
    Relative progressions would pair DRN's first stage with ResNet's first, and every later one off
    by two."""
    rw = [s.out_shape[1] for s in ref.structure.stages]
    cw = [s.out_shape[1] for s in cand.structure.stages]
    short, long_, flipped = (rw, cw, False) if len(rw) < len(cw) else (cw, rw, True)
    if len(short) < 2:
        return None  # one width found anywhere in the other's is no progression matched (a 256-wide tower)
    pairs: list[tuple[int | None, int | None]] = []
    j = 0
    for i, w in enumerate(short):
        while j < len(long_) and long_[j] != w:
            pairs.append((j, None) if flipped else (None, j))
            j += 1
        if j == len(long_):
            return None
        pairs.append((j, i) if flipped else (i, j))
        j += 1
    pairs.extend(((k, None) if flipped else (None, k)) for k in range(j, len(long_)))
    return pairs


def _relative_score(
    ref: Trace, a: Block, cand: Trace, b: Block, penalty: _KindPenalty | None = None
) -> float:
    # Inside paired stages absolute shapes differ by design; what tells blocks apart is their role.
    if _other_roles(a, b):
        return -10.0
    score = 2.0
    score += 1.0 if len(_conv_kernels(ref, a.main)) == len(_conv_kernels(cand, b.main)) else 0.0
    first_a = a.in_shape[1:] != a.out_shape[1:]
    first_b = b.in_shape[1:] != b.out_shape[1:]
    return score + (1.0 if first_a == first_b else -1.0) + (penalty(a, b) if penalty is not None else 0.0)


PairScore = Callable[..., float]


def _pair_score(
    ref: Trace, cand: Trace, ra: Sequence[int], ca: Sequence[int], i: int, j: int, penalty: _KindPenalty
) -> float:
    return _relative_score(ref, ref.structure.blocks[ra[i]], cand, cand.structure.blocks[ca[j]], penalty)


def _same_stage_score(
    ref: Trace, cand: Trace, ra: Sequence[int], ca: Sequence[int], i: int, j: int, penalty: _KindPenalty
) -> float:
    # Stages paired one to one: shapes still tell blocks apart where one of width or resolution
    # agrees (CSP's half-width blocks at the stage's resolution); where neither does (thin stages
    # behind a CIFAR stem), their role does.
    a, b = ref.structure.blocks[ra[i]], cand.structure.blocks[ca[j]]
    score = _block_score(ref, a, cand, b)
    if score > -10.0 or _other_roles(a, b):
        return score + penalty(a, b)
    return _relative_score(ref, a, cand, b, penalty)


def _staged_block_pairs(
    ref: Trace,
    cand: Trace,
    stages: Sequence[tuple[int | None, int | None]],
    penalty: _KindPenalty,
    score: PairScore = _pair_score,
) -> list[tuple[int | None, int | None]]:
    rs, cs = ref.structure.stages, cand.structure.stages
    out: list[tuple[int | None, int | None]] = []
    for r, c in stages:
        ra = list(rs[r].blocks) if r is not None else []
        ca = list(cs[c].blocks) if c is not None else []
        local = needleman_wunsch(
            len(ra), len(ca), functools.partial(score, ref, cand, ra, ca, penalty=penalty)
        )
        out.extend((ra[i] if i is not None else None, ca[j] if j is not None else None) for i, j in local)
    return out


def align_blocks(ref: Trace, cand: Trace) -> tuple[BlockPair, ...]:
    rb, cb = ref.structure.blocks, cand.structure.blocks
    penalty = _KindPenalty(ref, cand)
    stages = _stage_pairs(ref, cand)
    if stages is not None:
        pairs = _staged_block_pairs(ref, cand, stages, penalty)
    else:
        pairs = needleman_wunsch(
            len(rb), len(cb), lambda i, j: _block_score(ref, rb[i], cand, cb[j], penalty)
        )
        if len(ref.structure.stages) == len(cand.structure.stages) > 1 and _scattered(pairs, ref, cand):
            # The stage counts agree, but shapes paired blocks across stages or left blocks unpaired on
            # both sides (thin stages match the previous stage's width; a CIFAR stem's
            # resolution matches none; CSP's half-width blocks). Stage by stage they pair by role.
            same = [(i, i) for i in range(len(ref.structure.stages))]
            pairs = _staged_block_pairs(ref, cand, same, penalty, _same_stage_score)
    ref_stage, cand_stage = stage_of_block(ref), stage_of_block(cand)
    out: list[BlockPair] = []
    last_stage = 0
    for r, c in pairs:
        if r is not None:
            last_stage = ref_stage[r]
        out.append(
            BlockPair(
                reference=r,
                candidate=c,
                stage=ref_stage[r]
                if r is not None
                else last_stage
                if c is None
                else _extra_stage(ref_stage, cand_stage, out, c),
            )
        )
    return tuple(out)


def _extra_stage(ref_stage: dict[int, int], cand_stage: dict[int, int], done: list[BlockPair], c: int) -> int:
    # An extra block belongs to the reference stage of the nearest earlier paired block in the
    # same candidate stage, else to the stage the next reference block starts.
    for pair in reversed(done):
        if pair.reference is not None and pair.candidate is not None:
            if cand_stage.get(pair.candidate) == cand_stage.get(c):
                return ref_stage[pair.reference]
            return ref_stage[pair.reference] + 1 if ref_stage else 0
    return 0


def significant(trace: Trace, ops: Sequence[int]) -> list[int]:
    return [o for o in ops if trace.ops[o].kind not in LAYOUT_KINDS]


def _op_score(ref: Trace, a: int, cand: Trace, b: int) -> float:
    x, y = ref.ops[a], cand.ops[b]
    if x.kind is not y.kind:
        both_pool = {x.kind, y.kind} <= {
            OpKind.MAX_POOL,
            OpKind.AVG_POOL,
            OpKind.GLOBAL_POOL,
            OpKind.ADAPTIVE_POOL,
        }
        # an activation of another kind (GroupSort, SiLU) in a ReLU's place pairs with the ReLU, not
        # with a BatchNorm its network dropped too
        both_activation = {x.kind, y.kind} <= {OpKind.RELU, OpKind.ACTIVATION}
        return 0.5 if both_pool or both_activation else -2.0
    score = 2.0
    if x.kind is OpKind.CONV:
        ax, ay = dict(x.attrs), dict(y.attrs)
        score += 0.5 if ax.get("kernel_size") == ay.get("kernel_size") else 0.0
        score += 0.5 if ax.get("out_channels") == ay.get("out_channels") else 0.0
        # a conv on a pooled 1x1 map (an SE gate's) is no conv over the feature map (a bottleneck's)
        score += 0.5 if _pooled_input(x) == _pooled_input(y) else -1.5
    elif x.kind is OpKind.OTHER:  # a function's name is what it is: an extra softmax beside the same mean
        score += 0.5 if dict(x.attrs).get("function") == dict(y.attrs).get("function") else 0.0
    return score


def _pooled_input(op: OpRecord) -> bool:
    spatial = op.in_shapes[0][2:] if op.in_shapes else ()
    return bool(spatial) and all(s == 1 for s in spatial)


@dataclass(frozen=True, slots=True)
class OpPair:
    reference: int | None
    candidate: int | None


def align_ops(
    ref: Trace,
    ref_ops: Sequence[int],
    cand: Trace,
    cand_ops: Sequence[int],
    score: Callable[[Trace, int, Trace, int], float] = _op_score,
) -> tuple[OpPair, ...]:
    a, b = significant(ref, ref_ops), significant(cand, cand_ops)
    pairs = needleman_wunsch(len(a), len(b), lambda i, j: score(ref, a[i], cand, b[j]), gap=-1.5)
    return tuple(OpPair(a[i] if i is not None else None, b[j] if j is not None else None) for i, j in pairs)


def _stem_op_score(ref: Trace, a: int, cand: Trace, b: int) -> float:
    # Stem convs pair by role: the one that downsamples with the one that downsamples. A deep stem
    # (three 3x3 convs, the first strided) then pairs its strided conv with the 7x7, and its two
    # stride-1 convs read as extra, instead of the last conv pairing with the 7x7 for its width.
    score = _op_score(ref, a, cand, b)
    x, y = ref.ops[a], cand.ops[b]
    if x.kind is OpKind.CONV and y.kind is OpKind.CONV:
        score += 1.0 if dict(x.attrs).get("stride") == dict(y.attrs).get("stride") else 0.0
    return score


def align_stem_ops(ref: Trace, cand: Trace) -> tuple[OpPair, ...]:
    return align_ops(ref, ref.structure.stem, cand, cand.structure.stem, score=_stem_op_score)


@dataclass(frozen=True, slots=True)
class BlockOps:
    """The op alignment of one block pair, per path."""

    main: tuple[OpPair, ...]
    shortcut: tuple[OpPair, ...]
    tail: tuple[OpPair, ...]


def align_block_ops(ref: Trace, a: Block, cand: Trace, b: Block) -> BlockOps:
    return BlockOps(
        main=align_ops(ref, a.main, cand, b.main),
        shortcut=align_ops(ref, a.shortcut, cand, b.shortcut),
        tail=align_ops(ref, a.tail, cand, b.tail),
    )


def is_residual(block: Block) -> bool:
    return block.kind is BlockKind.RESIDUAL
