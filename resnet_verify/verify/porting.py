"""``port(reference, candidate)``: torchvision weights -> a hand-written ResNet, verified.

The state_dict is built through the structural alignment
(:func:`~resnet_verify.verify.pairing.pair_parameters`), so module names never matter, and it is
written in the candidate's own key names (transformers' ``resnet.`` prefixes, timm's names). It is
loaded *strictly* into a fresh copy of the candidate and that copy must reproduce the reference
block by block on a random input. When real weights are ported, a second check with randomized
BatchNorm statistics guards against weights that happen to hide a wiring bug (freshly initialised
BatchNorms are the identity). The checkpoint's own wrapper prefix (``module.``, ``model.``,
``backbone.``) is found from its key tree (:func:`~resnet_verify.verify.weights.source_prefix`).

``partial=True`` is the fine-tuning port: every tensor the alignment pairs is copied, the rest keep
the candidate's initialisation and are listed (a 6-class head under a 1000-class checkpoint), and
the check stops at the first unported layer: the block outputs before it and the features that feed
it must match. A refusal (``state_dict=None``) lists every blocker at once, each with its fix
(:mod:`resnet_verify.verify.blockers`).

Caveat: without ``reference_state`` the ported weights are the seeded random initialisation of
the reference (useful to test a port, useless to run it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.specs.usercode import copy_model
from resnet_verify.verify.blockers import (
    Blocker,
    BlockerKind,
    batchnorm_blockers,
    divergence_blocker,
    unpaired_blockers,
)
from resnet_verify.verify.equivalence import _check_tolerances, _comparison_for
from resnet_verify.verify.numeric import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    EquivalenceReport,
    Frontier,
    _num,
    numeric_report,
)
from resnet_verify.verify.pairing import ParamMapping, mapping_notes, pair_parameters
from resnet_verify.verify.records import Comparison
from resnet_verify.verify.weights import (
    candidate_copy,
    copy_weights,
    load_reference,
    randomize_batchnorm,
    reference_tensors,
    source_prefix,
)

_LISTED = 6


@dataclass(frozen=True, eq=False)
class PortResult:
    """``state_dict`` is None whenever ``ok`` is False; ``message`` says why, in one line, and
    ``blockers`` lists every reason with its fix."""

    state_dict: dict[str, torch.Tensor] | None
    report: EquivalenceReport | None
    ok: bool
    message: str
    mapping: ParamMapping | None = None
    structural: EquivalenceReport | None = None  # the randomized-BN check, when weights were given
    seconds: float = 0.0
    blockers: tuple[Blocker, ...] = ()
    left_at_init: tuple[str, ...] = ()  # candidate keys that keep the candidate's initialisation
    not_ported: tuple[str, ...] = ()  # reference tensors that were not copied
    source_prefix: str = ""  # the checkpoint's wrapper prefix ("module.", "backbone." ...)


def _reference_keys(reference: str | nn.Module) -> set[str]:
    if isinstance(reference, nn.Module):
        return set(reference.state_dict())
    from resnet_verify.specs.builders import build_reference

    return set(build_reference(reference.removeprefix("torchvision:"), num_classes=1).state_dict())


def classes_in_state(
    state: dict[str, torch.Tensor] | None, reference: str | nn.Module = "resnet50"
) -> int | None:
    """Rows of the head's ``fc.weight`` in a torchvision-layout state_dict (any wrapper prefix)."""
    if not state:
        return None
    own, _ = reference_tensors(dict(state), _reference_keys(reference))
    weight = own.get("fc.weight")
    return int(weight.shape[0]) if isinstance(weight, torch.Tensor) and weight.dim() == 2 else None


def frontier_of(comparison: Comparison, mapping: ParamMapping) -> Frontier | None:
    """The first op on each side that consumes a tensor the mapping does not port."""
    ref, cand = comparison.reference, comparison.candidate
    r_left = set(mapping.unpaired_reference)
    c_left = {*mapping.unpaired_candidate, *mapping.conflicts}
    r = next((op.id for op in ref.ops if r_left.intersection(op.params)), None)
    c = next((op.id for op in cand.ops if c_left.intersection(op.params)), None)
    if r is None and c is None:
        return None
    label = ref.ops[r].module_path if r is not None else ""
    if not label and c is not None:
        label = cand.ops[c].module_path or cand.ops[c].name
    return Frontier(r, c, label or "output")


def _without_conflicts(mapping: ParamMapping) -> ParamMapping:
    """A partial port leaves a candidate tensor that several reference tensors claim at init."""
    if not mapping.conflicts:
        return mapping
    bad = set(mapping.conflicts)
    return dataclasses.replace(mapping, pairs=tuple(p for p in mapping.pairs if p[1] not in bad))


