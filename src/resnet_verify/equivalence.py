"""Numeric equivalence: same weights, same input, compare every aligned block's output.

Shapes and parameter counts cannot see a ReLU in the wrong place, a shortcut added before the last
BatchNorm or a stride on the 1x1 instead of the 3x3; outputs can. The steps:

1. :func:`pair_parameters` pairs every reference parameter and buffer with a candidate tensor by
   walking the structural alignment of a :class:`~resnet_verify.records.Comparison` (stem, every
   block pair's main path / shortcut / tail, head) and zipping the ``params`` of each aligned op pair
   *by role* (conv/linear: weight, bias; batch norm: running_mean, running_var, weight, bias).
   Parameterised ops the alignment left unpaired inside one region (a BatchNorm moved across the
   add, say) are paired afterwards in order, by kind and shapes. ``num_batches_tracked`` follows its
   BatchNorm. Tensors no op consumes (``num_batches_tracked``, an unused module) never block a
   mapping; they are listed as ``unused_*``. A conv/linear bias the reference op does not have is
   set to zero (``zero_candidate``): the same function, so porting into ``bias=True`` convs works.
2. :func:`check_equivalence` builds a *real* reference (random init under ``seed``, or
   ``reference_state``), gives its BatchNorms realistic, non-identity statistics (one calibration
   forward in train mode on a random batch, then a seeded random affine and jitter) so that eval-mode
   BN does not hide bugs, copies the reference tensors into a deep copy of the candidate (the
   caller's model is never touched), and runs both in eval mode on the same random input.
3. Block outputs are captured by op id: a light ``TorchFunctionMode`` counts ops exactly the way the
   tracer does, so the op ids of the real run equal the trace's. The op count and names are checked;
   if the control flow differed, only the final outputs are compared.

Tolerance: a tensor matches when ``max|ref - cand| <= atol + rtol * max|ref|`` (fp32 defaults
``atol=1e-4``, ``rtol=1e-3``; ``rel`` in the report is ``max|ref - cand| / max|ref|``).
The report names the *first* block whose output diverges (everything before it matched, so the bug
is inside it), the error at the end of every reference stage and the error of the final output.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import pickle
import re
import time
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten

from resnet_verify import opkinds
from resnet_verify.align import OpPair, align_block_ops, align_ops
from resnet_verify.errors import UsageError
from resnet_verify.records import (
    INPUT_ID, Block, Comparison, Mismatch, MismatchKind, OpKind, OpRecord, ParamInfo, Trace,
)

DEFAULT_ATOL = 1e-4
DEFAULT_RTOL = 1e-3

_MAX_LISTED = 3
_CALIBRATION_SIDE = 64


# ------------------------------------------------------------------------------------ the mapping


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
        out, seen = [], set()
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
        extra_bias = (r.kind in (OpKind.CONV, OpKind.LINEAR) and set(cr) - set(rr) == {"bias"}
                      and set(rr) <= set(cr))
        if set(rr) != set(cr) and not extra_bias:
            if commit:
                only_r = sorted(set(rr) - set(cr))
                only_c = sorted(set(cr) - set(rr))
                bits = []
                if only_r:
                    bits.append(f"{_op_where(c)} has no {', '.join(only_r)}")
                if only_c:
                    bits.append(f"{_op_where(c)} has a {', '.join(only_c)} that "
                                f"{_op_where(r)} does not")
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

    def region(self, pairs: Sequence[OpPair], ref_extra: Sequence[int] = (),
               cand_extra: Sequence[int] = ()) -> None:
        """Pair op-aligned tensors, then leftovers of one region in order by kind and shapes."""
        left_r: list[int] = [o for o in ref_extra if self.ref.ops[o].params]
        left_c: list[int] = [o for o in cand_extra if self.cand.ops[o].params]
        for pair in pairs:
            r = self.ref.ops[pair.reference] if pair.reference is not None else None
            c = self.cand.ops[pair.candidate] if pair.candidate is not None else None
            if r is not None and c is not None and (r.params or c.params):
                if r.kind is c.kind and self.try_pair(r, c):
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


def pair_parameters(comparison: Comparison) -> ParamMapping:
    """Pair every reference parameter and buffer with a candidate tensor through the alignment."""
    ref, cand = comparison.reference, comparison.candidate
    if cand.crash is not None:
        return ParamMapping((), (), (), False, "the candidate's forward crashed "
                            f"({cand.crash.error_type} in {cand.crash.module_path or 'the model'})")
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
    pairer.region((), [o.id for o in ref.ops if o.id not in covered_r],
                  [o.id for o in cand.ops if o.id not in covered_c])

    # num_batches_tracked follows its BatchNorm's running_mean.
    for rname, cname in list(pairer.pairs):
        if rname.endswith("running_mean") and cname.endswith("running_mean"):
            rn = rname[: -len("running_mean")] + "num_batches_tracked"
            cn = cname[: -len("running_mean")] + "num_batches_tracked"
            if rn in pairer.rt and cn in pairer.ct:
                pairer.pairs[(rn, cn)] = None

    pairs = tuple(pairer.pairs)
    paired_r = {r for r, _ in pairs}
    paired_c = {c for _, c in pairs}
    zero = tuple(z for z in pairer.zero if z not in paired_c)
    paired_c |= set(zero)
    consumed_r = {p for op in ref.ops for p in op.params}
    consumed_c = {p for op in cand.ops for p in op.params}
    unpaired_r = tuple(p.name for p in ref.params if p.name in consumed_r
                       and p.name not in paired_r)
    unpaired_c = tuple(p.name for p in cand.params if p.name in consumed_c
                       and p.name not in paired_c)
    unused_r = tuple(p.name for p in ref.params if p.name not in consumed_r
                     and p.name not in paired_r)
    unused_c = tuple(p.name for p in cand.params if p.name not in consumed_c
                     and p.name not in paired_c)
    sources: dict[str, set[str]] = {}
    for r, c in pairs:
        sources.setdefault(c, set()).add(r)
    conflicts = sorted(c for c, rs_ in sources.items() if len(rs_) > 1)

    reasons = []
    if unpaired_r:
        reasons.append(f"{len(unpaired_r)} reference tensor{'s' if len(unpaired_r) != 1 else ''} "
                       f"without a candidate partner ({_listing(unpaired_r)})")
    if unpaired_c:
        reasons.append(f"{len(unpaired_c)} candidate tensor{'s' if len(unpaired_c) != 1 else ''} "
                       f"without a reference partner ({_listing(unpaired_c)})")
    if conflicts:
        c = conflicts[0]
        reasons.append(f"candidate tensor {c} is used where the reference has different tensors "
                       f"({', '.join(sorted(sources[c]))})")
    if reasons and pairer.problems:
        seen: list[str] = []
        for _, p in sorted(pairer.problems.items()):
            if p not in seen:
                seen.append(p)
        reasons.append("first differences: " + "; ".join(seen[:_MAX_LISTED]))
    complete = not reasons
    return ParamMapping(
        pairs=pairs, unpaired_reference=unpaired_r, unpaired_candidate=unpaired_c,
        complete=complete, reason=None if complete else "; ".join(reasons),
        unused_reference=unused_r, unused_candidate=unused_c, zero_candidate=zero,
    )


def _listing(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f", ... {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else "")


# ----------------------------------------------------------------------------------- the report


@dataclass(frozen=True, slots=True)
class EquivalenceReport:
    """Outcome of :func:`check_equivalence`. ``equivalent`` is None when the check was skipped."""

    equivalent: bool | None
    first_divergent: str | None = None  # reference path of the first divergent block / "stem"...
    block_errors: tuple[tuple[str, str, float, float], ...] = ()  # ref, cand, max_abs, rel
    stage_errors: tuple[tuple[str, float, float], ...] = ()  # ref stage path, max_abs, rel
    output_max_abs: float | None = None
    output_rel: float | None = None
    mismatches: tuple[Mismatch, ...] = ()
    skipped_reason: str | None = None
    seconds: float = 0.0
    atol: float = DEFAULT_ATOL
    rtol: float = DEFAULT_RTOL
    seed: int = 0
    batch: int = 2
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """One line for a report's notes."""
        head = (f"numeric equivalence (seed {self.seed}, batch {self.batch}, "
                f"atol {self.atol:g}, rtol {self.rtol:g})")
        if self.equivalent is None:
            return f"{head}: skipped: {self.skipped_reason}"
        out = (f"final output max abs error {_num(self.output_max_abs)} "
               f"(rel {_num(self.output_rel)})")
        stages = ", ".join(f"{p} {_num(e)} (rel {_num(r)})" for p, e, r in self.stage_errors)
        stages = f"; max abs error at the end of each stage: {stages}" if stages else ""
        if self.equivalent:
            return f"{head}: equivalent; {out}{stages}"
        return f"{head}: outputs diverge first at {self.first_divergent}{stages}; {out}"


