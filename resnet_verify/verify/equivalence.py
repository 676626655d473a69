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
3. Block outputs are captured by op id (:mod:`resnet_verify.verify.execution`): op ids of the real
   run equal the trace's. The op count and names are checked; if the control flow differed, only
   the final outputs are compared. A partial port (see :mod:`resnet_verify.verify.porting`) is
   checked up to a :class:`Frontier`, the first layer it did not port.

Tolerance: a tensor matches when ``max|ref - cand| <= atol + rtol * max|ref|`` (fp32 defaults
``atol=1e-4``, ``rtol=1e-3``; ``rel`` in the report is ``max|ref - cand| / max|ref|``).
The report names the *first* block whose output diverges (everything before it matched, so the bug
is inside it), the error at the end of every reference stage and the error of the final output.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.specs.usercode import set_training
from resnet_verify.tracing.outputs import no_tensor_error
from resnet_verify.tracing.records import INPUT_ID, Block
from resnet_verify.verify.block_equivalence import blockwise
from resnet_verify.verify.execution import run_capturing, tensor_error
from resnet_verify.verify.folding import folded_report, is_folded
from resnet_verify.verify.pairing import mapping_notes, pair_parameters
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind
from resnet_verify.verify.weights import candidate_copy, copy_weights, load_reference, randomize_batchnorm

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
    verified_upto: str | None = None  # a partial port's first unported layer: checked up to there

    def summary(self) -> str:
        """One line for a report's notes."""
        head = (
            f"numeric equivalence (seed {self.seed}, batch {self.batch}, "
            f"atol {self.atol:g}, rtol {self.rtol:g})"
        )
        if self.equivalent is None:
            return f"{head}: skipped: {self.skipped_reason}"
        out = f"final output max abs error {_num(self.output_max_abs)} (rel {_num(self.output_rel)})"
        if self.verified_upto is not None:
            feeding = next((e for e in self.block_errors if e[0] == self.verified_upto), None)
            out = f"checked up to {self.verified_upto}, the first layer not ported" + (
                f"; the features that feed it max abs error {_num(feeding[2])} (rel {_num(feeding[3])})"
                if feeding
                else ""
            )
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


# ------------------------------------------------------------------------------- check points


@dataclass(frozen=True, slots=True)
class Frontier:
    """The first op on each side whose tensors were not ported (None: every tensor was).

    A partial port is checked up to here: the aligned block outputs before it and the features
    that feed it, not the final output (the layers from here on keep their own initialisation).
    """

    reference_op: int | None
    candidate_op: int | None
    label: str  # the reference's module path of the first unported layer ("fc")


@dataclass(frozen=True, slots=True)
class _Point:
    label: str
    ref_op: int
    cand_op: int
    ref_path: str
    cand_path: str
    stage: int | None


@dataclass(frozen=True, slots=True)
class _Failure:
    label: str
    ref_path: str
    cand_path: str
    max_abs: float
    rel: float
    why: str | None
    tol: float


def _block_end(block: Block) -> int:
    if block.tail:
        return block.tail[-1]
    return block.merge_op if block.merge_op is not None else block.main[-1]


def _before(point: _Point, frontier: Frontier | None) -> bool:
    if frontier is None:
        return True
    r, c = frontier.reference_op, frontier.candidate_op
    return (r is None or point.ref_op < r) and (c is None or point.cand_op < c)


def _check_points(comparison: Comparison, frontier: Frontier | None) -> list[_Point]:
    """Stem end, every aligned block's end (before the frontier) and the frontier's features."""
    ref, cand = comparison.reference, comparison.candidate
    rs, cs = ref.structure, cand.structure
    points: list[_Point] = []
    if rs.blocks and cs.blocks and rs.blocks[0].fork_op != INPUT_ID and cs.blocks[0].fork_op != INPUT_ID:
        rf, cf = rs.blocks[0].fork_op, cs.blocks[0].fork_op
        rpath, cpath = ref.ops[rf].module_path or "stem", cand.ops[cf].module_path or "stem"
        points.append(_Point("stem", rf, cf, rpath, cpath, None))
    stage_of = {b: s.index for s in rs.stages for b in s.blocks}
    for bp in comparison.blocks:
        if bp.reference is None or bp.candidate is None:
            continue
        rb, cb = rs.blocks[bp.reference], cs.blocks[bp.candidate]
        label = rb.path or f"block {rb.index}"
        points.append(_Point(label, _block_end(rb), _block_end(cb), rb.path, cb.path, stage_of.get(rb.index)))
    points = [p for p in points if _before(p, frontier)]
    if frontier is not None and frontier.reference_op is not None and frontier.candidate_op is not None:
        r_op, c_op = ref.ops[frontier.reference_op], cand.ops[frontier.candidate_op]
        # Only the inputs of two layers that play the same part are comparable features.
        if (
            r_op.kind is c_op.kind
            and r_op.inputs
            and c_op.inputs
            and min(r_op.inputs[0], c_op.inputs[0]) >= 0
        ):
            cpath = c_op.module_path or c_op.name
            label = f"the features that feed {frontier.label}"
            points.append(_Point(label, r_op.inputs[0], c_op.inputs[0], frontier.label, cpath, None))
    return points