def _listing(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_LISTED])
    return shown + (f", ... {len(names) - _LISTED} more" if len(names) > _LISTED else "")


def _refused(blockers: Sequence[Blocker]) -> str:
    n = len(blockers)
    return f"refused, {n} blocker{'s' if n != 1 else ''}: " + " | ".join(b.line() for b in blockers)


def _numeric(
    ref_model: nn.Module,
    candidate: nn.Module,
    comparison: Comparison,
    mapping: ParamMapping,
    frontier: Frontier | None,
    opts: dict[str, Any],
) -> tuple[EquivalenceReport, dict[str, torch.Tensor]]:
    """Port into a copy, reload the state strictly into a fresh copy, and check that one."""
    filled = candidate_copy(candidate)
    copy_weights(ref_model, filled, mapping)
    state = {k: v.detach().clone() for k, v in filled.state_dict().items()}
    del filled
    fresh = candidate_copy(candidate)
    fresh.load_state_dict(state, strict=True)  # the round trip a user will do
    report = numeric_report(ref_model, fresh, comparison, frontier=frontier, **opts)
    return report, state


def _structural(
    ref_model: nn.Module,
    candidate: nn.Module,
    comparison: Comparison,
    mapping: ParamMapping,
    frontier: Frontier | None,
    opts: dict[str, Any],
) -> EquivalenceReport:
    """The same check with randomized BatchNorm statistics: real weights cannot hide a bug."""
    probe = copy_model(ref_model)
    randomize_batchnorm(probe, (int(opts["batch"]), *comparison.input_shape[1:]), seed=int(opts["seed"]))
    cand_probe = candidate_copy(candidate)
    copy_weights(probe, cand_probe, mapping)
    return numeric_report(probe, cand_probe, comparison, frontier=frontier, **opts)


def _crash_blocker(comparison: Comparison) -> Blocker | None:
    crash = comparison.candidate.crash
    if crash is None:
        return None
    what = f"the forward crashed ({crash.error_type}: {crash.message})"
    fix = "make the forward run at this input size (resnet-verify compare names the line)"
    return Blocker(BlockerKind.CRASH, crash.module_path or "model", None, what, fix)


def _port_mapping(comparison: Comparison, partial: bool) -> ParamMapping | Blocker:
    """The pairing to port through, or what stops the port before any weights are loaded."""
    crashed = _crash_blocker(comparison)
    if crashed is not None:
        return crashed
    mapping = pair_parameters(comparison)
    if partial:
        mapping = _without_conflicts(mapping)
    if not mapping.pairs:
        what = "no tensor of the reference pairs with one of the candidate"
        return Blocker(BlockerKind.UNPAIRED, "model", None, what, "is it a ResNet?")
    return mapping


def _checks(
    ref_model: nn.Module,
    candidate: nn.Module,
    comparison: Comparison,
    mapping: ParamMapping,
    frontier: Frontier | None,
    opts: dict[str, Any],
    randomized: bool,
) -> tuple[EquivalenceReport | None, EquivalenceReport | None, dict[str, torch.Tensor]]:
    """(randomized-BN check, check of the ported state, the ported state); the second is skipped
    when the first already diverges. ``randomized``: the reference's random weights are what is
    ported, so its BatchNorms are randomized in place and one check is enough."""
    structural: EquivalenceReport | None = None
    if randomized:
        randomize_batchnorm(
            ref_model, (int(opts["batch"]), *comparison.input_shape[1:]), seed=int(opts["seed"])
        )
    else:
        structural = _structural(ref_model, candidate, comparison, mapping, frontier, opts)
    if structural is not None and structural.equivalent is False:
        return structural, None, {}
    report, state = _numeric(ref_model, candidate, comparison, mapping, frontier, opts)
    return structural, dataclasses.replace(report, notes=(*report.notes, *mapping_notes(mapping))), state


def _all_blockers(
    comparison: Comparison,
    mapping: ParamMapping,
    checked: EquivalenceReport | None,
    frontier: Frontier | None,
    partial: bool,
) -> list[Blocker]:
    """Unpairable layers (not for a partial port), the first divergence, BatchNorm settings."""
    blockers = [] if partial else unpaired_blockers(comparison, mapping)
    diverged = divergence_blocker(comparison, checked) if checked is not None else None
    blockers += [diverged] if diverged is not None else []
    if checked is not None and checked.equivalent is None and not blockers:
        what = f"the numeric check could not run: {checked.skipped_reason}"
        where = frontier.label if frontier else "model"
        blockers.append(Blocker(BlockerKind.DIVERGENT, where, None, what, "port without --partial"))
    return blockers + batchnorm_blockers(comparison)