def _num(x: float | None) -> str:
    if x is None:
        return "n/a"
    if math.isinf(x):
        return "inf"
    return "0" if x == 0 else f"{x:.3g}"


def with_equivalence(comparison: Comparison, report: EquivalenceReport) -> Comparison:
    """A new comparison with the numeric mismatches appended and a summary note."""
    from resnet_verify.compare import stage_rows

    mismatches = (*comparison.mismatches, *report.mismatches)
    notes = (*comparison.notes, report.summary(), *report.notes)
    return dataclasses.replace(
        comparison, mismatches=mismatches, notes=notes,
        stages=stage_rows(comparison.reference, comparison.candidate, comparison.blocks,
                          mismatches),
    )


# ------------------------------------------------------------------------------- real execution


class _Capture(TorchFunctionMode):
    """Counts ops exactly like the tracer's recorder and keeps copies of the wanted outputs."""

    def __init__(self, wanted: set[int]) -> None:
        super().__init__()
        self.wanted = wanted
        self.names: list[str] = []
        self.captured: dict[int, torch.Tensor] = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):  # noqa: ANN001, ANN204
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", str(func))
        if name in opkinds.IGNORED:
            return out
        outs = [t for t in tree_flatten(out)[0] if isinstance(t, torch.Tensor)]
        if not outs:
            return out
        op_id = len(self.names)
        self.names.append(name)
        if op_id in self.wanted:
            self.captured[op_id] = outs[0].detach().clone()
        return out


