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
3. :func:`~resnet_verify.verify.numeric.numeric_report` captures every aligned block's output by
   op id and compares them (see :mod:`resnet_verify.verify.numeric`, which states the tolerance).
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.tracing.outputs import no_tensor_error
from resnet_verify.verify.block_equivalence import blockwise
from resnet_verify.verify.folding import folded_report, is_folded
from resnet_verify.verify.numeric import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    EquivalenceReport,
    Frontier,
    numeric_report,
)
from resnet_verify.verify.pairing import ParamMapping, mapping_notes, pair_parameters
from resnet_verify.verify.records import Comparison
from resnet_verify.verify.weights import candidate_copy, copy_weights, load_reference, randomize_batchnorm


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


def _comparison_to_check(
    candidate: nn.Module,
    reference: str | nn.Module,
    comparison: Comparison | None,
    input_size: Any,
    num_classes: int,
    output_key: str | None,
) -> Comparison:
    if not isinstance(candidate, nn.Module):
        raise UsageError(f"candidate must be an nn.Module, got {type(candidate).__name__}")
    if comparison is not None:
        return comparison
    if input_size is None:
        raise UsageError("check_equivalence needs input_size (or a comparison)")
    return _comparison_for(candidate, reference, input_size, num_classes, output_key)


def _skipped(
    reason: str, *, started: float, seed: int, batch: int, atol: float, rtol: float
) -> EquivalenceReport:
    return EquivalenceReport(
        equivalent=None,
        skipped_reason=reason,
        atol=atol,
        rtol=rtol,
        seed=seed,
        batch=batch,
        seconds=time.perf_counter() - started,
    )


def _ported_models(
    candidate: nn.Module,
    reference: str | nn.Module,
    comparison: Comparison,
    mapping: ParamMapping,
    reference_state: dict[str, torch.Tensor] | None,
    *,
    seed: int,
    batch: int,
) -> tuple[nn.Module, nn.Module]:
    """The real reference and a copy of the candidate holding the reference's tensors."""
    ref_model = load_reference(
        reference, num_classes=comparison.num_classes, seed=seed, state=reference_state
    )
    if reference_state is None and isinstance(reference, str):
        randomize_batchnorm(ref_model, (batch, *comparison.input_shape[1:]), seed=seed)
    cand_model = candidate_copy(candidate)
    copy_weights(ref_model, cand_model, mapping)
    return ref_model, cand_model


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
    comparison = _comparison_to_check(candidate, reference, comparison, input_size, num_classes, output_key)
    crash = comparison.candidate.crash
    if crash is not None:
        reason = f"the candidate's forward crashed in {crash.module_path or 'the model'} ({crash.error_type})"
        return _skipped(reason, started=started, seed=seed, batch=batch, atol=atol, rtol=rtol)
    if is_folded(comparison):
        return folded_report(
            candidate, reference, comparison, reference_state, seed, batch, atol, rtol, started, output_key
        )
    mapping = pair_parameters(comparison)
    if not mapping.complete:
        reason = f"parameters cannot be paired one to one: {mapping.reason}"
        args = (reference_state, seed, batch, atol, rtol, started, reason)
        return blockwise(candidate, reference, comparison, *args) or _skipped(
            reason, started=started, seed=seed, batch=batch, atol=atol, rtol=rtol
        )
    ref_model, cand_model = _ported_models(
        candidate, reference, comparison, mapping, reference_state, seed=seed, batch=batch
    )
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
