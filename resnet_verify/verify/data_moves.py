"""Two spellings of one data move are no difference: compared by where each element goes.

TSM's temporal shift written into a zero-filled tensor slice by slice, or as slices concatenated with
a block of zeros; a cost volume filled by a loop, or built by ``F.pad`` and ``torch.stack``; a nearest
upsampling, or an unfold with each cell copied. Op by op these differ everywhere; as moves they are
one. Where the op mismatches of a region of moves (tracing/moves.py) are all there is, the region is
replayed on both sides from the tensors the alignment pairs (the same labels on both sides), and if
every tensor the next paired op reads carries the same labels, the region's mismatches go: nothing
differs. Anything that cannot be replayed exactly, or an input or reader the alignment did not pair,
keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import torch

from resnet_verify.tracing.moves import MAX_LABELS, data_inputs, is_move, labels, replay_move
from resnet_verify.tracing.records import INPUT_ID, OpRecord, Trace, readers
from resnet_verify.verify.records import Mismatch

_MAX_OPS = 400  # a region larger than this is not replayed (a whole network of slices)
_Values = dict[int, torch.Tensor]


class _Side:
    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.moves = {op.id for op in trace.ops if is_move(op)}
        self.readers = readers(trace.ops)

    def region(self, seeds: Sequence[int]) -> set[int] | None:
        """The moves connected to ``seeds`` through the elements they carry."""
        out: set[int] = set()
        todo = [s for s in seeds if s in self.moves]
        while todo:
            i = todo.pop()
            if i in out:
                continue
            out.add(i)
            if len(out) > _MAX_OPS:
                return None
            op = self.trace.ops[i]
            todo += [op.inputs[p] for p in data_inputs(op) if op.inputs[p] in self.moves]
            todo += [r for r in self.readers.get(i, []) if r in self.moves and self._carries(r, i)]
        return out

    def shape(self, op_id: int) -> tuple[int, ...]:
        """The shape the op's readers read it at (its out_shape may be rewritten channels-first)."""
        for r in self.readers.get(op_id, []):
            reader = self.trace.ops[r]
            at = [p for p, i in enumerate(reader.inputs) if i == op_id and p < len(reader.in_shapes)]
            if at:
                return tuple(reader.in_shapes[at[0]])
        return tuple(self.trace.ops[op_id].out_shape or ())

    def _carries(self, reader: int, producer: int) -> bool:
        op = self.trace.ops[reader]
        return any(op.inputs[p] == producer for p in data_inputs(op))

    def sources(self, region: set[int]) -> list[int]:
        """What the region reads from outside, in the order it first reads it."""
        out: list[int] = []
        for i in sorted(region):
            op = self.trace.ops[i]
            out += [op.inputs[p] for p in data_inputs(op) if op.inputs[p] not in region]
        return list(dict.fromkeys(out))

    def exits(self, region: set[int]) -> list[tuple[int, int, int]]:
        """(outside reader, input position, what it reads) for every read of the region's tensors."""
        out = []
        for v in sorted(region):
            for r in self.readers.get(v, []):
                op = self.trace.ops[r]
                reads = data_inputs(op) if r in self.moves else range(len(op.inputs))
                out += [(r, p, v) for p in reads if op.inputs[p] == v and r not in region]
        return out

    def replay(self, region: set[int], labels: dict[int, torch.Tensor]) -> dict[int, torch.Tensor] | None:
        values = dict(labels)
        for i in sorted(region):
            op = self.trace.ops[i]
            xs = [values.get(op.inputs[p]) for p in data_inputs(op)]
            if any(x is None for x in xs):
                return None
            value = replay_move(op, [x for x in xs if x is not None], self.shape(i))
            if value is None or value.numel() > MAX_LABELS:
                return None
            values[i] = value
        return values


def _shape(trace: Trace, tensor: int) -> tuple[int, ...] | None:
    shape = (
        trace.input_shape if tensor == INPUT_ID else (trace.ops[tensor].out_shape if tensor >= 0 else None)
    )
    return tuple(shape) if shape is not None else None


def _labels(trace: Trace, sources: Sequence[int]) -> dict[int, torch.Tensor] | None:
    """Each source's elements labelled 1, 2, 3 ... across all sources (0 is a zero)."""
    out: dict[int, torch.Tensor] = {}
    start = 1
    for s in sources:
        shape = _shape(trace, s)
        tensor = labels(shape, start) if shape is not None else None
        if tensor is None:
            return None
        out[s] = tensor
        start += tensor.numel()
    return out