def _run(model: nn.Module, x: torch.Tensor, wanted: set[int]) -> tuple[torch.Tensor, _Capture]:
    capture = _Capture(wanted)
    with torch.no_grad(), capture:
        out = model(x)
    if not isinstance(out, torch.Tensor):
        raise UsageError(f"the forward of {type(model).__name__} does not return a tensor")
    return out.detach(), capture


def _error(ref: torch.Tensor, cand: torch.Tensor, atol: float,
           rtol: float) -> tuple[float, float, bool, str | None]:
    """max abs error, relative error, within tolerance, why not comparable."""
    if tuple(ref.shape) != tuple(cand.shape):
        return math.inf, math.inf, False, (f"output shape {list(cand.shape)} vs "
                                           f"{list(ref.shape)}")
    ref = ref.double()
    cand = cand.to(ref.device).double()
    if not bool(torch.isfinite(cand).all()) and bool(torch.isfinite(ref).all()):
        return math.inf, math.inf, False, "non-finite values in the output"
    diff = float((ref - cand).abs().max()) if ref.numel() else 0.0
    scale = float(ref.abs().max()) if ref.numel() else 0.0
    rel = diff / scale if scale > 0 else (0.0 if diff == 0 else math.inf)
    return diff, rel, diff <= atol + rtol * scale, None


def _block_end(block: Block) -> int:
    if block.tail:
        return block.tail[-1]
    return block.merge_op if block.merge_op is not None else block.main[-1]


def _named_tensors(model: nn.Module) -> dict[str, torch.Tensor]:
    out: dict[str, torch.Tensor] = {}
    for name, t in model.named_parameters(remove_duplicate=False):
        out.setdefault(name, t)
    for name, t in model.named_buffers(remove_duplicate=False):
        out.setdefault(name, t)
    return out


