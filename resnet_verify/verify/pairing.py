"""Parameter pairing: which candidate tensor receives which reference tensor.

:func:`pair_parameters` pairs every reference parameter and buffer with a candidate tensor by
walking the structural alignment of a :class:`~resnet_verify.verify.records.Comparison` (stem, every
block pair's main path / shortcut / tail, head) and zipping the ``params`` of each aligned op pair
*by role* (conv/linear: weight, bias; batch norm: running_mean, running_var, weight, bias).
Parameterised ops the alignment left unpaired inside one region (a BatchNorm moved across the
add, say) are paired afterwards in order, by kind and shapes. ``num_batches_tracked`` follows its
BatchNorm. Tensors no op consumes (``num_batches_tracked``, an unused module) never block a
mapping; they are listed as ``unused_*``. A conv/linear bias the reference op does not have is
set to zero (``zero_candidate``): the same function, so porting into ``bias=True`` convs works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from resnet_verify.tracing.records import Block, OpKind, OpRecord, ParamInfo, Trace
from resnet_verify.verify.align import OpPair, align_block_ops, align_ops
from resnet_verify.verify.records import Comparison

_MAX_LISTED = 3


@dataclass(frozen=True, slots=True)
class ParamMapping:
    """Which candidate tensor receives which reference tensor.

    ``pairs`` holds ``(reference_name, candidate_name)`` (first qualified names, as in the traces);
    a reference tensor may feed several candidate tensors, never the reverse. ``complete`` is True
    when every tensor an op consumed, on either side, is paired without conflict. ``zero_candidate``
    are conv/linear biases the reference op does not have: a zero bias computes the same thing,
    so they are set to zero rather than left unpaired.
    """

    pairs: tuple[tuple[str, str], ...]
    unpaired_reference: tuple[str, ...]
    unpaired_candidate: tuple[str, ...]
    complete: bool
    reason: str | None
    unused_reference: tuple[str, ...] = ()
    unused_candidate: tuple[str, ...] = ()
    zero_candidate: tuple[str, ...] = ()
    # (reference module path, why its aligned candidate op's tensors do not fit), in op order
    differences: tuple[tuple[str, str], ...] = ()
    conflicts: tuple[str, ...] = ()  # candidate tensors the reference fills from several tensors

    def sources(self) -> dict[str, str]:
        """candidate name -> reference name."""
        return {c: r for r, c in self.pairs}


def _bn_roles(op: OpRecord, table: dict[str, ParamInfo]) -> list[tuple[str, str]]:
    buffers = [p for p in op.params if table.get(p) is not None and table[p].is_buffer]
    weights = [p for p in op.params if p not in buffers]
    roles = list(zip(("running_mean", "running_var"), buffers))
    roles += list(zip(("weight", "bias"), weights))
    return roles


def _roles(op: OpRecord, table: dict[str, ParamInfo]) -> list[tuple[str, str]]:
    """``(role, name)`` for every tensor ``op`` consumed; roles are comparable across models."""
    if op.kind is OpKind.BATCH_NORM:
        return _bn_roles(op, table)
    if op.kind in (OpKind.CONV, OpKind.LINEAR):
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for p in op.params:
            info = table.get(p)
            role = "weight" if info is None or len(info.shape) != 1 else "bias"
            role = role if role not in seen else f"{role}{len(out)}"
            seen.add(role)
            out.append((role, p))
        return out
    return [(f"p{i}", p) for i, p in enumerate(op.params)]


def _op_where(op: OpRecord) -> str:
    return op.module_path or op.name


class _Pairer:
    def __init__(self, ref: Trace, cand: Trace) -> None:
        self.ref, self.cand = ref, cand
        self.rt = {p.name: p for p in ref.params}
        self.ct = {p.name: p for p in cand.params}
        self.pairs: dict[tuple[str, str], None] = {}
        self.problems: dict[int, str] = {}  # reference op id -> why its aligned partner misfit
        self.zero: dict[str, None] = {}  # candidate biases the reference op lacks

    def try_pair(self, r: OpRecord, c: OpRecord, *, commit: bool = True) -> bool:
        """Pair the tensors of two ops of the same kind by role; False if roles or shapes differ.

        With ``commit`` the pairs are kept, or the reason they do not fit is recorded.
        """
        if r.kind is not c.kind:
            return False
        rr, cr = dict(_roles(r, self.rt)), dict(_roles(c, self.ct))
        extra_bias = (
            r.kind in (OpKind.CONV, OpKind.LINEAR) and set(cr) - set(rr) == {"bias"} and set(rr) <= set(cr)
        )
        if set(rr) != set(cr) and not extra_bias:
            if commit:
                only_r = sorted(set(rr) - set(cr))
                only_c = sorted(set(cr) - set(rr))
                bits = []
                if only_r:
                    bits.append(f"{_op_where(c)} has no {', '.join(only_r)}")
                if only_c:
                    bits.append(f"{_op_where(c)} has a {', '.join(only_c)} that {_op_where(r)} does not")
                self.problems[r.id] = "; ".join(bits)
            return False
        for role, rname in rr.items():
            rs, cs = self.rt[rname].shape, self.ct[cr[role]].shape
            if rs != cs:
                if commit:
                    self.problems[r.id] = f"{rname} {list(rs)} vs {cr[role]} {list(cs)}"
                return False
        if commit:
            for role, rname in rr.items():
                self.pairs[(rname, cr[role])] = None
            if extra_bias:
                self.zero[cr["bias"]] = None
            self.problems.pop(r.id, None)
        return True

    def region(
        self, pairs: Sequence[OpPair], ref_extra: Sequence[int] = (), cand_extra: Sequence[int] = ()
    ) -> None:
        """Pair op-aligned tensors, then leftovers of one region in order by kind and shapes."""
        left_r: list[int] = [o for o in ref_extra if self.ref.ops[o].params]
        left_c: list[int] = [o for o in cand_extra if self.cand.ops[o].params]
        for pair in pairs:
            r = self.ref.ops[pair.reference] if pair.reference is not None else None
            c = self.cand.ops[pair.candidate] if pair.candidate is not None else None
            both = r is not None and c is not None and bool(r.params or c.params)
            if both and r is not None and c is not None and r.kind is c.kind and self.try_pair(r, c):
                continue
            if r is not None and r.params:
                left_r.append(r.id)
            if c is not None and c.params:
                left_c.append(c.id)
        left_r.sort()
        left_c.sort()
        used: set[int] = set()
        for ro in left_r:
            r = self.ref.ops[ro]
            for co in left_c:
                if co not in used and self.try_pair(r, self.cand.ops[co], commit=False):
                    self.try_pair(r, self.cand.ops[co])
                    used.add(co)
                    break


def _block_ops(b: Block) -> list[int]:
    return [*b.main, *b.shortcut, *([b.merge_op] if b.merge_op is not None else []), *b.tail]


def _pair_regions(comparison: Comparison) -> _Pairer:
    """Pair the stem, every aligned block, the head, then the ops outside all three."""
    ref, cand = comparison.reference, comparison.candidate
    pairer = _Pairer(ref, cand)
    rs, cs = ref.structure, cand.structure
    covered_r: set[int] = set(rs.stem) | set(rs.head)
    covered_c: set[int] = set(cs.stem) | set(cs.head)
    pairer.region(align_ops(ref, rs.stem, cand, cs.stem))
    for bp in comparison.blocks:
        rb = rs.blocks[bp.reference] if bp.reference is not None else None
        cb = cs.blocks[bp.candidate] if bp.candidate is not None else None
        if rb is not None:
            covered_r.update(_block_ops(rb))
        if cb is not None:
            covered_c.update(_block_ops(cb))
        if rb is not None and cb is not None:
            bo = align_block_ops(ref, rb, cand, cb)
            pairer.region((*bo.main, *bo.shortcut, *bo.tail))
    pairer.region(align_ops(ref, rs.head, cand, cs.head))
    # Ops outside stem, blocks and head (rare): one more region, in order.
    pairer.region(
        (),
        [o.id for o in ref.ops if o.id not in covered_r],
        [o.id for o in cand.ops if o.id not in covered_c],
    )
    _pair_batch_counters(pairer)
    return pairer


def _pair_batch_counters(pairer: _Pairer) -> None:
    """num_batches_tracked follows its BatchNorm's running_mean."""
    for rname, cname in list(pairer.pairs):
        if rname.endswith("running_mean") and cname.endswith("running_mean"):
            rn = rname[: -len("running_mean")] + "num_batches_tracked"
            cn = cname[: -len("running_mean")] + "num_batches_tracked"
            if rn in pairer.rt and cn in pairer.ct:
                pairer.pairs[(rn, cn)] = None