def _head_failure(
    comparison: Comparison, out: tuple[float, float, bool, str | None], tol: float, label: str
) -> _Failure:
    ref, cand = comparison.reference, comparison.candidate
    paths = []
    for trace in (ref, cand):
        head = [trace.ops[o] for o in trace.structure.head]
        last = head[-1].module_path if head else "output"
        paths.append(next((o.module_path for o in reversed(head) if o.params), None) or last)
    return _Failure(label, paths[0], paths[1], out[0], out[1], out[3], tol)


def _numeric_mismatch(failure: _Failure) -> Mismatch:
    label = failure.label
    plain = label in ("stem", "head", "output") or label.startswith("the features")
    where = label if plain else f"block {label}"
    detail = failure.why or (
        f"max abs error {_num(failure.max_abs)}, {_num(failure.rel)} of the reference's max "
        f"|value|, tolerance {_num(failure.tol)}"
    )
    before = "; every earlier block matches" if label not in ("stem", "output") else ""
    return Mismatch(
        kind=MismatchKind.NUMERIC,
        reference_path=failure.ref_path or None,
        candidate_path=failure.cand_path or None,
        field="max_abs_error",
        expected=float(f"{failure.tol:.4g}"),
        actual=failure.why if failure.why else float(f"{failure.max_abs:.4g}"),
        message=(
            f"{where}: with the same weights and input, the output differs from the "
            f"reference ({detail}){before}"
        ),
    )


def _tolerance(t: torch.Tensor, atol: float, rtol: float) -> float:
    return atol + rtol * float(t.abs().max()) if t.numel() else atol


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
    frontier: Frontier | None = None,
    output_key: str | None = None,
) -> EquivalenceReport:
    """Run two real models that already hold the same weights and compare aligned block outputs.

    ``output_key`` picks the candidate's prediction out of a non-tensor output, as the trace did.

    With a ``frontier`` (a partial port) the comparison stops there: block outputs before it and
    the features that feed it; the final outputs are not compared.
    """
    started = time.perf_counter() if started is None else started
    ref, cand = comparison.reference, comparison.candidate
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn((batch, *comparison.input_shape[1:]), generator=gen)
    points = _check_points(comparison, frontier)
    set_training(ref_model, False)  # never a user's train()/eval(), which may not return the model
    set_training(cand_model, False)
    ref_out, ref_cap = run_capturing(ref_model, x, {p.ref_op for p in points})
    cand_x = x.to(_dtype(cand_model))
    cand_out, cand_cap = run_capturing(cand_model, cand_x, {p.cand_op for p in points}, output_key=output_key)
    notes: list[str] = []
    same_r = ref_cap.names == [op.name for op in ref.ops]
    if not (same_r and cand_cap.names == [op.name for op in cand.ops]):
        who = "the reference" if not same_r else "the candidate"
        notes.append(f"numeric check: {who} ran a different op sequence on real tensors than when traced")
        if frontier is not None:
            reason = f"{notes[0]}, so the layers before {frontier.label} cannot be located"
            seconds = time.perf_counter() - started
            return EquivalenceReport(
                None, skipped_reason=reason, seconds=seconds, atol=atol, rtol=rtol, seed=seed, batch=batch
            )
        notes[0] += "; only final outputs were compared"
        points = []

    block_errors: list[tuple[str, str, float, float]] = []
    errors_by_stage: dict[int, tuple[float, float]] = {}
    first: _Failure | None = None
    for p in points:
        r_t, c_t = ref_cap.captured[p.ref_op], cand_cap.captured[p.cand_op]
        max_abs, rel, ok, why = tensor_error(r_t, c_t, atol, rtol)
        block_errors.append((p.ref_path or p.label, p.cand_path, max_abs, rel))
        if p.stage is not None:
            errors_by_stage[p.stage] = (max_abs, rel)
        if not ok and first is None:
            first = _Failure(p.label, p.ref_path, p.cand_path, max_abs, rel, why, _tolerance(r_t, atol, rtol))
    out_abs: float | None = None
    out_rel: float | None = None
    if frontier is None:
        out = tensor_error(ref_out, cand_out.float(), atol, rtol)
        out_abs, out_rel = out[0], out[1]
        if first is None and not out[2]:
            first = _head_failure(
                comparison, out, _tolerance(ref_out, atol, rtol), "head" if points else "output"
            )
    stage_errors = tuple(
        (s.path or f"stage{s.index + 1}", *errors_by_stage[s.index])
        for s in ref.structure.stages
        if s.index in errors_by_stage
    )
    return EquivalenceReport(
        equivalent=first is None,
        first_divergent=first.label if first is not None else None,
        block_errors=tuple(block_errors),
        stage_errors=stage_errors,
        output_max_abs=out_abs,
        output_rel=out_rel,
        mismatches=(_numeric_mismatch(first),) if first is not None else (),
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
        verified_upto=frontier.label if frontier is not None else None,
        atol=atol,
        rtol=rtol,
        seed=seed,
        batch=batch,
    )


