"""``port(reference, candidate)``: torchvision weights -> a hand-written ResNet, verified.

The state_dict is built through the structural alignment
(:func:`~resnet_verify.verify.pairing.pair_parameters`), so module names never matter. It is loaded
*strictly* into a fresh copy of the candidate and that copy must reproduce the reference block by
block on a random input; otherwise the port is refused (``state_dict=None``) and the message names
the first divergent block. When real weights are ported, a second check with randomized BatchNorm
statistics guards against weights that happen to hide a wiring bug (freshly initialised
BatchNorms are the identity).

Caveat: without ``reference_state`` the ported weights are the seeded random initialisation of
the reference (useful to test a port, useless to run it).
"""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.verify.equivalence import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    EquivalenceReport,
    _check_tolerances,
    _comparison_for,
    _num,
    numeric_report,
)
from resnet_verify.verify.pairing import ParamMapping, mapping_notes, pair_parameters
from resnet_verify.verify.weights import (
    _strip_prefix,
    candidate_copy,
    copy_weights,
    randomize_batchnorm,
    real_reference,
)


@dataclass(frozen=True, eq=False)
class PortResult:
    """``state_dict`` is None whenever ``ok`` is False; ``message`` says why, in one line."""

    state_dict: dict[str, torch.Tensor] | None
    report: EquivalenceReport | None
    ok: bool
    message: str
    mapping: ParamMapping | None = None
    structural: EquivalenceReport | None = None  # the randomized-BN check, when weights were given
    seconds: float = 0.0


def classes_in_state(state: dict[str, torch.Tensor] | None) -> int | None:
    """Rows of ``fc.weight`` in a torchvision ResNet state_dict, if present."""
    if not state:
        return None
    weight = _strip_prefix(dict(state)).get("fc.weight")
    return int(weight.shape[0]) if isinstance(weight, torch.Tensor) and weight.dim() == 2 else None


def _refusal(report: EquivalenceReport) -> str:
    if report.mismatches:
        return report.mismatches[0].message
    return f"outputs diverge at {report.first_divergent}"


def port(
    reference: str | nn.Module,
    candidate: nn.Module,
    *,
    input_size: int | Sequence[int] = 224,
    num_classes: int | None = None,
    reference_state: dict[str, torch.Tensor] | None = None,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
    seed: int = 0,
    batch: int = 2,
) -> PortResult:
    """Port ``reference``'s weights (a torchvision name such as ``"resnet50"``, or a module) into a
    copy of ``candidate`` and verify the copy reproduces the reference's outputs.

    ``num_classes`` defaults to the rows of ``reference_state["fc.weight"]``, else 1000. The
    caller's models are never modified.
    """
    started = time.perf_counter()
    _check_tolerances(atol, rtol, batch)
    if not isinstance(candidate, nn.Module):
        raise UsageError(f"candidate must be an nn.Module, got {type(candidate).__name__}")
    if num_classes is None:
        num_classes = classes_in_state(reference_state) or 1000
    ref_label = (
        reference.removeprefix("torchvision:") if isinstance(reference, str) else type(reference).__name__
    )
    comparison = _comparison_for(candidate, reference, input_size, num_classes)
    if comparison.candidate.crash is not None:
        crash = comparison.candidate.crash
        return PortResult(
            None,
            None,
            False,
            f"cannot port: the candidate's forward crashed in "
            f"{crash.module_path or 'the model'} ({crash.error_type}: "
            f"{crash.message})",
            seconds=time.perf_counter() - started,
        )
    mapping = pair_parameters(comparison)
    if not mapping.complete:
        report = EquivalenceReport(
            equivalent=None, skipped_reason=mapping.reason, atol=atol, rtol=rtol, seed=seed, batch=batch
        )
        return PortResult(
            None,
            report,
            False,
            f"cannot port: parameters cannot be paired one to one: {mapping.reason}",
            mapping,
            seconds=time.perf_counter() - started,
        )

    if isinstance(reference, nn.Module):
        ref_model = copy.deepcopy(reference).to("cpu").float().eval()
        if reference_state is not None:
            ref_model.load_state_dict(_strip_prefix(dict(reference_state)), strict=True)
    else:
        ref_model = real_reference(reference, num_classes=num_classes, seed=seed, state=reference_state)
    shape = (batch, *comparison.input_shape[1:])
    structural: EquivalenceReport | None = None
    if reference_state is None and isinstance(reference, str):
        randomize_batchnorm(ref_model, shape, seed=seed)  # the random weights ported are these
    else:
        probe = copy.deepcopy(ref_model)
        randomize_batchnorm(probe, shape, seed=seed)
        cand_probe = candidate_copy(candidate)
        copy_weights(probe, cand_probe, mapping)
        structural = numeric_report(
            probe, cand_probe, comparison, seed=seed, batch=batch, atol=atol, rtol=rtol
        )
        del probe, cand_probe
        if not structural.equivalent:
            return PortResult(
                None,
                structural,
                False,
                f"refused: {_refusal(structural)}",
                mapping,
                structural,
                time.perf_counter() - started,
            )

    filled = candidate_copy(candidate)
    copy_weights(ref_model, filled, mapping)
    state = {k: v.detach().clone() for k, v in filled.state_dict().items()}
    del filled
    fresh = candidate_copy(candidate)
    fresh.load_state_dict(state, strict=True)  # the round trip a user will do
    report = numeric_report(ref_model, fresh, comparison, seed=seed, batch=batch, atol=atol, rtol=rtol)
    report = dataclasses.replace(report, notes=(*report.notes, *mapping_notes(mapping)))
    seconds = time.perf_counter() - started
    if not report.equivalent:
        return PortResult(None, report, False, f"refused: {_refusal(report)}", mapping, structural, seconds)
    zeroed = f"; {len(mapping.zero_candidate)} extra biases set to zero" if mapping.zero_candidate else ""
    message = (
        f"ported {len(mapping.pairs)} tensors from {ref_label} into "
        f"{type(candidate).__name__}; outputs match (final max abs error "
        f"{_num(report.output_max_abs)}, rel {_num(report.output_rel)}){zeroed}"
    )
    return PortResult(state, report, True, message, mapping, structural, seconds)


__all__ = ["PortResult", "classes_in_state", "port"]
