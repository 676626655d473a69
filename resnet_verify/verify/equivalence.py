"""Numeric equivalence: same weights, same input, compare every aligned block's output.

Shapes and parameter counts cannot see a ReLU in the wrong place, a shortcut added before the last
BatchNorm or a stride on the 1x1 instead of the 3x3; outputs can. The steps:

1. :func:`~resnet_verify.verify.pairing.pair_parameters` pairs every reference parameter and buffer with a
   candidate tensor through the structural alignment (see :mod:`resnet_verify.verify.pairing`).
2. :func:`check_equivalence` builds a *real* reference (random init under ``seed``, or
   ``reference_state``), gives its BatchNorms realistic, non-identity statistics (one calibration
   forward in train mode on a random batch, then a seeded random affine and jitter) so that
   eval-mode BN does not hide bugs, copies the reference tensors into a deep copy of the candidate
   (the caller's model is never touched), and runs both in eval mode on the same random input
   (see :mod:`resnet_verify.verify.weights`).
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
import time
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten

from resnet_verify.errors import UsageError
from resnet_verify.tracing import opkinds
from resnet_verify.tracing.records import INPUT_ID, Block
from resnet_verify.verify.pairing import mapping_notes, pair_parameters
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind
from resnet_verify.verify.weights import (
    _strip_prefix,
    candidate_copy,
    copy_weights,
    randomize_batchnorm,
    real_reference,
)

DEFAULT_ATOL = 1e-4
DEFAULT_RTOL = 1e-3


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
        head = (
            f"numeric equivalence (seed {self.seed}, batch {self.batch}, "
            f"atol {self.atol:g}, rtol {self.rtol:g})"
        )
        if self.equivalent is None:
            return f"{head}: skipped: {self.skipped_reason}"
        out = f"final output max abs error {_num(self.output_max_abs)} (rel {_num(self.output_rel)})"
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
    from resnet_verify.verify.comparison import stage_rows

    mismatches = (*comparison.mismatches, *report.mismatches)
    notes = (*comparison.notes, report.summary(), *report.notes)
    return dataclasses.replace(
        comparison,
        mismatches=mismatches,
        notes=notes,
        stages=stage_rows(comparison.reference, comparison.candidate, comparison.blocks, mismatches),
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


def _error(
    ref: torch.Tensor, cand: torch.Tensor, atol: float, rtol: float
) -> tuple[float, float, bool, str | None]:
    """max abs error, relative error, within tolerance, why not comparable."""
    if tuple(ref.shape) != tuple(cand.shape):
        return math.inf, math.inf, False, (f"output shape {list(cand.shape)} vs {list(ref.shape)}")
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


def numeric_report(
    ref_model: nn.Module,
    cand_model: nn.Module,
    comparison: Comparison,
    *,
    seed: int = 0,
    batch: int = 2,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
    started: float | None = None,
) -> EquivalenceReport:
    """Run two real models that already hold the same weights and compare aligned block outputs."""
    started = time.perf_counter() if started is None else started
    ref, cand = comparison.reference, comparison.candidate
    rs, cs = ref.structure, cand.structure
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn((batch, *comparison.input_shape[1:]), generator=gen)
    # (label, ref op, cand op, reference path, candidate path, stage index or None)
    points: list[tuple[str, int, int, str, str, int | None]] = []
    if rs.blocks and cs.blocks and rs.blocks[0].fork_op != INPUT_ID and cs.blocks[0].fork_op != INPUT_ID:
        rf, cf = rs.blocks[0].fork_op, cs.blocks[0].fork_op
        points.append(
            ("stem", rf, cf, ref.ops[rf].module_path or "stem", cand.ops[cf].module_path or "stem", None)
        )
    stage_of = {b: s.index for s in rs.stages for b in s.blocks}
    for bp in comparison.blocks:
        if bp.reference is None or bp.candidate is None:
            continue
        rb, cb = rs.blocks[bp.reference], cs.blocks[bp.candidate]
        points.append(
            (
                rb.path or f"block {rb.index}",
                _block_end(rb),
                _block_end(cb),
                rb.path,
                cb.path,
                stage_of.get(rb.index),
            )
        )
    ref_out, ref_cap = _run(ref_model.eval(), x, {p[1] for p in points})
    cand_out, cand_cap = _run(cand_model.eval(), x.to(_dtype(cand_model)), {p[2] for p in points})
    notes: list[str] = []
    same_r = ref_cap.names == [op.name for op in ref.ops]
    same_c = cand_cap.names == [op.name for op in cand.ops]
    if not (same_r and same_c):
        who = "the reference" if not same_r else "the candidate"
        notes.append(
            f"numeric check: {who} ran a different op sequence on real tensors than "
            "when traced; only final outputs were compared"
        )
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
            first = (
                label,
                rpath,
                cpath,
                max_abs,
                rel,
                why,
                atol + rtol * float(r_t.abs().max()) if r_t.numel() else atol,
            )
    out_abs, out_rel, out_ok, out_why = _error(ref_out, cand_out.float(), atol, rtol)
    head_r = [ref.ops[o] for o in rs.head]
    head_c = [cand.ops[o] for o in cs.head]
    if first is None and not out_ok:
        rpath = next((o.module_path for o in reversed(head_r) if o.params), None) or (
            head_r[-1].module_path if head_r else "output"
        )
        cpath = next((o.module_path for o in reversed(head_c) if o.params), None) or (
            head_c[-1].module_path if head_c else "output"
        )
        first = (
            "head" if points else "output",
            rpath,
            cpath,
            out_abs,
            out_rel,
            out_why,
            atol + rtol * float(ref_out.abs().max()),
        )
    stage_errors = tuple(
        (s.path or f"stage{s.index + 1}", *errors_by_stage[s.index])
        for s in rs.stages
        if s.index in errors_by_stage
    )
    mismatches: tuple[Mismatch, ...] = ()
    first_label = None
    if first is not None:
        label, rpath, cpath, max_abs, rel, why, tol = first
        first_label = label
        where = label if label in ("stem", "head", "output") else f"block {label}"
        detail = why or (
            f"max abs error {_num(max_abs)}, {_num(rel)} of the reference's max "
            f"|value|, tolerance {_num(tol)}"
        )
        before = "; every earlier block matches" if label not in ("stem", "output") else ""
        mismatches = (
            Mismatch(
                kind=MismatchKind.NUMERIC,
                reference_path=rpath or None,
                candidate_path=cpath or None,
                field="max_abs_error",
                expected=float(f"{tol:.4g}"),
                actual=why if why else float(f"{max_abs:.4g}"),
                message=(
                    f"{where}: with the same weights and input, the output differs from the "
                    f"reference ({detail}){before}"
                ),
            ),
        )
    return EquivalenceReport(
        equivalent=first is None,
        first_divergent=first_label,
        block_errors=tuple(block_errors),
        stage_errors=stage_errors,
        output_max_abs=out_abs,
        output_rel=out_rel,
        mismatches=mismatches,
        seconds=time.perf_counter() - started,
        atol=atol,
        rtol=rtol,
        seed=seed,
        batch=batch,
        notes=tuple(notes),
    )


def _dtype(model: nn.Module) -> torch.dtype:
    for t in model.parameters():
        if t.is_floating_point():
            return t.dtype
    return torch.float32


def _comparison_for(
    candidate: nn.Module, reference: str | nn.Module, input_size: Any, num_classes: int
) -> Comparison:
    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import _input_shape, compare, compare_traces

    if isinstance(reference, str):
        return compare(candidate, reference, input_size=input_size, num_classes=num_classes)
    shape = _input_shape(input_size)
    ref_trace = trace(reference, shape)
    if ref_trace.crash is not None:
        raise UsageError(
            f"the reference crashed at input size {'x'.join(map(str, shape[1:]))}: {ref_trace.crash.message}"
        )
    return compare_traces(
        ref_trace,
        trace(candidate, shape),
        reference_name=type(reference).__name__,
        candidate_name=type(candidate).__name__,
        num_classes=num_classes,
    )


def _check_tolerances(atol: float, rtol: float, batch: int) -> None:
    for flag, value in (("atol", atol), ("rtol", rtol)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
            raise UsageError(f"{flag} must be a finite number >= 0, got {value!r}")
    if batch < 1:
        raise UsageError(f"batch must be at least 1, got {batch}")


def check_equivalence(
    candidate: nn.Module,
    reference: str | nn.Module = "resnet50",
    *,
    input_size: Any = None,
    num_classes: int = 1000,
    reference_state: dict[str, torch.Tensor] | None = None,
    seed: int = 0,
    batch: int = 2,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    comparison: Comparison | None = None,
) -> EquivalenceReport:
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
        return EquivalenceReport(
            equivalent=None,
            skipped_reason=reason,
            atol=atol,
            rtol=rtol,
            seed=seed,
            batch=batch,
            seconds=time.perf_counter() - started,
        )

    crash = comparison.candidate.crash
    if crash is not None:
        return skipped(
            f"the candidate's forward crashed in {crash.module_path or 'the model'} ({crash.error_type})"
        )
    mapping = pair_parameters(comparison)
    if not mapping.complete:
        return skipped(f"parameters cannot be paired one to one: {mapping.reason}")
    shape = comparison.input_shape
    if isinstance(reference, nn.Module):
        ref_model = copy.deepcopy(reference).to("cpu").eval()
        if reference_state is not None:
            ref_model.load_state_dict(_strip_prefix(dict(reference_state)), strict=True)
    else:
        ref_model = real_reference(
            reference, num_classes=comparison.num_classes, seed=seed, state=reference_state
        )
        if reference_state is None:
            randomize_batchnorm(ref_model, (batch, *shape[1:]), seed=seed)
    cand_model = candidate_copy(candidate)
    copy_weights(ref_model, cand_model, mapping)
    report = numeric_report(
        ref_model, cand_model, comparison, seed=seed, batch=batch, atol=atol, rtol=rtol, started=started
    )
    return dataclasses.replace(report, notes=(*report.notes, *mapping_notes(mapping)))


__all__ = [
    "DEFAULT_ATOL",
    "DEFAULT_RTOL",
    "EquivalenceReport",
    "check_equivalence",
    "numeric_report",
    "with_equivalence",
]