def _unported(
    mapping: ParamMapping, state: dict[str, torch.Tensor], ref_model: nn.Module
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(candidate keys left at their initialisation, reference tensors not copied)."""
    targets = {c for _, c in mapping.pairs} | set(mapping.zero_candidate)
    left = tuple(k for k in state if k not in targets)
    return left, tuple(sorted(set(ref_model.state_dict()) - {r for r, _ in mapping.pairs}))


def _ported_message(
    reference: str | nn.Module,
    candidate: nn.Module,
    mapping: ParamMapping,
    report: EquivalenceReport,
    left: Sequence[str],
) -> str:
    ref_label = (
        reference.removeprefix("torchvision:") if isinstance(reference, str) else type(reference).__name__
    )
    zeroed = f"; {len(mapping.zero_candidate)} extra biases set to zero" if mapping.zero_candidate else ""
    where = f"into {type(candidate).__name__}"
    if report.verified_upto is None:
        return (
            f"ported {len(mapping.pairs)} tensors from {ref_label} {where}; outputs match (final max abs "
            f"error {_num(report.output_max_abs)}, rel {_num(report.output_rel)}){zeroed}"
        )
    feeding = next((e for e in report.block_errors if e[0] == report.verified_upto), None)
    features = f" (max abs error {_num(feeding[2])})" if feeding else ""
    return (
        f"ported {len(mapping.pairs)} tensors from {ref_label} {where}; {len(left)} left at their "
        f"initialisation ({_listing(left)}); outputs match up to {report.verified_upto}, the first "
        f"layer not ported, and the features that feed it match{features}{zeroed}"
    )


def port(
    reference: str | nn.Module,
    candidate: nn.Module,
    *,
    input_size: int | Sequence[int] = 224,
    num_classes: int | None = None,
    reference_state: dict[str, torch.Tensor] | None = None,
    partial: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
    seed: int = 0,
    batch: int = 2,
    output_key: str | None = None,
) -> PortResult:
    """Port ``reference``'s weights (a torchvision name such as ``"resnet50"``, or a module) into a
    copy of ``candidate`` and verify the copy reproduces the reference's outputs.

    The reference has the classes of ``reference_state``'s ``fc.weight``, else ``num_classes``,
    else 1000; the candidate keeps its own (with ``partial`` they may differ). The caller's models
    are never modified.
    """
    started = time.perf_counter()
    _check_tolerances(atol, rtol, batch)
    if not isinstance(candidate, nn.Module):
        raise UsageError(f"candidate must be an nn.Module, got {type(candidate).__name__}")
    ref_classes = classes_in_state(reference_state, reference) or num_classes or 1000
    comparison = _comparison_for(candidate, reference, input_size, ref_classes, output_key)

    def refuse(blockers: Sequence[Blocker], **extra: object) -> PortResult:
        return PortResult(
            None, ok=False, message=_refused(blockers), blockers=tuple(blockers),
            seconds=time.perf_counter() - started, **extra,  # type: ignore[arg-type]
        )  # fmt: skip

    mapping = _port_mapping(comparison, partial)
    if isinstance(mapping, Blocker):
        return refuse([mapping], report=None)
    frontier = frontier_of(comparison, mapping)
    ref_model = load_reference(reference, num_classes=ref_classes, seed=seed, state=reference_state)
    prefix = source_prefix(dict(reference_state), ref_model.state_dict().keys()) if reference_state else ""
    opts: dict[str, Any] = {
        "seed": seed,
        "batch": batch,
        "atol": atol,
        "rtol": rtol,
        "output_key": output_key,
    }
    randomized = reference_state is None and isinstance(reference, str)
    structural, report, state = _checks(ref_model, candidate, comparison, mapping, frontier, opts, randomized)
    blockers = _all_blockers(
        comparison, mapping, report if report is not None else structural, frontier, partial
    )
    left, not_ported = _unported(mapping, state or candidate.state_dict(), ref_model)
    extra = {"mapping": mapping, "structural": structural, "left_at_init": left, "not_ported": not_ported}
    if blockers or report is None:
        return refuse(blockers, report=report or structural, source_prefix=prefix, **extra)
    message = _ported_message(reference, candidate, mapping, report, left)
    seconds = time.perf_counter() - started
    return PortResult(state, report, True, message, seconds=seconds, source_prefix=prefix, **extra)  # type: ignore[arg-type]


__all__ = ["PortResult", "classes_in_state", "frontier_of", "port"]
