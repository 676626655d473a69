"""Mismatches between the two sides' train-mode regularizers (``Trace.regularizers``).

Op alignment skips dropout (a layout op in eval mode) and drop path leaves no op at all, so these
are compared on their own: per place (stem, each aligned block pair, head), same kinds pair first in
forward order, then what is left pairs by order as a change of kind, and the rest is present on one
side only. Blocks without a partner are skipped (the missing / extra block is the difference), and so
is a candidate whose forward crashed (what it never ran cannot be compared).
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from resnet_verify.tracing.records import OpKind, Part, Regularizer, RegularizerKind, Shape, SourceLoc, Trace
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region

_REGION = {Part.STEM: Region.STEM, Part.BLOCK: Region.MAIN, Part.HEAD: Region.HEAD, Part.MODEL: Region.MODEL}
P_TOLERANCE = 1e-9
_NORMS = (OpKind.BATCH_NORM, OpKind.NORM)
_LAYER_CHANGES = frozenset({"op", "param_ops"})


_UNITS = {"": "each sample on its own", "batch": "the whole batch at once"}


def call_text(r: Regularizer) -> str:
    """``DropPath(p=0.05)``, ``F.dropout(p=0.3)``: the layer as the model's code spells it."""
    name = f"F.{r.spelling}" if r.functional else r.spelling
    if r.kind is RegularizerKind.STATE_UPDATE:
        return f"{name} writing its buffers {', '.join(r.calls)} in each training forward"
    if r.kind is RegularizerKind.EVAL_IN_TRAINING:
        return f"{name} kept in eval mode by the model's train() (running statistics in training too)"
    if r.kind is RegularizerKind.TRAINING_ONLY or math.isnan(r.p):  # (nan: a rate given in forward)
        return f"{name} (training mode only" + (", its rate given in forward)" if math.isnan(r.p) else ")")
    return f"{name}(p={r.p:.4g})"


def calls_differ(ref: Sequence[str], cand: Sequence[str]) -> str:
    """``calls detach (x2) fewer than the reference's``: what one training-mode branch runs that the
    other's does not, by name and count."""
    extra, missing = Counter(cand) - Counter(ref), Counter(ref) - Counter(cand)

    def names(counts: Counter[str]) -> str:
        return ", ".join(f"{n} (x{k})" if k > 1 else n for n, k in sorted(counts.items()))

    parts = ([f"runs {names(extra)} that the reference's does not"] if extra else []) + (
        [f"does not run the reference's {names(missing)}"] if missing else []
    )
    return " and ".join(parts) or "runs the reference's calls in another order"


def eval_mode(r: Regularizer) -> str:
    """Whether the regularizer still drops in eval mode, as the report says it."""
    if r.in_eval:
        return "on in eval mode too (training=True: a random mask at test time)"
    return "off in eval mode (training=self.training)"


def same_rate(a: float, b: float) -> bool:
    """Equal rates; two unknown ones (nan: given in forward) count as equal, one unknown does not."""
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= P_TOLERANCE


def _side(trace: Trace, reg: Regularizer) -> str | None:
    """Where in its block a regularizer runs: before the residual add or after it."""
    if reg.block is None:
        return None
    merge = trace.structure.blocks[reg.block].merge_op
    if merge is None:
        return None
    return "after the add" if reg.position > merge else "before the add"


def _runs_always(other: Trace, reg: Regularizer) -> bool:
    """A training-mode branch whose module the other side calls in its eval forward as well, running
    the branch's calls there (an augmentation left on in eval): not missing there; what it runs in eval
    is compared as ops. A module of that class that runs none of them (the same block, without the
    hand-written dropout) is no such thing."""
    if reg.kind is not RegularizerKind.TRAINING_ONLY:
        return False
    paths = {c.path for c in other.modules if c.type_name == reg.spelling}
    ran = {op.name.strip("_") for op in other.ops if op.module_path in paths}
    # (a random draw is named by what it draws, ``normal draw (one per element)``: the other ops say it;
    # a branch of draws alone, a Shake-Shake beta kept for the backward, is no op an eval forward runs)
    # (a number a draw is scaled by, ``mul(0.4)``, is the op ``mul`` there)
    names = [name.split("(")[0].strip("_") for name in reg.calls if " draw" not in name]
    return bool(paths) and bool(names) and all(name in ran for name in names)


@dataclass(frozen=True, slots=True)
class _Place:
    """Where both sides may hold regularizers: a part, and the block pair for blocks."""

    part: Part
    pair: BlockPair | None
    ref_block: str  # the blocks' module paths ("" outside blocks)
    cand_block: str

    @property
    def text(self) -> str:
        return self.ref_block or self.cand_block or self.part.value


