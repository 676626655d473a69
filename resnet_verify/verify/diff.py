"""Typed mismatches from an alignment: missing / extra / shape / params / attribute / op / crash.

Shape mismatches are reported only where a shape *diverges* (same input shape, different output),
so one stride bug is one shape mismatch, not a cascade through every later layer.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from resnet_verify.tracing.records import Block, BlockKind, OpKind, OpRecord, SourceLoc, Trace
from resnet_verify.verify.align import OpPair, align_block_ops, align_ops, significant
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind

# Channel counts surface as shape mismatches; listing them again as attributes would double count.
_SKIP_ATTRS = {"in_channels", "out_channels", "num_features"}
_HEAD_KINDS = frozenset(
    {OpKind.GLOBAL_POOL, OpKind.LINEAR, OpKind.FLATTEN, OpKind.AVG_POOL, OpKind.ADAPTIVE_POOL}
)
_LABEL = {
    OpKind.CONV: "conv",
    OpKind.BATCH_NORM: "BatchNorm",
    OpKind.RELU: "ReLU",
    OpKind.ADD: "residual add",
    OpKind.MAX_POOL: "max pool",
    OpKind.AVG_POOL: "avg pool",
    OpKind.GLOBAL_POOL: "global pool",
    OpKind.ADAPTIVE_POOL: "adaptive pool",
    OpKind.LINEAR: "Linear",
    OpKind.ACTIVATION: "activation",
    OpKind.NORM: "norm",
}


def label(op: OpRecord) -> str:
    base = _LABEL.get(op.kind, op.name)
    attrs = dict(op.attrs)
    if op.kind is OpKind.CONV:
        k = attrs.get("kernel_size", ())
        return f"{'x'.join(str(v) for v in k)} conv" if k else base
    if op.kind is OpKind.ACTIVATION:
        return str(attrs.get("function", base))
    return base


def _own_params(trace: Trace, op: OpRecord) -> int:
    return trace.param_numel(op.params)


class _Differ:
    def __init__(self, ref: Trace, cand: Trace) -> None:
        self.ref, self.cand = ref, cand
        self.out: list[Mismatch] = []
        self.sites = {c.path: c.source for c in cand.modules if c.source is not None}
        self.source: SourceLoc | None = None  # where the next mismatch points in the user's code

    def add(
        self,
        kind: MismatchKind,
        rpath: str | None,
        cpath: str | None,
        message: str,
        field: str | None = None,
        expected: object = None,
        actual: object = None,
    ) -> None:
        self.out.append(Mismatch(kind, rpath, cpath, field, expected, actual, message, self.source))

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
        self, pairs: Sequence[OpPair], where: str, ref_block: str, cand_block: str, ref_ops: Sequence[int]
    ) -> None:
        ref_sig = significant(self.ref, ref_ops)
        previous: OpRecord | None = None
        for pair in pairs:
            r = self.ref.ops[pair.reference] if pair.reference is not None else None
            c = self.cand.ops[pair.candidate] if pair.candidate is not None else None
            self.source = self.built_at(c) if c is not None else self.gap_site(r, previous)
            previous = c or previous
            if r is not None and c is None:
                pos = ref_sig.index(r.id)
                after = f" after {self.ref.ops[ref_sig[pos - 1]].module_path}" if pos else ""
                kind = MismatchKind.MISSING if _own_params(self.ref, r) else MismatchKind.OP
                self.add(
                    kind,
                    r.module_path or ref_block,
                    cand_block or None,
                    f"{where}: {label(r)}{after} is missing in the candidate",
                    "op",
                    label(r),
                    None,
                )
            elif c is not None and r is None:
                kind = MismatchKind.EXTRA if _own_params(self.cand, c) else MismatchKind.OP
                self.add(
                    kind,
                    ref_block or None,
                    c.module_path or cand_block,
                    f"{where}: extra {label(c)} ({c.module_path or c.name}) not in the reference",
                    "op",
                    None,
                    label(c),
                )
            elif r is not None and c is not None:
                self.op_pair(r, c, where)

    def op_pair(self, r: OpRecord, c: OpRecord, where: str) -> None:
        rpath, cpath = r.module_path, c.module_path
        if r.kind is not c.kind:
            self.add(
                MismatchKind.OP,
                rpath,
                cpath,
                f"{where}: expected {label(r)}, found {label(c)}",
                "op",
                label(r),
                label(c),
            )
            return
        ra, ca = dict(r.attrs), dict(c.attrs)
        for key in sorted(set(ra) | set(ca)):
            if key in _SKIP_ATTRS or ra.get(key) == ca.get(key):
                continue
            self.add(
                MismatchKind.ATTRIBUTE,
                rpath,
                cpath,
                f"{where}: {label(r)} {key} is {ca.get(key)!r}, expected {ra.get(key)!r}",
                key,
                ra.get(key),
                ca.get(key),
            )
        if r.in_shapes[:1] == c.in_shapes[:1] and _squeezed(r) != _squeezed(c):
            self.add(
                MismatchKind.SHAPE,
                rpath,
                cpath,
                f"{where}: {label(r)} output {_fmt(c.out_shape)}, expected {_fmt(r.out_shape)}",
                "output_shape",
                r.out_shape,
                c.out_shape,
            )
        rp, cp = _own_params(self.ref, r), _own_params(self.cand, c)
        if rp != cp:
            self.add(
                MismatchKind.PARAMS,
                rpath,
                cpath,
                f"{where}: {label(r)} has {cp:,} parameters, expected {rp:,}",
                "params",
                rp,
                cp,
            )

    def block(self, a: Block, b: Block) -> None:
        where = a.path or f"block {a.index}"
        last = self.cand.ops[b.main[-1]] if b.main else None
        self.source = self.sites.get(b.path) if b.kind is not a.kind else None
        self.source = self.source or (last.source if last is not None else None)
        if a.kind is BlockKind.RESIDUAL and b.kind is BlockKind.PLAIN:
            self.add(
                MismatchKind.OP,
                a.path,
                b.path or None,
                f"{where}: the shortcut addition is missing (the block has no residual connection)",
                "op",
                "residual add",
                None,
            )
        elif a.kind is BlockKind.PLAIN and b.kind is BlockKind.RESIDUAL:
            self.add(
                MismatchKind.OP,
                a.path,
                b.path or None,
                f"{where}: extra residual addition",
                "op",
                None,
                "residual add",
            )
        if a.kind is not b.kind:
            # Without a merge there is no "after the add": compare the whole chain in order.
            chain = (*a.main, *a.tail) if b.kind is BlockKind.PLAIN else a.main
            other = b.main if b.kind is BlockKind.PLAIN else (*b.main, *b.tail)
            pairs = align_ops(self.ref, chain, self.cand, other)
            self.op_pairs(pairs, f"{where} main path", a.path, b.path, chain)
            return
        ops = align_block_ops(self.ref, a, self.cand, b)
        start = len(self.out)
        self.op_pairs(ops.main, f"{where} main path", a.path, b.path, a.main)
        self.op_pairs(ops.shortcut, f"{where} shortcut", a.path, b.path, a.shortcut)
        self.op_pairs(ops.tail, f"{where} after the add", a.path, b.path, a.tail)
        self._moved_across_add(start, where, a, b)

    def _moved_across_add(self, start: int, where: str, a: Block, b: Block) -> None:
        """A layer missing before the add and extra after it (or vice versa) was moved, not lost."""
        found = self.out[start:]
        missing = [m for m in found if m.field == "op" and m.actual is None]
        extra = [m for m in found if m.field == "op" and m.expected is None]
        for m in missing:
            twin = next((e for e in extra if e.actual == m.expected), None)
            if twin is None:
                continue
            extra.remove(twin)
            self.out.remove(m)
            self.out.remove(twin)
            moved = next(
                (
                    self.cand.ops[o]
                    for o in (*b.main, *b.tail)
                    if self.cand.ops[o].module_path == twin.candidate_path
                ),
                None,
            )
            self.source = (moved.source if moved is not None else None) or twin.source
            self.add(
                MismatchKind.OP,
                m.reference_path,
                twin.candidate_path,
                f"{where}: {m.expected} is applied on the other side of the residual add "
                f"({twin.candidate_path}); shapes and parameters match, outputs do not",
                "op_order",
                m.expected,
                f"{twin.actual} moved across the add",
            )

    def run(self, pairs: Sequence[BlockPair]) -> list[Mismatch]:
        ref, cand = self.ref, self.cand
        rs, cs = ref.structure, cand.structure
        crashed = cand.crash is not None
        stem_ref, stem_cand = (rs.stem, cs.stem) if cs.blocks or not crashed else (rs.stem, ())
        if cs.blocks or not crashed:
            self.op_pairs(align_ops(ref, stem_ref, cand, stem_cand), "stem", "", "", stem_ref)
        last_paired = max((i for i, p in enumerate(pairs) if p.candidate is not None), default=-1)
        for i, p in enumerate(pairs):
            a = rs.blocks[p.reference] if p.reference is not None else None
            b = cs.blocks[p.candidate] if p.candidate is not None else None
            if a is not None and b is not None:
                self.block(a, b)
            elif a is not None and not (crashed and i > last_paired):
                before = next(
                    (cs.blocks[q.candidate] for q in reversed(pairs[:i]) if q.candidate is not None), None
                )
                self.source = self.sites.get(before.path) if before is not None else None
                self.add(
                    MismatchKind.MISSING,
                    a.path,
                    None,
                    f"{a.path}: block missing in the candidate ({_block_desc(ref, a)})",
                    "block",
                    _block_desc(ref, a),
                    None,
                )
            elif b is not None:
                owner = (rs.stages[p.stage].path or None) if p.stage < len(rs.stages) else None
                self.source = self.sites.get(b.path)
                self.add(
                    MismatchKind.EXTRA,
                    owner,
                    b.path or None,
                    f"extra block {b.path or b.index} in {owner or 'the candidate'} ({_block_desc(cand, b)})",
                    "block",
                    None,
                    _block_desc(cand, b),
                )
        if crashed:
            self.crash(pairs, last_paired)
        else:
            self.op_pairs(align_ops(ref, rs.head, cand, cs.head), "head", "", "", rs.head)
            self.source = None
            if ref.output_shape != cand.output_shape and not any(
                m.kind is MismatchKind.SHAPE for m in self.out
            ):
                self.add(
                    MismatchKind.SHAPE,
                    "fc",
                    None,
                    f"output {_fmt(cand.output_shape)}, expected {_fmt(ref.output_shape)}",
                    "output_shape",
                    ref.output_shape,
                    cand.output_shape,
                )
            self.unused_params()
        return self.out

    def unused_params(self) -> None:
        used = {p for op in self.cand.ops for p in op.params}
        unused = [
            p
            for p in self.cand.params
            if not p.is_buffer and p.name not in used and not set(p.aliases) & used
        ]
        if unused:
            total = sum(p.numel for p in unused)
            names = ", ".join(p.name for p in unused[:4]) + (" ..." if len(unused) > 4 else "")
            self.source = self.sites.get(unused[0].name.rpartition(".")[0])
            self.add(
                MismatchKind.EXTRA,
                None,
                unused[0].name,
                f"{len(unused)} parameter tensors ({total:,} values) never used in forward: {names}",
                "params",
                0,
                total,
            )

    def crash(self, pairs: Sequence[BlockPair], last_paired: int) -> None:
        crash = self.cand.crash
        assert crash is not None
        rs = self.ref.structure
        after = pairs[last_paired].reference if last_paired >= 0 else None
        nxt = (after + 1) if after is not None else 0
        trailing = [
            o
            for o in range(len(self.cand.ops))
            if not any(o in (*b.main, *b.shortcut, *b.tail, b.merge_op) for b in self.cand.structure.blocks)
            and o not in self.cand.structure.stem
        ]
        in_head = any(self.cand.ops[o].kind in _HEAD_KINDS for o in trailing)
        if nxt < len(rs.blocks) and not in_head:
            rpath = rs.blocks[nxt].path if self.cand.structure.blocks else rs.stem_path
        else:
            head = significant(self.ref, rs.head)
            done = len(significant(self.cand, trailing))
            rpath = self.ref.ops[head[min(done, len(head) - 1)]].module_path if head else "fc"
        call = next((c for c in self.cand.modules if c.path == crash.module_path), None)
        # A torch layer that fails (a Linear of the wrong width) is wrong where it was built; user
        # code that fails is wrong where it runs.
        builtin = call is not None and hasattr(torch.nn, call.type_name)
        self.source = (self.sites.get(crash.module_path) if builtin else None) or crash.source
        shapes = ", ".join(_fmt(s) for s in crash.in_shapes)
        op = f" in {crash.op_name}" if crash.op_name else ""
        op += f" with input {shapes}" if shapes else ""
        self.add(
            MismatchKind.CRASH,
            rpath,
            crash.module_path or None,
            f"forward failed at {crash.module_path or 'the model'}{op}: "
            f"{crash.error_type}: {crash.message} ({crash.ops_before} ops ran before)",
            "forward",
            "runs",
            f"{crash.error_type}: {crash.message}",
        )


def _squeezed(op: OpRecord) -> object:
    # A global pool may keep its 1x1 spatial dims (adaptive pool) or drop them (mean): same values.
    if op.kind is OpKind.GLOBAL_POOL and op.out_shape:
        return op.out_shape[:2]
    return op.out_shape


def _fmt(shape: object) -> str:
    if shape is None:
        return "none"
    return "x".join(str(s) for s in shape)  # type: ignore[union-attr]


def _block_desc(trace: Trace, block: Block) -> str:
    chans = [
        dict(trace.ops[o].attrs).get("out_channels") for o in block.main if trace.ops[o].kind is OpKind.CONV
    ]
    flow = "->".join(str(c) for c in [block.in_shape[1] if len(block.in_shape) > 1 else "?", *chans])
    return f"{flow}, output {_fmt(block.out_shape[1:])}"


def diff(ref: Trace, cand: Trace, pairs: Sequence[BlockPair]) -> list[Mismatch]:
    return _Differ(ref, cand).run(pairs)