@dataclass(frozen=True, slots=True)
class _Tally:
    """What the pairing left over, on each side, once every region is paired."""

    pairs: tuple[tuple[str, str], ...]
    unpaired_r: tuple[str, ...]
    unpaired_c: tuple[str, ...]
    unused_r: tuple[str, ...]
    unused_c: tuple[str, ...]
    zero: tuple[str, ...]
    conflicts: tuple[str, ...]
    first_conflict_sources: tuple[str, ...]  # the reference tensors the first conflict is paired with


def _tally(pairer: _Pairer) -> _Tally:
    ref, cand = pairer.ref, pairer.cand
    pairs = tuple(pairer.pairs)
    paired_r = {r for r, _ in pairs}
    paired_c = {c for _, c in pairs}
    zero = tuple(z for z in pairer.zero if z not in paired_c)
    paired_c |= set(zero)
    consumed_r = {p for op in ref.ops for p in op.params}
    consumed_c = {p for op in cand.ops for p in op.params}
    sources: dict[str, set[str]] = {}
    for r, c in pairs:
        sources.setdefault(c, set()).add(r)
    conflicts = tuple(sorted(c for c, rs_ in sources.items() if len(rs_) > 1))
    return _Tally(
        pairs=pairs,
        unpaired_r=tuple(p.name for p in ref.params if p.name in consumed_r and p.name not in paired_r),
        unpaired_c=tuple(p.name for p in cand.params if p.name in consumed_c and p.name not in paired_c),
        unused_r=tuple(p.name for p in ref.params if p.name not in consumed_r and p.name not in paired_r),
        unused_c=tuple(p.name for p in cand.params if p.name not in consumed_c and p.name not in paired_c),
        zero=zero,
        conflicts=conflicts,
        first_conflict_sources=tuple(sorted(sources[conflicts[0]])) if conflicts else (),
    )