class Pairing:
    def __init__(self, ref: Trace, cand: Trace, paired: dict[int, int]) -> None:
        self.sides = (_Side(ref), _Side(cand))
        self.maps = (
            {INPUT_ID: INPUT_ID, **paired},
            {INPUT_ID: INPUT_ID, **{c: r for r, c in paired.items()}},
        )
        self.found: tuple[set[int], set[int]] = (set(), set())
        self.repaired: tuple[set[int], set[int]] = (set(), set())
        self.pending: tuple[set[int], set[int]] = (set(), set())

    def _grown(self, side: int, region: set[int]) -> set[int] | None:
        """Every move of the other side reading what ``region`` reads, paired."""
        this, other = self.sides[side], self.sides[1 - side]
        mapped = [self.maps[side].get(s) for s in this.sources(region)]
        if any(m is None for m in mapped):
            return None
        seeds = [r for m in mapped if m is not None for r in other.readers.get(m, []) if r in other.moves]
        return other.region(seeds)

    def regions(self, side: int, seed: int) -> tuple[set[int], set[int]] | None:
        """The region around ``seed`` and the other side's region reading the same tensors, grown until
        each reads all the other does."""
        found = self.sides[side].region([seed])
        other = self._grown(side, found) if found is not None else None
        for _ in range(4):
            if found is None or other is None:
                return None
            back = self._grown(1 - side, other)
            if back is None or back | found == found:
                return (found, other) if side == 0 else (other, found)
            found = found | back
            other = self._grown(side, found)
        return None

    def replayed(self, ref_region: set[int], cand_region: set[int]) -> tuple[_Values, _Values] | None:
        """Both regions replayed from the same labels on the tensors the alignment pairs (each
        side's values by op id, its sources' labels included); None where that cannot be done."""
        (rs, cs), to_c = self.sides, self.maps[0]
        back = [self.maps[1].get(c) for c in cs.sources(cand_region)]
        r_src = list(dict.fromkeys([*rs.sources(ref_region), *(b for b in back if b is not None)]))
        r_labels = _labels(rs.trace, r_src)
        if r_labels is None or None in back or any(s not in to_c for s in r_src):
            return None
        c_labels = {to_c[s]: r_labels[s] for s in r_src}
        if any(_shape(cs.trace, c) != tuple(v.shape) for c, v in c_labels.items()):
            return None
        ref_values, cand_values = rs.replay(ref_region, r_labels), cs.replay(cand_region, c_labels)
        if ref_values is None or cand_values is None:
            return None
        return ref_values, cand_values

    def equal(self, ref_region: set[int], cand_region: set[int]) -> bool:
        rs, cs = self.sides
        self.found, self.pending = (ref_region, cand_region), (set(), set())
        if any(
            {t.trace.output_op, *t.trace.side_outputs} & r for t, r in ((rs, ref_region), (cs, cand_region))
        ):
            return False  # what the model returns is compared as its output, never dropped here
        if any(not t.readers.get(i) for t, r in ((rs, ref_region), (cs, cand_region)) for i in r):
            return False  # a move nothing reads: returned in a container, or dropped
        values = self.replayed(ref_region, cand_region)
        if values is None:
            return False
        if not (self._reads_agree(0, ref_region, values) and self._reads_agree(1, cand_region, values)):
            return False
        self.repaired[0].update(self.pending[0])
        self.repaired[1].update(self.pending[1])
        return True

    def _reads_agree(self, side: int, region: set[int], values: tuple[_Values, _Values]) -> bool:
        """Every outside read of the region reads the same labels on the other side: at the op the
        alignment pairs with the reader, else (the moves can mislead the alignment) at a read of the
        other region by an op of the same name and arguments, which then counts as its pair."""
        this, other = self.sides[side], self.sides[1 - side]
        theirs = other.exits(self.found[1 - side])
        for reader, position, tensor in this.exits(region):
            mine = values[side][tensor]
            twin = self.maps[side].get(reader)
            if twin is not None and twin >= 0 and position < len(other.trace.ops[twin].inputs):
                read = values[1 - side].get(other.trace.ops[twin].inputs[position])
                if read is not None and torch.equal(mine, read):
                    continue
            op = this.trace.ops[reader]
            match = next((r for r, p, t in theirs if p == position and _same_op(op, other.trace.ops[r])
                          and torch.equal(mine, values[1 - side][t])), None)  # fmt: skip
            if match is None:
                return False
            self.pending[side].add(reader)
            self.pending[1 - side].add(match)
        return True


def _same_op(a: OpRecord, b: OpRecord) -> bool:
    return a.name == b.name and a.attrs == b.attrs and a.params == b.params


def equal_moves(
    ref: Trace, cand: Trace, mismatches: list[Mismatch], paired: dict[int, int]
) -> list[Mismatch]:
    """``mismatches`` less those of regions of moves that send every element where the other side does."""
    seeds = [(0, m.reference_op) for m in mismatches if m.reference_op is not None] + [
        (1, m.candidate_op) for m in mismatches if m.candidate_op is not None
    ]
    seeds = [(side, i) for side, i in seeds if i >= 0 and is_move((ref, cand)[side].ops[i])]
    if not seeds:
        return mismatches
    pairing = Pairing(ref, cand, paired)
    gone: tuple[set[int], set[int]] = (set(), set())
    tried: tuple[set[int], set[int]] = (set(), set())
    for side, seed in seeds:
        if seed is None or seed in tried[side]:
            continue
        found = pairing.regions(side, seed)
        tried[side].add(seed)
        if found is None:
            continue
        tried[0].update(found[0])
        tried[1].update(found[1])
        if pairing.equal(*found):
            gone[0].update(found[0])
            gone[1].update(found[1])
    if not (gone[0] or gone[1]):
        return mismatches
    return _without(mismatches, gone, pairing.repaired)


def _without(
    mismatches: list[Mismatch], gone: tuple[set[int], set[int]], repaired: tuple[set[int], set[int]]
) -> list[Mismatch]:
    def inside(m: Mismatch) -> bool:
        r, c = m.reference_op, m.candidate_op
        known = (gone[0] | repaired[0], gone[1] | repaired[1])
        if r is None and c is None:
            return False
        return (r is None or r in known[0]) and (c is None or c in known[1])

    keep = [i for i, m in enumerate(mismatches) if not inside(m)]
    index = {old: new for new, old in enumerate(keep)}
    return [
        replace(m, cause=index.get(m.cause) if m.cause is not None else None)
        for m in (mismatches[i] for i in keep)
    ]


__all__ = ["Pairing", "equal_moves"]