def _strip_prefix(state: dict[str, Any]) -> dict[str, Any]:
    if state and all(k.startswith("module.") for k in state):
        return {k[len("module."):]: v for k, v in state.items()}
    return state


def real_reference(name: str, *, num_classes: int, seed: int = 0,
                   state: dict[str, torch.Tensor] | None = None) -> nn.Module:
    """torchvision's ``name`` on CPU with real tensors: random init under ``seed``, or ``state``."""
    from resnet_verify.checkpoint import load_weights
    from resnet_verify.specs import reference_names

    name = name.removeprefix("torchvision:")
    if name not in reference_names():
        raise UsageError(f"unknown reference {name!r}; valid: {', '.join(reference_names())}")
    import torchvision.models

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = getattr(torchvision.models, name)(weights=None, num_classes=num_classes)
    if state is not None:
        load_weights(model, _strip_prefix(dict(state)), source="reference weights",
                     spec=f"torchvision:{name}")
    return model.eval()


def randomize_batchnorm(model: nn.Module, input_shape: Sequence[int], *, seed: int) -> None:
    """Give every BatchNorm realistic, non-identity eval statistics, deterministically.

    One forward in train mode (cumulative average) on a random batch of 2 (spatial size capped at
    64) sets the running statistics to data statistics, so activations stay O(1) at any depth;
    then the affine parameters are drawn from ``U(0.5, 1.5)`` / ``N(0, 0.25)`` and the statistics
    jittered, so that eval-mode BN is far from the identity and a moved or missing BatchNorm
    changes the output.
    """
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return
    gen = torch.Generator().manual_seed(seed + 7919)
    # Calibrating at <= 64x64 is enough to keep magnitudes O(1) and costs 1/12 of a 224 forward.
    shape = (2, int(input_shape[1]), *(min(int(s), _CALIBRATION_SIDE) for s in input_shape[2:]))
    saved = [(m, m.momentum) for m in bns]
    was_training = model.training
    try:
        for m in bns:
            m.reset_running_stats()
            m.momentum = None
        model.train()
        with torch.no_grad():
            model(torch.randn(shape, generator=gen))
    except Exception:  # noqa: BLE001 - e.g. one value per channel: fall back to random stats
        for m in bns:
            if m.running_mean is not None:
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) + 0.5)
    finally:
        for m, momentum in saved:
            m.momentum = momentum
        model.train(was_training)
    with torch.no_grad():
        for m in bns:
            if m.running_mean is not None:
                n = m.running_mean.shape
                std = m.running_var.clamp_min(1e-6).sqrt()
                m.running_mean.add_(torch.randn(n, generator=gen) * 0.1 * std)
                m.running_var.mul_(torch.rand(n, generator=gen) * 0.4 + 0.8)
            if m.weight is not None:
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) + 0.5)
            if m.bias is not None:
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.25)


def candidate_copy(candidate: nn.Module) -> nn.Module:
    """A CPU float32 eval-mode deep copy (meta tensors become real, zero-filled)."""
    model = copy.deepcopy(candidate)
    if any(t.is_meta for t in (*model.parameters(), *model.buffers())):
        model = model.to_empty(device="cpu")
        with torch.no_grad():
            for t in (*model.parameters(), *model.buffers()):
                t.zero_()
    model = model.to("cpu")
    if any(t.is_floating_point() and t.dtype != torch.float32
           for t in (*model.parameters(), *model.buffers())):
        model = model.float()
    return model.eval()


def copy_weights(reference: nn.Module, candidate: nn.Module, mapping: ParamMapping) -> None:
    """Copy every paired reference tensor into the candidate, in place."""
    rt, ct = _named_tensors(reference), _named_tensors(candidate)
    with torch.no_grad():
        for rname, cname in mapping.pairs:
            src, dst = rt[rname], ct[cname]
            if tuple(src.shape) != tuple(dst.shape):  # pragma: no cover - pairing checks shapes
                raise ValueError(f"{rname} {list(src.shape)} vs {cname} {list(dst.shape)}")
            dst.copy_(src)
        for cname in mapping.zero_candidate:
            ct[cname].zero_()