def _reasons(tally: _Tally, differences: Sequence[tuple[str, str]]) -> list[str]:
    """Why the mapping is incomplete; empty when it is complete."""
    reasons = []
    if tally.unpaired_r:
        n = len(tally.unpaired_r)
        reasons.append(
            f"{n} reference tensor{'s' if n != 1 else ''} "
            f"without a candidate partner ({_listing(tally.unpaired_r)})"
        )
    if tally.unpaired_c:
        n = len(tally.unpaired_c)
        reasons.append(
            f"{n} candidate tensor{'s' if n != 1 else ''} "
            f"without a reference partner ({_listing(tally.unpaired_c)})"
        )
    if tally.conflicts:
        reasons.append(
            f"candidate tensor {tally.conflicts[0]} is used where the reference has different tensors "
            f"({', '.join(tally.first_conflict_sources)})"
        )
    if reasons and differences:
        seen = list(dict.fromkeys(p for _, p in differences))
        reasons.append("first differences: " + "; ".join(seen[:_MAX_LISTED]))
    return reasons


def pair_parameters(comparison: Comparison) -> ParamMapping:
    """Pair every reference parameter and buffer with a candidate tensor through the alignment."""
    ref, cand = comparison.reference, comparison.candidate
    if cand.crash is not None:
        return ParamMapping(
            (),
            (),
            (),
            False,
            "the candidate's forward crashed "
            f"({cand.crash.error_type} in {cand.crash.module_path or 'the model'})",
        )
    pairer = _pair_regions(comparison)
    tally = _tally(pairer)
    differences: dict[tuple[str, str], None] = {}
    for op_id, problem in sorted(pairer.problems.items()):
        differences[(_op_where(ref.ops[op_id]), problem)] = None
    reasons = _reasons(tally, tuple(differences))
    complete = not reasons
    return ParamMapping(
        pairs=tally.pairs,
        unpaired_reference=tally.unpaired_r,
        unpaired_candidate=tally.unpaired_c,
        complete=complete,
        reason=None if complete else "; ".join(reasons),
        unused_reference=tally.unused_r,
        unused_candidate=tally.unused_c,
        zero_candidate=tally.zero,
        differences=tuple(differences),
        conflicts=tally.conflicts,
    )


def _listing(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f", ... {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else "")


def mapping_notes(mapping: ParamMapping) -> tuple[str, ...]:
    notes = []
    if mapping.zero_candidate:
        n = len(mapping.zero_candidate)
        notes.append(
            f"numeric check: {n} candidate bias{'es' if n != 1 else ''} with no "
            f"reference counterpart set to zero ({_listing(mapping.zero_candidate)})"
        )
    unused = [u for u in mapping.unused_candidate if not u.endswith("num_batches_tracked")]
    if unused:
        n = len(unused)
        notes.append(
            f"numeric check: {n} candidate tensor{'s' if n != 1 else ''} that no op "
            f"uses kept {'their' if n != 1 else 'its'} own values ({_listing(unused)})"
        )
    return tuple(notes)


__all__ = ["ParamMapping", "mapping_notes", "pair_parameters"]