def _dtype(model: nn.Module) -> torch.dtype:
    for t in model.parameters():
        if t.is_floating_point():
            return t.dtype
    return torch.float32


def _comparison_for(
    candidate: nn.Module,
    reference: str | nn.Module,
    input_size: Any,
    num_classes: int,
    output_key: str | None = None,
) -> Comparison:
    """The structural comparison the numeric checks walk; ``num_classes`` is the reference's.

    Unlike :func:`~resnet_verify.verify.comparison.compare` it takes candidates whose forward
    returns logits inside a structure (a transformers ``ModelOutput``): their weights port too.
    """
    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import _input_shape, compare_traces, reference_trace

    shape = _input_shape(input_size)
    if isinstance(reference, str):
        name = reference.removeprefix("torchvision:")
        ref_trace = reference_trace(name, shape, num_classes)
    else:
        name = type(reference).__name__
        ref_trace = trace(reference, shape)
    if ref_trace.crash is not None:
        raise UsageError(
            f"the reference crashed at input size {'x'.join(map(str, shape[1:]))}: {ref_trace.crash.message}"
        )
    cand_trace = trace(candidate, shape, output_key=output_key)
    if cand_trace.crash is None and cand_trace.output_shape is None:
        raise no_tensor_error(type(candidate).__name__)
    return compare_traces(
        ref_trace,
        cand_trace,
        reference_name=name,
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
    output_key: str | None = None,
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
        comparison = _comparison_for(candidate, reference, input_size, num_classes, output_key)

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
    if is_folded(comparison):
        return folded_report(
            candidate, reference, comparison, reference_state, seed, batch, atol, rtol, started, output_key
        )
    mapping = pair_parameters(comparison)
    if not mapping.complete:
        reason = f"parameters cannot be paired one to one: {mapping.reason}"
        args = (reference_state, seed, batch, atol, rtol, started, reason)
        return blockwise(candidate, reference, comparison, *args) or skipped(reason)
    shape = comparison.input_shape
    ref_model = load_reference(
        reference, num_classes=comparison.num_classes, seed=seed, state=reference_state
    )
    if reference_state is None and isinstance(reference, str):
        randomize_batchnorm(ref_model, (batch, *shape[1:]), seed=seed)
    cand_model = candidate_copy(candidate)
    copy_weights(ref_model, cand_model, mapping)
    report = numeric_report(
        ref_model,
        cand_model,
        comparison,
        seed=seed,
        batch=batch,
        atol=atol,
        rtol=rtol,
        started=started,
        output_key=output_key,
    )
    return dataclasses.replace(report, notes=(*report.notes, *mapping_notes(mapping)))


__all__ = [
    "DEFAULT_ATOL",
    "DEFAULT_RTOL",
    "EquivalenceReport",
    "Frontier",
    "check_equivalence",
    "numeric_report",
    "with_equivalence",
]