def numeric_report(ref_model: nn.Module, cand_model: nn.Module, comparison: Comparison, *,
                   seed: int = 0, batch: int = 2, atol: float = DEFAULT_ATOL,
                   rtol: float = DEFAULT_RTOL, started: float | None = None) -> EquivalenceReport:
    """Run two real models that already hold the same weights and compare aligned block outputs."""
    started = time.perf_counter() if started is None else started
    ref, cand = comparison.reference, comparison.candidate
    rs, cs = ref.structure, cand.structure
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn((batch, *comparison.input_shape[1:]), generator=gen)
    # (label, ref op, cand op, reference path, candidate path, stage index or None)
    points: list[tuple[str, int, int, str, str, int | None]] = []
    if rs.blocks and cs.blocks and rs.blocks[0].fork_op != INPUT_ID \
            and cs.blocks[0].fork_op != INPUT_ID:
        rf, cf = rs.blocks[0].fork_op, cs.blocks[0].fork_op
        points.append(("stem", rf, cf, ref.ops[rf].module_path or "stem",
                       cand.ops[cf].module_path or "stem", None))
    stage_of = {b: s.index for s in rs.stages for b in s.blocks}
    for bp in comparison.blocks:
        if bp.reference is None or bp.candidate is None:
            continue
        rb, cb = rs.blocks[bp.reference], cs.blocks[bp.candidate]
        points.append((rb.path or f"block {rb.index}", _block_end(rb), _block_end(cb),
                       rb.path, cb.path, stage_of.get(rb.index)))
    ref_out, ref_cap = _run(ref_model.eval(), x, {p[1] for p in points})
    cand_out, cand_cap = _run(cand_model.eval(), x.to(_dtype(cand_model)),
                              {p[2] for p in points})
    notes: list[str] = []
    same_r = ref_cap.names == [op.name for op in ref.ops]
    same_c = cand_cap.names == [op.name for op in cand.ops]
    if not (same_r and same_c):
        who = "the reference" if not same_r else "the candidate"
        notes.append(f"numeric check: {who} ran a different op sequence on real tensors than "
                     "when traced; only final outputs were compared")
        points = []

    block_errors: list[tuple[str, str, float, float]] = []
    errors_by_stage: dict[int, tuple[float, float]] = {}
    first: tuple[str, str, str, float, float, str | None, float] | None = None
    for label, ro, co, rpath, cpath, stage in points:
        r_t, c_t = ref_cap.captured[ro], cand_cap.captured[co]
        max_abs, rel, ok, why = _error(r_t, c_t, atol, rtol)
        block_errors.append((rpath or label, cpath, max_abs, rel))
        if stage is not None:
            errors_by_stage[stage] = (max_abs, rel)
        if not ok and first is None:
            first = (label, rpath, cpath, max_abs, rel, why,
                     atol + rtol * float(r_t.abs().max()) if r_t.numel() else atol)
    out_abs, out_rel, out_ok, out_why = _error(ref_out, cand_out.float(), atol, rtol)
    head_r = [ref.ops[o] for o in rs.head]
    head_c = [cand.ops[o] for o in cs.head]
    if first is None and not out_ok:
        rpath = next((o.module_path for o in reversed(head_r) if o.params), None) or (
            head_r[-1].module_path if head_r else "output")
        cpath = next((o.module_path for o in reversed(head_c) if o.params), None) or (
            head_c[-1].module_path if head_c else "output")
        first = ("head" if points else "output", rpath, cpath, out_abs, out_rel, out_why,
                 atol + rtol * float(ref_out.abs().max()))
    stage_errors = tuple((s.path or f"stage{s.index + 1}", *errors_by_stage[s.index])
                         for s in rs.stages if s.index in errors_by_stage)
    mismatches: tuple[Mismatch, ...] = ()
    first_label = None
    if first is not None:
        label, rpath, cpath, max_abs, rel, why, tol = first
        first_label = label
        where = label if label in ("stem", "head", "output") else f"block {label}"
        detail = why or (f"max abs error {_num(max_abs)}, {_num(rel)} of the reference's max "
                         f"|value|, tolerance {_num(tol)}")
        before = "; every earlier block matches" if label not in ("stem", "output") else ""
        mismatches = (Mismatch(
            kind=MismatchKind.NUMERIC, reference_path=rpath or None, candidate_path=cpath or None,
            field="max_abs_error", expected=float(f"{tol:.4g}"),
            actual=why if why else float(f"{max_abs:.4g}"),
            message=(f"{where}: with the same weights and input, the output differs from the "
                     f"reference ({detail}){before}"),
        ),)
    return EquivalenceReport(
        equivalent=first is None, first_divergent=first_label, block_errors=tuple(block_errors),
        stage_errors=stage_errors, output_max_abs=out_abs, output_rel=out_rel,
        mismatches=mismatches, seconds=time.perf_counter() - started, atol=atol, rtol=rtol,
        seed=seed, batch=batch, notes=tuple(notes),
    )