def _match(ref: list[int], cand: list[int], rt: Trace, ct: Trace) -> list[tuple[int | None, int | None]]:
    """Same kinds first, in order; the rest pair by order (a change of kind), then one-sided."""
    pairs: list[tuple[int | None, int | None]] = []
    free = list(cand)
    left: list[int] = []
    for r in ref:
        twin = next((c for c in free if ct.regularizers[c].kind is rt.regularizers[r].kind), None)
        if twin is None:
            left.append(r)
        else:
            free.remove(twin)
            pairs.append((r, twin))
    n = min(len(left), len(free))
    pairs += list(zip(left[:n], free[:n]))
    pairs += [(r, None) for r in left[n:]] + [(None, c) for c in free[n:]]
    return pairs


def _beside_norm(reg: Regularizer, other: Trace, layers: Sequence[Mismatch], candidate: bool) -> bool:
    """A layer whose state a training forward writes, paired with a norm layer on the other side (a
    BatchNorm written by hand for torch's): that norm writes its running statistics in training too,
    which no trace records (torch's bookkeeping), so the update is no difference."""
    for m in layers:
        mine, theirs = (m.candidate_path, m.reference_op) if candidate else (m.reference_path, m.candidate_op)
        if mine == reg.path and theirs is not None and other.ops[theirs].kind in _NORMS:
            return True
    return False


def _frozen_partner(layers: Sequence[Mismatch], reg: Regularizer, candidate: bool, other: Trace) -> bool:
    """A BatchNorm kept in eval mode in training, paired with a frozen one on the other side (scale, shift
    and statistics all buffers: torchvision's FrozenBatchNorm2d): both normalise with running statistics
    while training, so only the frozen affine differs, which the norm rules name."""
    if reg.kind is not RegularizerKind.EVAL_IN_TRAINING or reg.op is None:
        return False
    buffers = {n for p in other.params if p.is_buffer for n in (p.name, *p.aliases)}
    for m in layers:
        mine, theirs = (m.candidate_op, m.reference_op) if candidate else (m.reference_op, m.candidate_op)
        if mine == reg.op and theirs is not None:
            op = other.ops[theirs]
            return op.kind is OpKind.BATCH_NORM and bool(op.params) and all(n in buffers for n in op.params)
    # no layer mismatch pairs them (its frozen affine counts no parameters: diff_support.numel_table):
    # the frozen norm of the same name
    return any(
        op.kind is OpKind.BATCH_NORM and op.module_path == reg.path and bool(op.params)
        and all(n in buffers for n in op.params)
        for op in other.ops
    )  # fmt: skip


def _updates(trace: Trace) -> list[int]:
    return [i for i, r in enumerate(trace.regularizers) if r.kind is RegularizerKind.STATE_UPDATE]


def _layer_key(trace: Trace, i: int, shapes: dict[str, Shape]) -> tuple[object, ...]:
    """The layer that reads the state: its kind and its weights' shapes (a 3x3 conv is no 1x1; a bias,
    and the state's own vectors, say nothing of which layer it is)."""
    op = trace.regularizers[i].op
    if op is None:
        return ()
    found = (shapes.get(p) for p in trace.ops[op].params)
    return (trace.ops[op].kind, *(s for s in found if s is not None and len(s) >= 2))


def _pair_of(pairs: Sequence[BlockPair], reg: Regularizer, candidate: bool) -> BlockPair | None:
    """The aligned block pair of a record's block, both sides present (None: no partner)."""
    for p in pairs:
        if (p.candidate if candidate else p.reference) == reg.block and reg.block is not None:
            return p if p.reference is not None and p.candidate is not None else None
    return None


def _layer_gone(layers: Sequence[Mismatch], reg: Regularizer, candidate: bool) -> int | None:
    """The mismatch that says the record's layer has no counterpart, or computes its weight otherwise (a
    spectral norm on one side only): the update follows from it."""
    for i, m in enumerate(layers):
        mine, theirs = (m.candidate_op, m.reference_op) if candidate else (m.reference_op, m.candidate_op)
        if reg.op is not None and mine == reg.op and (theirs is None or m.field in _LAYER_CHANGES):
            return i  # (missing, extra, another op in its place, its weight computed otherwise)
    return None


