"""Block-by-block numeric comparison of two real models that already hold the same weights.

Block outputs are captured by op id (:mod:`resnet_verify.verify.execution`): op ids of the real
run equal the trace's. The op count and names are checked; if the control flow differed, only
the final outputs are compared. A partial port (see :mod:`resnet_verify.verify.porting`) is
checked up to a :class:`Frontier`, the first layer it did not port.

Tolerance: a tensor matches when ``max|ref - cand| <= atol + rtol * max|ref|`` (fp32 defaults
``atol=1e-4``, ``rtol=1e-3``; ``rel`` in the report is ``max|ref - cand| / max|ref|``).
The report names the *first* block whose output diverges (everything before it matched, so the bug
is inside it), the error at the end of every reference stage and the error of the final output.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch
from torch import nn

from resnet_verify.specs.usercode import set_training
from resnet_verify.tracing.records import INPUT_ID, Block
from resnet_verify.verify.execution import Capture, run_capturing, tensor_error
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind

DEFAULT_ATOL = 1e-4
DEFAULT_RTOL = 1e-3


# ----------------------------------------------------------------------------------- the report


@dataclass(frozen=True, slots=True)
class EquivalenceReport:
    """Outcome of :func:`~resnet_verify.verify.equivalence.check_equivalence`. ``equivalent`` is None when the check was skipped."""

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


@dataclass(frozen=True, slots=True)
class _Runs:
    """Both models' outputs on the same input and the op outputs captured at the check points."""

    ref_out: torch.Tensor
    cand_out: torch.Tensor
    ref_cap: Capture
    cand_cap: Capture


@dataclass(frozen=True, slots=True)
class _PointErrors:
    block_errors: tuple[tuple[str, str, float, float], ...]
    stage_errors: tuple[tuple[str, float, float], ...]
    first: _Failure | None


def _run_both(
    ref_model: nn.Module,
    cand_model: nn.Module,
    comparison: Comparison,
    points: list[_Point],
    *,
    seed: int,
    batch: int,
    output_key: str | None,
) -> _Runs:
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn((batch, *comparison.input_shape[1:]), generator=gen)
    set_training(ref_model, False)  # never a user's train()/eval(), which may not return the model
    set_training(cand_model, False)
    ref_out, ref_cap = run_capturing(ref_model, x, {p.ref_op for p in points})
    cand_x = x.to(_dtype(cand_model))
    cand_out, cand_cap = run_capturing(cand_model, cand_x, {p.cand_op for p in points}, output_key=output_key)
    return _Runs(ref_out, cand_out, ref_cap, cand_cap)


def _sequence_note(comparison: Comparison, runs: _Runs) -> str | None:
    """Which side, if any, ran other ops on real tensors than the trace recorded."""
    same_r = runs.ref_cap.names == [op.name for op in comparison.reference.ops]
    if same_r and runs.cand_cap.names == [op.name for op in comparison.candidate.ops]:
        return None
    who = "the reference" if not same_r else "the candidate"
    return f"numeric check: {who} ran a different op sequence on real tensors than when traced"


def _point_errors(
    comparison: Comparison, points: list[_Point], runs: _Runs, atol: float, rtol: float
) -> _PointErrors:
    """The error at every check point, the last one per reference stage, and the first failure."""
    block_errors: list[tuple[str, str, float, float]] = []
    errors_by_stage: dict[int, tuple[float, float]] = {}
    first: _Failure | None = None
    for p in points:
        r_t, c_t = runs.ref_cap.captured[p.ref_op], runs.cand_cap.captured[p.cand_op]
        max_abs, rel, ok, why = tensor_error(r_t, c_t, atol, rtol)
        block_errors.append((p.ref_path or p.label, p.cand_path, max_abs, rel))
        if p.stage is not None:
            errors_by_stage[p.stage] = (max_abs, rel)
        if not ok and first is None:
            first = _Failure(p.label, p.ref_path, p.cand_path, max_abs, rel, why, _tolerance(r_t, atol, rtol))
    stage_errors = tuple(
        (s.path or f"stage{s.index + 1}", *errors_by_stage[s.index])
        for s in comparison.reference.structure.stages
        if s.index in errors_by_stage
    )
    return _PointErrors(tuple(block_errors), stage_errors, first)


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
    points = _check_points(comparison, frontier)
    runs = _run_both(ref_model, cand_model, comparison, points, seed=seed, batch=batch, output_key=output_key)
    notes: list[str] = []
    diverged = _sequence_note(comparison, runs)
    if diverged is not None:
        if frontier is not None:
            reason = f"{diverged}, so the layers before {frontier.label} cannot be located"
            seconds = time.perf_counter() - started
            return EquivalenceReport(
                None, skipped_reason=reason, seconds=seconds, atol=atol, rtol=rtol, seed=seed, batch=batch
            )
        notes.append(f"{diverged}; only final outputs were compared")
        points = []
    errors = _point_errors(comparison, points, runs, atol, rtol)
    first = errors.first
    out_abs: float | None = None
    out_rel: float | None = None
    if frontier is None:
        out = tensor_error(runs.ref_out, runs.cand_out.float(), atol, rtol)
        out_abs, out_rel = out[0], out[1]
        if first is None and not out[2]:
            tol = _tolerance(runs.ref_out, atol, rtol)
            first = _head_failure(comparison, out, tol, "head" if points else "output")
    return EquivalenceReport(
        equivalent=first is None,
        first_divergent=first.label if first is not None else None,
        block_errors=errors.block_errors,
        stage_errors=errors.stage_errors,
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


__all__ = ["DEFAULT_ATOL", "DEFAULT_RTOL", "EquivalenceReport", "Frontier", "numeric_report"]