def _dtype(model: nn.Module) -> torch.dtype:
    for t in model.parameters():
        if t.is_floating_point():
            return t.dtype
    return torch.float32


def _comparison_for(candidate: nn.Module, reference: str | nn.Module, input_size: Any,
                    num_classes: int) -> Comparison:
    from resnet_verify.compare import _input_shape, compare, compare_traces
    from resnet_verify.tracer import trace

    if isinstance(reference, str):
        return compare(candidate, reference, input_size=input_size, num_classes=num_classes)
    shape = _input_shape(input_size)
    ref_trace = trace(reference, shape)
    if ref_trace.crash is not None:
        raise UsageError(f"the reference crashed at input size {'x'.join(map(str, shape[1:]))}: "
                         f"{ref_trace.crash.message}")
    return compare_traces(ref_trace, trace(candidate, shape),
                          reference_name=type(reference).__name__,
                          candidate_name=type(candidate).__name__, num_classes=num_classes)


def _check_tolerances(atol: float, rtol: float, batch: int) -> None:
    for flag, value in (("atol", atol), ("rtol", rtol)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
            raise UsageError(f"{flag} must be a finite number >= 0, got {value!r}")
    if batch < 1:
        raise UsageError(f"batch must be at least 1, got {batch}")


def check_equivalence(candidate: nn.Module, reference: str | nn.Module = "resnet50", *,
                      input_size: Any = None, num_classes: int = 1000,
                      reference_state: dict[str, torch.Tensor] | None = None, seed: int = 0,
                      batch: int = 2, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
                      comparison: Comparison | None = None) -> EquivalenceReport:
    """Copy the reference's weights into a copy of ``candidate`` and compare outputs block by block.

    ``reference`` is a torchvision builder name (random init under ``seed`` with randomized
    BatchNorm statistics, or ``reference_state`` loaded as is) or a real ``nn.Module`` used with
    its own weights. ``comparison`` re-uses an existing structural comparison (its input shape
    wins over ``input_size``). A mapping that cannot be completed gives a report with
    ``equivalent=None`` and ``skipped_reason``: that is an answer, not an error.
    """
    started = time.perf_counter()
    _check_tolerances(atol, rtol, batch)
    if not isinstance(candidate, nn.Module):
        raise UsageError(f"candidate must be an nn.Module, got {type(candidate).__name__}")
    if comparison is None:
        if input_size is None:
            raise UsageError("check_equivalence needs input_size (or a comparison)")
        comparison = _comparison_for(candidate, reference, input_size, num_classes)

    def skipped(reason: str) -> EquivalenceReport:
        return EquivalenceReport(equivalent=None, skipped_reason=reason, atol=atol, rtol=rtol,
                                 seed=seed, batch=batch,
                                 seconds=time.perf_counter() - started)

    crash = comparison.candidate.crash
    if crash is not None:
        return skipped(f"the candidate's forward crashed in {crash.module_path or 'the model'} "
                       f"({crash.error_type})")
    mapping = pair_parameters(comparison)
    if not mapping.complete:
        return skipped(f"parameters cannot be paired one to one: {mapping.reason}")
    shape = comparison.input_shape
    if isinstance(reference, nn.Module):
        ref_model = copy.deepcopy(reference).to("cpu").eval()
        if reference_state is not None:
            ref_model.load_state_dict(_strip_prefix(dict(reference_state)), strict=True)
    else:
        ref_model = real_reference(reference, num_classes=comparison.num_classes, seed=seed,
                                   state=reference_state)
        if reference_state is None:
            randomize_batchnorm(ref_model, (batch, *shape[1:]), seed=seed)
    cand_model = candidate_copy(candidate)
    copy_weights(ref_model, cand_model, mapping)
    report = numeric_report(ref_model, cand_model, comparison, seed=seed, batch=batch, atol=atol,
                            rtol=rtol, started=started)
    return dataclasses.replace(report, notes=(*report.notes, *mapping_notes(mapping)))


def mapping_notes(mapping: ParamMapping) -> tuple[str, ...]:
    notes = []
    if mapping.zero_candidate:
        n = len(mapping.zero_candidate)
        notes.append(f"numeric check: {n} candidate bias{'es' if n != 1 else ''} with no "
                     f"reference counterpart set to zero ({_listing(mapping.zero_candidate)})")
    unused = [u for u in mapping.unused_candidate if not u.endswith("num_batches_tracked")]
    if unused:
        n = len(unused)
        notes.append(f"numeric check: {n} candidate tensor{'s' if n != 1 else ''} that no op "
                     f"uses kept {'their' if n != 1 else 'its'} own values ({_listing(unused)})")
    return tuple(notes)


# --------------------------------------------------------------------------------- weight files

_GLOBAL = re.compile(r"GLOBAL ([\w.]+)")  # torch 2.4-2.5 "Unsupported global: GLOBAL x", later "unsupported GLOBAL x"
_OPCODE = re.compile(r"Unsupported operand (\d+)")  # not a torch.save pickle at all (text, raw pickle, junk)


def load_state_file(path: str | Path, *, what: str = "weights") -> dict[str, torch.Tensor]:
    """A state_dict from ``torch.load(path, weights_only=True)``; every failure is one UsageError.

    Accepts a bare state_dict or one wrapped under ``state_dict`` / ``model`` (a training
    checkpoint); a ``module.`` prefix (DataParallel) is removed.
    """
    p = Path(path)
    label = f"{what} {path}"
    if not p.exists():
        raise UsageError(f"{label}: no such file")
    if p.is_dir():
        raise UsageError(f"{label}: is a folder, not a file")
    try:
        with warnings.catch_warnings():  # e.g. "pickle protocol 4": the refusal below says enough
            warnings.simplefilter("ignore")
            obj = torch.load(p, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        text = str(exc)
        if "weights_only" in text or "Weights only" in text:
            match, opcode = _GLOBAL.search(text), _OPCODE.search(text)
            if opcode and not match:
                raise UsageError(f"{label}: not a torch.save file, or corrupt (weights_only loading stops "
                                 f"at pickle opcode {opcode.group(1)})") from None
            what_global = f" ({match.group(1)})" if match else ""
            raise UsageError(f"{label}: refused by torch.load(weights_only=True): its pickle asks "
                             f"to run code{what_global}") from None
        raise UsageError(f"{label}: truncated or corrupt ({_first_line(exc)})") from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError, OSError, KeyError,
            IndexError, TypeError, AttributeError) as exc:
        raise UsageError(f"{label}: truncated or corrupt ({_first_line(exc)})") from None
    if isinstance(obj, dict) and not _is_state(obj):
        for key in ("state_dict", "model", "model_state_dict"):
            if isinstance(obj.get(key), dict) and _is_state(obj[key]):
                obj = obj[key]
                break
    if not isinstance(obj, dict) or not _is_state(obj) or not obj:
        raise UsageError(f"{label}: not a state_dict (expected a dict of tensor names to tensors)")
    return _strip_prefix(obj)


def _is_state(obj: dict[Any, Any]) -> bool:
    return all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items())


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else type(exc).__name__


__all__ = [
    "DEFAULT_ATOL", "DEFAULT_RTOL", "EquivalenceReport", "ParamMapping", "check_equivalence",
    "load_state_file", "numeric_report", "pair_parameters", "randomize_batchnorm",
    "real_reference", "with_equivalence",
]