def _amid_gone(layers: Sequence[Mismatch], reg: Regularizer, candidate: bool) -> int | None:
    """The mismatch saying the op just before the record has no counterpart, where the op just after
    it has none either and joins it to another tensor: a dropout at the end of a branch the other side
    lacks (CLAM's gated attention branch, Linear, Sigmoid, Dropout, then the product with the other
    branch) is part of that branch, not a dropout of its own. A dropout between two layers of a deeper
    head (Linear, ReLU, Dropout, Linear) stays one: its own change, as the dropout rule names it."""
    if reg.position < 1:
        return None
    gone: dict[int, tuple[int, OpKind | None]] = {}
    for i, m in enumerate(layers):
        mine, theirs = (m.candidate_op, m.reference_op) if candidate else (m.reference_op, m.candidate_op)
        if m.field == "op" and mine is not None and theirs is None:
            gone.setdefault(mine, (i, m.op_kind))
    # (the op it sits before may be its own eval-mode identity, recorded in the trace: then the next one)
    after = gone.get(reg.position) or gone.get(reg.position + 1)
    if reg.position - 1 in gone and after is not None and after[1] in (OpKind.MUL, OpKind.ADD):
        return gone[reg.position - 1][0]
    return None


class _RegularizerDiffer:
    def __init__(self, ref: Trace, cand: Trace, layers: Sequence[Mismatch]) -> None:
        self.ref, self.cand, self.layers = ref, cand, layers
        self.sites = {c.path: c.source for c in cand.modules if c.source is not None}
        self.out: list[Mismatch] = []

    def by_place(self, trace: Trace) -> dict[tuple[Part, int | None], list[int]]:
        places: dict[tuple[Part, int | None], list[int]] = {}
        for i, r in enumerate(trace.regularizers):
            if r.kind is not RegularizerKind.STATE_UPDATE:  # (compared over the whole model: ``updates``)
                places.setdefault((r.part, r.block), []).append(i)
        return places

    def run(self, pairs: Sequence[BlockPair]) -> list[Mismatch]:
        ref, cand = self.by_place(self.ref), self.by_place(self.cand)
        for part in (Part.STEM, Part.HEAD, Part.MODEL):
            place = _Place(part, None, "", "")
            self.compare(place, ref.get((part, None), []), cand.get((part, None), []))
        rb, cb = self.ref.structure.blocks, self.cand.structure.blocks
        for p in pairs:
            if p.reference is not None and p.candidate is not None:
                place = _Place(Part.BLOCK, p, rb[p.reference].path, cb[p.candidate].path)
                self.compare(
                    place, ref.get((Part.BLOCK, p.reference), []), cand.get((Part.BLOCK, p.candidate), [])
                )
        self.updates(pairs)
        return self.out

    def updates(self, pairs: Sequence[BlockPair]) -> None:
        """Layer state written in training, over the whole model: paired in forward order by the kind of
        layer that holds it (a block boundary drawn otherwise on one side moves no layer's state). What
        is left is one-sided, unless its layer is (the missing conv is the difference, and its state goes
        with it) or its block is, or the other side's layer is a norm (tracing/state_updates.py)."""
        rs, cs = _updates(self.ref), _updates(self.cand)
        rp, cp = ({p.name: p.shape for p in t.params} for t in (self.ref, self.cand))
        keys = [_layer_key(self.ref, r, rp) for r in rs], [_layer_key(self.cand, c, cp) for c in cs]
        matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
        paired = {(r, c) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag == "equal"
                  for r, c in zip(rs[i1:i2], cs[j1:j2], strict=True)}  # fmt: skip
        one_sided: list[tuple[int | None, int | None]] = [
            (r, None) for r in rs if all(r != a for a, _ in paired)
        ]
        one_sided += [(None, c) for c in cs if all(c != b for _, b in paired)]
        for r, c in one_sided:
            candidate = r is None
            i = c if candidate else r
            assert i is not None
            reg = (self.cand if candidate else self.ref).regularizers[i]
            pair = _pair_of(pairs, reg, candidate)
            if (reg.part is Part.BLOCK and pair is None) or _beside_norm(
                reg, self.ref if candidate else self.cand, self.layers, candidate
            ):
                continue
            rb, cb = self.ref.structure.blocks, self.cand.structure.blocks
            ref_block = rb[pair.reference].path if pair is not None and pair.reference is not None else ""
            cand_block = cb[pair.candidate].path if pair is not None and pair.candidate is not None else ""
            place = _Place(reg.part, pair, ref_block, cand_block)
            m = self.mismatch(place, r, c)
            self.out.append(replace(m, cause=_layer_gone(self.layers, reg, candidate)))

    def compare(self, place: _Place, ref: list[int], cand: list[int]) -> None:
        for r, c in _match(ref, cand, self.ref, self.cand):
            a = self.ref.regularizers[r] if r is not None else None
            b = self.cand.regularizers[c] if c is not None else None
            if a is not None and b is not None and a.kind is b.kind and same_rate(a.p, b.p):
                sides = (_side(self.ref, a), _side(self.cand, b))
                if a.in_eval != b.in_eval:  # the same dropout, kept on at test time on one side
                    self.out.append(self.mismatch(place, r, c, in_eval=True))
                elif None not in sides and sides[0] != sides[1]:  # the same dropout, across the add
                    self.out.append(self.mismatch(place, r, c, sides))
                elif a.calls != b.calls:  # the same training-mode branch computing otherwise
                    self.out.append(self.mismatch(place, r, c, calls=True))
                elif a.unit != b.unit:  # the same rate, drawn per batch on one side, per sample on the other
                    self.out.append(self.mismatch(place, r, c, unit=True))
                continue
            if (a is None and b is not None and _runs_always(self.ref, b)) or (
                b is None and a is not None and _runs_always(self.cand, a)
            ):
                continue  # the other side runs it in eval mode too: its ops are the difference
            if (a is None and b is not None and _frozen_partner(self.layers, b, True, self.ref)) or (
                b is None and a is not None and _frozen_partner(self.layers, a, False, self.cand)
            ):
                continue  # a frozen BatchNorm there normalises with running statistics in training too
            one = b if a is None else a
            amid = (
                _amid_gone(self.layers, one, a is None)
                if one is not None and (a is None or b is None)
                else None
            )
            self.out.append(replace(self.mismatch(place, r, c), cause=amid))

    def anchor(self, place: _Place) -> SourceLoc | None:
        """The candidate line to add a missing regularizer at: its block, else its classifier."""
        if place.cand_block:
            return self.sites.get(place.cand_block)
        if place.part is Part.HEAD:
            linear = next((self.cand.ops[o] for o in self.cand.structure.head
                           if self.cand.ops[o].kind is OpKind.LINEAR), None)  # fmt: skip
            return self.sites.get(linear.module_path) if linear is not None else None
        return None

    def mismatch(
        self,
        place: _Place,
        r: int | None,
        c: int | None,
        sides: tuple[str | None, str | None] | None = None,
        *,
        calls: bool = False,
        in_eval: bool = False,
        unit: bool = False,
    ) -> Mismatch:
        a = self.ref.regularizers[r] if r is not None else None
        b = self.cand.regularizers[c] if c is not None else None
        exp: object
        act: object
        when = "train mode only: identical in eval"
        if a is not None and b is not None and in_eval:
            field, exp, act, when = (
                "in_eval",
                a.in_eval,
                b.in_eval,
                "the eval forward differs: it draws random masks",
            )
            text = f"{call_text(b)} {eval_mode(b)} where the reference's is {eval_mode(a)}"
        elif a is not None and b is not None and calls:
            field, exp, act = "calls", "; ".join(a.calls), "; ".join(b.calls)
            text = f"{call_text(b)} {calls_differ(a.calls, b.calls)}"
        elif a is not None and b is not None and unit:
            field, exp, act = "unit", _UNITS[a.unit], _UNITS[b.unit]
            text = f"{call_text(b)} keeps or drops {act} where the reference's drops {exp}"
        elif a is not None and b is not None and sides is not None:
            field, exp, act = "position", sides[0], sides[1]
            text = f"{call_text(b)} {sides[1]} where the reference's runs {sides[0]}"
        elif a is not None and b is not None:
            field, exp, act = ("p", a.p, b.p) if a.kind is b.kind else ("kind", call_text(a), call_text(b))
            text = f"{call_text(b)} where the reference has {call_text(a)}"
        elif b is not None:
            field, exp, act = "regularizer", None, call_text(b)
            text = f"extra {call_text(b)} ({b.kind.value}) not in the reference"
        else:
            assert a is not None
            field, exp, act = "regularizer", call_text(a), None
            text = f"{call_text(a)} ({a.kind.value}) is missing in the candidate"
        return Mismatch(
            MismatchKind.REGULARIZER,
            # a branch the root's own forward runs (a mixup between two stages) is the root's: "", not None
            a.path if a is not None else (place.ref_block or None),
            b.path if b is not None else (place.cand_block or None),
            field, exp, act,
            f"{place.text}: {text} ({when})",
            b.source if b is not None else self.anchor(place),
            _REGION[place.part], OpKind.DROPOUT, place.pair,
            a.op if a is not None else None, b.op if b is not None else None,
            reference_regularizer=r, candidate_regularizer=c,
        )  # fmt: skip


def regularizer_mismatches(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], layers: Sequence[Mismatch] = ()
) -> list[Mismatch]:
    """``layers``: the op mismatches, which pair a layer with the other side's (a norm's)."""
    if cand.crash is not None:
        return []
    return _RegularizerDiffer(ref, cand, layers).run(pairs)
