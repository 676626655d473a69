"""The same downsampling done by another op: a stride moved from one layer to another in a unit.

Found from structure, not names: within one unit (the stem, or one path of a block) both sides
downsample by the same factor, but the ops that carry the stride differ: timm's ``aa`` models and
CLIP's ResNet run the 3x3 conv at stride 1 and stride with an average pool after it; a stem's max
pool at stride 1 followed by a strided average pool; a strided 1x1 ahead of a stride-1 pool. One
finding per new downsampling op kind, whichever units hold it: it claims the stride attributes, the
spatial-only shape changes in between and the op that now strides. A move the catalogue names
(v1/v1.5 stride, ResNet-D shortcut, a deep stem, blur pooling) is claimed by its own detector first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, dims, square, stride_of, strided
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern, Region


@dataclass(frozen=True, slots=True)
class _Move:
    place: str  # "the stem", "layer2.0 (main path)"
    block: int | None  # reference block index; None for the stem
    region: Region
    before: tuple[tuple[OpRecord, int], ...]  # reference ops whose stride moved away, with their rank
    after: tuple[tuple[OpRecord, int], ...]  # candidate ops that took it

    @property
    def same_kind(self) -> bool:  # a stride moved between two 3x3 convs: say which by rank
        return sorted(phrase(o) for o, _ in self.before) == sorted(phrase(o) for o, _ in self.after)


def phrase(op: OpRecord) -> str:
    """``3x3 conv``, ``avg pool``, ``max pool``: what the op is, as a reader names it."""
    if op.kind is OpKind.CONV:
        return f"{dims(op, 'kernel_size')} conv"
    return op.kind.value.replace("_", " ")


def _ranked(trace: Trace, ids: Sequence[int]) -> dict[tuple[str, int], OpRecord]:
    """The unit's ops by kind and rank among the unit's ops of that kind (the first 3x3 conv, the
    second ...): a stride moved between two 3x3 convs is a move."""
    seen: Counter[str] = Counter()
    out = {}
    for i in ids:
        op = trace.ops[i]
        seen[phrase(op)] += 1
        out[(phrase(op), seen[phrase(op)])] = op
    return out


def _strided_ranked(ops: dict[tuple[str, int], OpRecord]) -> list[tuple[OpRecord, int]]:
    return [(op, rank) for (_, rank), op in ops.items() if strided(op)]


def _kept(moved: Sequence[tuple[OpRecord, int]], other: dict[tuple[str, int], OpRecord]) -> bool:
    """Some op that lost (or took) the stride is still there on the other side, unstrided: the stride
    moved. A strided max pool that became a strided avg pool is a swap, not a move."""
    return any((k := (phrase(o), r)) in other and not strided(other[k]) for o, r in moved)


def _factor(ops: Sequence[tuple[OpRecord, int]]) -> tuple[int, ...]:
    axes = max((len(stride_of(o)) for o, _ in ops), default=0)
    return tuple(
        math.prod(stride_of(o)[a] if a < len(stride_of(o)) else 1 for o, _ in ops) for a in range(axes)
    )


def _unmatched(
    ops: list[tuple[OpRecord, int]], others: list[tuple[OpRecord, int]]
) -> list[tuple[OpRecord, int]]:
    """The strided ops of one side the other lacks (same kind, rank and stride cancel out)."""
    theirs = {(phrase(o), rank, stride_of(o)) for o, rank in others}
    return [(o, rank) for o, rank in ops if (phrase(o), rank, stride_of(o)) not in theirs]


def _units(ctx: Context) -> list[tuple[str, int | None, Region, Sequence[int], Sequence[int]]]:
    ref_s, cand_s = ctx.reference.structure, ctx.candidate.structure
    out: list[tuple[str, int | None, Region, Sequence[int], Sequence[int]]] = [
        ("the stem", None, Region.STEM, ref_s.stem, cand_s.stem)
    ]
    for p, a, b in ctx.paired_blocks():
        out.append((f"{a.path} (main path)", p.reference, Region.MAIN, a.main, b.main))
        if a.shortcut or b.shortcut:
            out.append((f"{a.path} (shortcut)", p.reference, Region.SHORTCUT, a.shortcut, b.shortcut))
    return out


def _moves(ctx: Context) -> list[_Move]:
    moves = []
    for place, block, region, ref_ids, cand_ids in _units(ctx):
        ref_ops, cand_ops = _ranked(ctx.reference, ref_ids), _ranked(ctx.candidate, cand_ids)
        ref, cand = _strided_ranked(ref_ops), _strided_ranked(cand_ops)
        if not ref or not cand or _factor(ref) != _factor(cand):
            continue
        before, after = _unmatched(ref, cand), _unmatched(cand, ref)
        if before and after and (_kept(before, cand_ops) or _kept(after, ref_ops)):
            moves.append(_Move(place, block, region, tuple(before), tuple(after)))
    return moves


def _in_unit(m: Mismatch, move: _Move) -> bool:
    if move.block is None:
        return m.region is Region.STEM
    return m.region is move.region and m.block is not None and m.block.reference == move.block


def _spatial_only(m: Mismatch) -> bool:
    e, a = m.expected, m.actual
    return isinstance(e, tuple) and isinstance(a, tuple) and len(e) == len(a) > 2 and e[:2] == a[:2]


def _claims(ctx: Context, move: _Move) -> tuple[int, ...]:
    moved_ref = {o.id for o, _ in move.before}
    moved_cand = {o.id for o, _ in move.after}
    return ctx.indices(
        lambda m: (
            _in_unit(m, move)
            and (
                (m.field == "stride" and (m.reference_op in moved_ref or m.candidate_op in moved_cand))
                or (m.kind is MismatchKind.SHAPE and _spatial_only(m))
                or (m.candidate_op in moved_cand and m.kind in (MismatchKind.EXTRA, MismatchKind.OP))
                or (m.reference_op in moved_ref and m.kind in (MismatchKind.MISSING, MismatchKind.OP))
            )
        )
    )


_ORDINAL = ("", "first ", "second ", "third ", "fourth ")


def _kind(pairs: Sequence[tuple[OpRecord, int]], ranked: bool) -> str:
    return " and ".join(f"{_ORDINAL[r] if ranked and r < len(_ORDINAL) else ''}{phrase(o)}" for o, r in pairs)


def _words(pairs: Sequence[tuple[OpRecord, int]], ranked: bool) -> str:
    return " and ".join(f"the {_kind([(o, r)], ranked)} ({o.module_path or 'forward'})" for o, r in pairs)


def detect_downsampling_moved(ctx: Context) -> list[Finding]:
    # one finding per transformation (which ops lost the stride, which took it), in any units
    groups: dict[tuple[str, str], list[tuple[_Move, tuple[int, ...]]]] = {}
    for move in _moves(ctx):
        claimed = tuple(i for i in _claims(ctx, move) if i not in ctx.claimed)
        if any(ctx.mismatches[i].kind is not MismatchKind.SHAPE for i in claimed):
            key = (_kind(move.before, move.same_kind), _kind(move.after, move.same_kind))
            groups.setdefault(key, []).append((move, claimed))
    return [_finding(ctx, old, new, hits) for (old, new), hits in groups.items()]


def _added(ctx: Context, op: OpRecord) -> bool:
    """The op has no counterpart in the reference (the mismatch that reports it has nothing expected)."""
    return any(m.candidate_op == op.id and m.expected is None for m in ctx.mismatches)


def _finding(ctx: Context, old: str, new: str, hits: list[tuple[_Move, tuple[int, ...]]]) -> Finding:
    places = [m.place for m, _ in hits]
    first = hits[0][0]
    op = first.after[0][0]
    shown = ", ".join(places[:4]) + (f" and {len(places) - 4} more" if len(places) > 4 else "")
    site = ctx.site(op.module_path)
    message = (
        f"In {len(places)} place{'s' if len(places) > 1 else ''} ({shown}) the candidate downsamples with "
        f"{_words(first.after, first.same_kind)} at stride {square(stride_of(op))}, where the reference "
        f"strides {_words(first.before, first.same_kind)}; the stride moved, the downsampling factor did "
        "not. Output sizes agree; MACs, what each layer sees and the outputs differ."
    )
    undo = (
        f"remove the {new}" if all(_added(ctx, o) for o, _ in first.after) else f"run the {new} at stride 1"
    )
    fix = f"{at(op.module_path, site)}: to match the reference, give the {old} the stride and {undo}"
    return Finding(
        pattern=Pattern.DOWNSAMPLING_MOVED,
        title=f"Downsampling moved from the {old} to the {new}",
        message=message,
        locations=tuple(dict.fromkeys(o.module_path for m, _ in hits for o, _ in m.before)),
        mismatches=tuple(sorted({i for _, c in hits for i in c})),
        suggestion=fix,
        source=site,
    )


__all__ = ["detect_downsampling_moved", "phrase"]
