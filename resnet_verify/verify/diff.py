"""Typed mismatches from an alignment: missing / extra / shape / params / attribute / op / crash.

Shape mismatches are reported only where a shape *diverges* (same input shape, different output),
so one stride bug is one shape mismatch, not a cascade through every later layer. Within one op pair,
a shape or parameter difference that follows from an attribute difference (a stride, a bias) carries
that attribute mismatch as its ``cause``, so it hangs under it instead of counting on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from resnet_verify.tracing.buffer_values import agrees_but_unread
from resnet_verify.tracing.records import (
    Block,
    BlockKind,
    OpKind,
    OpRecord,
    SourceLoc,
    Trace,
    format_shape,
)
from resnet_verify.verify.align import (
    OpPair,
    align_block_ops,
    align_ops,
    align_stem_ops,
    held_blocks,
    significant,
)
from resnet_verify.verify.arrangement import rearranged
from resnet_verify.verify.beyond_layers import beyond_layers
from resnet_verify.verify.crash import crash_mismatch
from resnet_verify.verify.data_moves import equal_moves
from resnet_verify.verify.dataflow_edges import FIELD as EDGE_FIELD
from resnet_verify.verify.dataflow_edges import rewired
from resnet_verify.verify.dead_ops import FIELD as DEAD_FIELD
from resnet_verify.verify.dead_ops import dead_ops, dropped_results
from resnet_verify.verify.diff_support import (
    block_desc,
    extra_unused_mismatch,
    label,
    moved_across_add,
    numel_table,
    op_label,
    outside_regions,
    placed,
    reading,
    resized_unused_mismatches,
    squeezed,
)
from resnet_verify.verify.inplace_skip import held_norms_follow, reword_inplace_skips
from resnet_verify.verify.linear_rows import one_linear
from resnet_verify.verify.lost_skips import own_ops_in_head, skip_mismatch
from resnet_verify.verify.module_swap import FIELD as SWAP_FIELD
from resnet_verify.verify.module_swap import ModuleSwaps, relative
from resnet_verify.verify.moved_blocks import moved_blocks
from resnet_verify.verify.moved_otherwise import moved_otherwise
from resnet_verify.verify.named_elsewhere import named_elsewhere
from resnet_verify.verify.param_totals import parameter_totals
from resnet_verify.verify.per_frame import per_frame
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region
from resnet_verify.verify.shape_values import map_size_values
from resnet_verify.verify.sharing import shared_parameter_mismatches

# Channel counts surface as shape mismatches (listed again they would double count); a second run's module is a name.
_SKIP_ATTRS = {"in_channels", "out_channels", "num_features", "module", "constant"}
# Compared only where both sides have them: a buffer's values are read from a model that holds
# values, and a model built on meta holds none (tracing/buffer_values.py).
# align_corners exists in a linear mode only, a norm's momentum with running statistics only (fresh_stats.py).
_BOTH_OR_NONE = {"values", "align_corners", "momentum"}
# A custom gradient's code is not traced: two are told apart by whether each side has one, never by
# the name of the Function that holds it (a rename, or a detach-written estimator, is no difference).
_PRESENCE = {"custom_backward"}
# Attributes whose difference explains an output-shape difference of the same op ...
_SHAPE_CAUSES = ("stride", "kernel_size", "padding", "dilation", "ceil_mode", "output_size")
# ... and those that explain a parameter-count difference of the same op.
_PARAM_CAUSES = ("bias", "groups", "kernel_size", "affine", "elementwise_affine")


@dataclass(frozen=True, slots=True)
class _Where:
    """The part of the network an op alignment belongs to."""

    region: Region
    text: str  # "layer3.0 main path", "stem", "head"
    ref_block: str
    cand_block: str
    block: BlockPair | None = None


class _Differ:
    def __init__(self, ref: Trace, cand: Trace) -> None:
        self.ref, self.cand = ref, cand
        self.out: list[Mismatch] = []
        self.sites = {c.path: c.source for c in cand.modules if c.source is not None}
        self.ref_numel, self.cand_numel = numel_table(ref), numel_table(cand)
        self.dead = (dead_ops(ref), dead_ops(cand))
        self.paired: dict[int, int] = {}  # reference op id -> candidate op id, every aligned pair
        self.swaps = ModuleSwaps(ref, cand)
        self.lost_skips: list[tuple[int, Block]] = []  # (mismatch index, the reference's skip over blocks)

    def add(self, m: Mismatch) -> int:
        self.out.append(m)
        return len(self.out) - 1

    def same_layer(self, r: OpRecord, c: OpRecord) -> bool:
        return (
            r.kind is c.kind
            and r.attrs == c.attrs
            and self.params_of(self.ref, r) == self.params_of(self.cand, c)
        )

    def params_of(self, trace: Trace, op: OpRecord) -> int:
        table = self.ref_numel if trace is self.ref else self.cand_numel
        return sum(table.get(n, 0) for n in set(op.params))

    def gap_site(self, missing: OpRecord | None, previous: OpRecord | None) -> SourceLoc | None:
        """Where a missing op should have been.

        A module that ran no op right after ``previous`` (an ``nn.Identity`` standing in for a
        ReLU) is the culprit; a missing layer with parameters belongs next to the construction of
        the layer before it; a missing parameter-free op belongs in ``forward``.
        """
        if previous is None:
            return None
        for call in self.cand.modules:
            if call.first_op == call.end_op == previous.id + 1 and call.source is not None:
                return call.source
        if missing is not None and missing.params:
            return self.sites.get(previous.module_path) or previous.source
        return previous.source

    def built_at(self, op: OpRecord | None) -> SourceLoc | None:
        """The line that constructed the op's module, else the forward line that called it."""
        if op is None:
            return None
        return self.sites.get(op.module_path) or op.source

    def op_pairs(
        self, pairs: Sequence[OpPair], where: _Where, ref_ops: Sequence[int], anchor: OpRecord | None = None
    ) -> None:
        """``anchor``: the candidate op just before these (the block's add for the ops after it), so
        an op missing first still points at the forward line it belonged after."""
        ref_sig = significant(self.ref, ref_ops)
        previous: OpRecord | None = anchor
        following = [p.candidate for p in pairs]
        for i, pair in enumerate(pairs):
            r = self.ref.ops[pair.reference] if pair.reference is not None else None
            c = self.cand.ops[pair.candidate] if pair.candidate is not None else None
            source = self.built_at(c) if c is not None else self.gap_site(r, previous)
            if source is None and c is None:  # missing before any candidate op: the next one's line
                after = next((self.cand.ops[k] for k in following[i:] if k is not None), None)
                source = after.source if after is not None else None
            previous = c or previous
            if r is not None and c is None:
                self.missing_op(r, ref_sig, where, source)
            elif c is not None and r is None:
                self.extra_op(c, where, source)
            elif r is not None and c is not None:
                self.paired[r.id] = c.id
                self.op_pair(r, c, where, source)

    def missing_op(self, r: OpRecord, ref_sig: list[int], where: _Where, source: SourceLoc | None) -> None:
        pos = ref_sig.index(r.id)
        prev = self.ref.ops[ref_sig[pos - 1]] if pos else None
        after = f" after {prev.module_path or op_label(self.ref, prev)}" if prev is not None else ""
        kind = MismatchKind.MISSING if self.params_of(self.ref, r) else MismatchKind.OP
        at, other, text = placed(self.ref, r, where.text, where.ref_block, where.cand_block)
        name = op_label(self.ref, r)
        self.add(Mismatch(
            kind, at, other, "op", name, None, f"{text}: {name}{after} is missing in the candidate",
            source, where.region, r.kind, where.block, reference_op=r.id,
        ))  # fmt: skip

    def extra_op(self, c: OpRecord, where: _Where, source: SourceLoc | None) -> None:
        kind = MismatchKind.EXTRA if self.params_of(self.cand, c) else MismatchKind.OP
        at, other, text = placed(self.cand, c, where.text, where.cand_block, where.ref_block)
        self.add(Mismatch(
            kind, other, at, "op", None, op_label(self.cand, c),
            f"{text}: extra {op_label(self.cand, c)} ({c.module_path or c.name}) not in the reference", source,
            where.region, c.kind, where.block, candidate_op=c.id,
        ))  # fmt: skip

    def op_pair(self, r: OpRecord, c: OpRecord, where: _Where, source: SourceLoc | None) -> None:
        def mismatch(kind: MismatchKind, field: str, exp: object, act: object, text: str) -> Mismatch:
            return Mismatch(kind, r.module_path, c.module_path, field, exp, act, f"{where.text}: {text}",
                            source, where.region, r.kind, where.block, r.id, c.id)  # fmt: skip

        r, c = one_linear(r, c)
        if r.kind is not c.kind:
            was, now = op_label(self.ref, r), op_label(self.cand, c)
            self.add(mismatch(MismatchKind.OP, "op", was, now, f"expected {was}, found {now}"))
            return
        ra, ca = per_frame(dict(r.attrs), dict(c.attrs))
        causes: dict[str, int] = {}
        for key in sorted(set(ra) | set(ca)):
            if (
                key in _SKIP_ATTRS
                or ra.get(key) == ca.get(key)
                or (key in _PRESENCE and key in ra and key in ca)
                or (key in _BOTH_OR_NONE and not (key in ra and key in ca))
                or (key == "param_ops" and not (r.params and c.params))  # no tensor: its params say it
                or (key in ra and key in ca and agrees_but_unread(ra[key], ca[key]))  # (one build: no value)
            ):
                continue
            text = f"{label(r)} {key} is {ca.get(key)!r}, expected {ra.get(key)!r}"
            causes[key] = self.add(mismatch(MismatchKind.ATTRIBUTE, key, ra.get(key), ca.get(key), text))
        if (side := self.swaps.swapped(r, c)) is not None:  # (verify/module_swap.py)
            idle = r.module_path if side == "candidate" else c.module_path
            self.add(mismatch(MismatchKind.OP, SWAP_FIELD, *relative(r.module_path, c.module_path),
                              f"the {side} runs {c.module_path if side == 'candidate' else r.module_path} "
                              f"here; its {idle} is built but never run"))  # fmt: skip
        dead = (r.id in self.dead[0], c.id in self.dead[1])
        if dead[0] != dead[1]:  # (verify/dead_ops.py)
            side = "candidate" if dead[1] else "reference"
            self.add(mismatch(MismatchKind.OP, DEAD_FIELD, not dead[0], not dead[1],
                              f"the {side}'s {label(r)} is computed but nothing reads its result"))  # fmt: skip
        shape_index: int | None = None
        if r.in_shapes[:1] == c.in_shapes[:1] and squeezed(r) != squeezed(c):
            text = f"{label(r)} output {format_shape(c.out_shape)}, expected {format_shape(r.out_shape)}"
            m = mismatch(MismatchKind.SHAPE, "output_shape", r.out_shape, c.out_shape, text)
            shape_index = self.add(replace(m, cause=_first(causes, _SHAPE_CAUSES)))
        rp, cp = self.params_of(self.ref, r), self.params_of(self.cand, c)
        if rp != cp:
            m = mismatch(
                MismatchKind.PARAMS, "params", rp, cp, f"{label(r)} has {cp:,} parameters, expected {rp:,}"
            )
            # a bias or groups explains the count only where the widths agree: a conv 4x as wide
            # with a bias differs by its width too, which must stay visible to the width rule
            widths = ("in_channels", "out_channels", "num_features", "in_features", "out_features")
            same = all(ra.get(k) == ca.get(k) for k in widths)
            cause = _first(causes, _PARAM_CAUSES) if same else None
            self.add(replace(m, cause=cause if cause is not None else shape_index))

    def block(self, pair: BlockPair, a: Block, b: Block) -> None:
        text = a.path or f"block {a.index}"
        if a.kind is not b.kind:
            self.kind_change(pair, a, b, text)
            return
        ops = align_block_ops(self.ref, a, self.cand, b)
        moved = moved_across_add(self.ref, self.cand, (*ops.main, *ops.shortcut, *ops.tail))
        skip = {p for pr in moved for p in pr}
        for region, pairs, ref_ops, part in (
            (Region.MAIN, ops.main, a.main, "main path"),
            (Region.SHORTCUT, ops.shortcut, a.shortcut, "shortcut"),
            (Region.TAIL, ops.tail, a.tail, "after the add"),
        ):
            kept = tuple(p for p in pairs if p not in skip)
            anchor = self.cand.ops[b.merge_op] if region is Region.TAIL and b.merge_op is not None else None
            self.op_pairs(kept, _Where(region, f"{text} {part}", a.path, b.path, pair), ref_ops, anchor)
        for missing, extra in moved:
            self.moved(pair, text, missing, extra, (a, b))
        if a.merge_op is not None and b.merge_op is not None:  # the add's own factor (scaled_add.py)
            r, c = self.ref.ops[a.merge_op], self.cand.ops[b.merge_op]
            self.op_pair(r, c, _Where(Region.BLOCK, f"{text} residual add", a.path, b.path, pair), c.source)

    def kind_change(self, pair: BlockPair, a: Block, b: Block, text: str) -> None:
        # Without a merge there is no "after the add": compare the whole chain in order.
        chain = (*a.main, *a.tail) if b.kind is BlockKind.PLAIN else a.main
        other = b.main if b.kind is BlockKind.PLAIN else (*b.main, *b.tail)
        aligned = align_ops(self.ref, chain, self.cand, other)
        source = self.merge_line(a, b, aligned)
        lost = a.kind is BlockKind.RESIDUAL
        self.add(Mismatch(
            MismatchKind.OP, a.path, b.path or None, "op", "residual add" if lost else None,
            None if lost else "residual add",
            f"{text}: the shortcut addition is missing (the block has no residual connection)"
            if lost else f"{text}: extra residual addition",
            source, Region.BLOCK, OpKind.ADD, pair,
        ))  # fmt: skip
        where = _Where(Region.MAIN, f"{text} main path", a.path, b.path, pair)
        self.op_pairs(aligned, where, chain)

    def merge_line(self, a: Block, b: Block, aligned: Sequence[OpPair]) -> SourceLoc | None:
        """The ``forward`` line where the residual add is missing (or extra): that of the add
        itself when the candidate has it, else of the op that follows the reference's add (the
        final ReLU), else of the block's last op. A block built by a line of its own (``Block(...,
        residual=False)`` for one block) is pointed at there: that line, not ``forward``, made it differ."""
        own = self.sites.get(b.path)
        shared = sum(self.sites.get(o.path) == own for o in self.cand.structure.blocks)
        if own is not None and own.exact and shared == 1:
            return own
        if b.merge_op is not None and self.cand.ops[b.merge_op].source is not None:
            return self.cand.ops[b.merge_op].source
        after = a.tail[0] if a.tail else None
        for p in aligned:
            if p.reference == after and p.candidate is not None and self.cand.ops[p.candidate].source:
                return self.cand.ops[p.candidate].source
        last = self.cand.ops[b.main[-1]] if b.main else None
        return (last.source if last is not None else None) or self.sites.get(b.path)

    def moved(
        self, pair: BlockPair, text: str, missing: OpPair, extra: OpPair, blocks: tuple[Block, Block]
    ) -> None:
        """A layer missing at one place of the block and extra at another was moved, not lost: across the
        add, or along one path (a shortcut's pool after its 1x1 conv where the reference's is before it)."""
        assert missing.reference is not None and extra.candidate is not None
        r, c = self.ref.ops[missing.reference], self.cand.ops[extra.candidate]
        parts = [next((w for o, w in zip((k.main, k.shortcut), ("main path", "shortcut")) if i in o), "tail")
                 for k, i in zip(blocks, (r.id, c.id))]  # fmt: skip
        along = parts[0] == parts[1]
        self.add(Mismatch(
            MismatchKind.OP, r.module_path, c.module_path, "op_order", label(r),
            f"{label(c)} moved {'along the ' + parts[0] if along else 'across the add'}",
            f"{text}: {label(r)} is applied "
            + (f"at another place on the {parts[0]}" if along else "on the other side of the residual add")
            + f" ({c.module_path}); shapes and parameters match, the layers between its two places see another input",
            c.source or self.built_at(c), Region.BLOCK, r.kind, pair, r.id, c.id,
        ))  # fmt: skip

    def missing_block(self, pairs: Sequence[BlockPair], i: int) -> None:
        p, rs, cs = pairs[i], self.ref.structure, self.cand.structure
        assert p.reference is not None
        a = rs.blocks[p.reference]
        before = next((cs.blocks[q.candidate] for q in reversed(pairs[:i]) if q.candidate is not None), None)
        if held_blocks(self.ref, a):  # a skip over blocks (RCAN's group skip): its add, not a block
            self.lost_skip(p, a, True, self.sites.get(before.path) if before is not None else None)
            return
        self.add(Mismatch(
            MismatchKind.MISSING, a.path, None, "block", block_desc(self.ref, a), None,
            f"{a.path}: block missing in the candidate ({block_desc(self.ref, a)})",
            self.sites.get(before.path) if before is not None else None, Region.BLOCK, None, p,
        ))  # fmt: skip

    def extra_block(self, p: BlockPair) -> None:
        rs, cs = self.ref.structure, self.cand.structure
        assert p.candidate is not None
        b = cs.blocks[p.candidate]
        if held_blocks(self.cand, b):
            self.lost_skip(p, b, False, self.cand.ops[b.merge_op].source if b.merge_op is not None else None)
            return
        owner = (rs.stages[p.stage].path or None) if p.stage < len(rs.stages) else None
        self.add(Mismatch(
            MismatchKind.EXTRA, owner, b.path or None, "block", None, block_desc(self.cand, b),
            f"extra block {b.path or b.index} in {owner or 'the candidate'} ({block_desc(self.cand, b)})",
            self.sites.get(b.path), Region.BLOCK, None, p,
        ))  # fmt: skip

    def lost_skip(self, p: BlockPair, block: Block, lost: bool, source: SourceLoc | None) -> None:
        at = self.add(skip_mismatch(self.ref if lost else self.cand, block, p, lost, source))
        if lost:
            self.lost_skips.append((at, block))

    def run(self, pairs: Sequence[BlockPair]) -> list[Mismatch]:
        rs, cs = self.ref.structure, self.cand.structure
        crashed = self.cand.crash is not None
        if cs.blocks or not crashed:
            self.op_pairs(align_stem_ops(self.ref, self.cand), _Where(Region.STEM, "stem", "", ""), rs.stem)
        last_paired = max((i for i, p in enumerate(pairs) if p.candidate is not None), default=-1)
        for i, p in enumerate(pairs):
            if p.reference is not None and p.candidate is not None:
                self.block(p, rs.blocks[p.reference], cs.blocks[p.candidate])
            elif p.reference is not None and not (crashed and i > last_paired):
                self.missing_block(pairs, i)
            elif p.candidate is not None:
                self.extra_block(p)
        if crashed:
            self.add(crash_mismatch(self.ref, self.cand, pairs, last_paired, self.sites))
            return self.out
        self.op_pairs(
            align_ops(self.ref, rs.head, self.cand, cs.head), _Where(Region.HEAD, "head", "", ""), rs.head
        )
        left = (outside_regions(self.ref), outside_regions(self.cand))
        if left[0] or left[1]:
            where = _Where(Region.MODEL, "outside the blocks", "", "")
            self.op_pairs(align_ops(self.ref, left[0], self.cand, left[1]), where, left[0])
        self.out = own_ops_in_head(self.ref, self.cand, self.out, self.lost_skips, self.same_layer)
        self.output_shape()
        self.side_outputs()
        self.unused_params()
        for m in shared_parameter_mismatches(self.ref, self.cand, pairs):
            self.add(m)
        self.rewired(pairs)
        kept = dropped_results(self.ref, self.cand, self.out, self.paired, self.dead)
        arranged = rearranged(self.ref, self.cand, self.paired) + named_elsewhere(
            self.ref, self.cand, self.paired, pairs
        )
        moved = arranged + moved_otherwise(self.ref, self.cand, self.paired, [*kept, *arranged])
        return equal_moves(self.ref, self.cand, kept, self.paired) + moved

    def rewired(self, pairs: Sequence[BlockPair]) -> None:
        """Paired ops reading tensors paired with other ones (verify/dataflow_edges.py)."""
        block_of = {o: p for p in pairs if p.reference is not None for o in self._block_ops(p.reference)}
        for r_id, c_id, rs, cs in rewired(self.ref, self.cand, self.paired):
            r, c = self.ref.ops[r_id], self.cand.ops[c_id]
            was = reading(self.ref, rs)
            now = reading(self.cand, cs)
            pair = block_of.get(r_id)
            self.add(Mismatch(
                MismatchKind.OP, r.module_path, c.module_path, EDGE_FIELD, was, now,
                f"{label(c)} ({c.module_path or 'the model'}) reads {now} where the reference's reads {was}",
                c.source, Region.BLOCK if pair is not None else Region.MODEL, r.kind, pair, r_id, c_id,
            ))  # fmt: skip

    def _block_ops(self, index: int) -> tuple[int, ...]:
        b = self.ref.structure.blocks[index]
        return (*b.main, *b.shortcut, *b.tail)

    def output_shape(self) -> None:
        ref, cand = self.ref, self.cand
        if ref.output_shape != cand.output_shape and not any(m.kind is MismatchKind.SHAPE for m in self.out):
            text = f"output {format_shape(cand.output_shape)}, expected {format_shape(ref.output_shape)}"
            self.add(Mismatch(MismatchKind.SHAPE, "fc", None, "output_shape", ref.output_shape,
                              cand.output_shape, text, None, Region.MODEL))  # fmt: skip

    def side_outputs(self) -> None:
        """More tensors returned than the prediction, on one side only: an auxiliary head trains
        with its own loss and holds parameters the stage table does not show."""
        ref, cand = self.ref.side_outputs, self.cand.side_outputs
        if bool(ref) == bool(cand):
            return
        trace, ops = (self.cand, cand) if cand else (self.ref, ref)
        made = ", ".join(f"{trace.ops[o].module_path or trace.ops[o].name} {format_shape(trace.ops[o].out_shape)}"
                         for o in ops[:3])  # fmt: skip
        whose = "candidate" if cand else "reference"
        text = f"the {whose}'s forward also returns {len(ops)} more tensor(s) besides the prediction: {made}"
        path = trace.ops[ops[0]].module_path or None
        kind = MismatchKind.EXTRA if cand else MismatchKind.MISSING
        self.add(Mismatch(kind, None if cand else path, path if cand else None, "outputs", len(ref), len(cand),
                          text, self.sites.get(path or "") if cand else None, Region.MODEL))  # fmt: skip

    def unused_params(self) -> None:
        for m in resized_unused_mismatches(self.ref, self.cand, self.sites):
            self.add(m)
        unused = extra_unused_mismatch(self.ref, self.cand, self.sites)
        if unused is not None:
            self.add(unused)


def _first(causes: dict[str, int], keys: Sequence[str]) -> int | None:
    return next((causes[k] for k in keys if k in causes), None)


def diff(ref: Trace, cand: Trace, pairs: Sequence[BlockPair]) -> list[Mismatch]:
    # Train-mode regularizers leave no op to align in an eval-mode trace: compared on their own.
    # Appended, never prepended: Mismatch.cause holds indices into the differ's own list.
    layers = map_size_values(
        moved_blocks(ref, cand, reword_inplace_skips(ref, cand, _Differ(ref, cand).run(pairs), pairs))
    )
    found = held_norms_follow(ref, cand, layers + beyond_layers(ref, cand, pairs, layers))
    return found + parameter_totals(ref, cand, found)
