"""Numeric equivalence for a BN-folded candidate (deployment fusion): fold the reference's
BatchNorms into its convs the same way, copy the folded weights conv by conv, compare outputs.

A folded model has no BN parameters to pair with the reference's, so the ordinary one-to-one
pairing cannot succeed; folding the reference first makes both sides the same inference network.
"""

from __future__ import annotations

import time

import torch
from torch import nn

from resnet_verify.specs.usercode import copy_model
from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.execution import run_capturing, tensor_error
from resnet_verify.verify.numeric import EquivalenceReport
from resnet_verify.verify.records import Comparison, Pattern

_WEIGHTED = (OpKind.CONV, OpKind.LINEAR)


def is_folded(comparison: Comparison) -> bool:
    return any(f.pattern is Pattern.BN_FOLDED for f in comparison.findings)


def _replace(model: nn.Module, path: str, module: nn.Module) -> None:
    parent, _, name = path.rpartition(".")
    setattr(model.get_submodule(parent) if parent else model, name, module)


@torch.no_grad()
def fold_batchnorm(model: nn.Module, trace: Trace) -> tuple[nn.Module, int]:
    """An eval-mode copy of ``model`` with every BatchNorm module that directly follows a conv module
    folded into it (w * gamma / sqrt(var + eps), beta + (b - mean) * gamma / sqrt(var + eps)), and how many."""
    folded = copy_model(model).eval()
    count = 0
    for op in trace.ops:
        conv_id = next((i for i in op.inputs if i >= 0 and trace.ops[i].kind is OpKind.CONV), None)
        if op.kind is not OpKind.BATCH_NORM or conv_id is None or not op.module_path:
            continue
        conv, bn = folded.get_submodule(trace.ops[conv_id].module_path), folded.get_submodule(op.module_path)
        if (
            not isinstance(conv, nn.Conv2d)
            or not isinstance(bn, nn.BatchNorm2d)
            or bn.running_var is None
            or bn.running_mean is None
        ):
            continue
        scale = (bn.weight if bn.affine else torch.ones_like(bn.running_var)) / torch.sqrt(
            bn.running_var + bn.eps
        )
        shift = bn.bias if bn.affine else torch.zeros_like(scale)
        bias = conv.bias if conv.bias is not None else torch.zeros_like(scale)
        conv.weight.mul_(scale.reshape(-1, 1, 1, 1))
        conv.bias = nn.Parameter(shift + (bias - bn.running_mean) * scale)
        _replace(folded, op.module_path, nn.Identity())
        count += 1
    return folded, count


def _weighted_modules(model: nn.Module, trace: Trace) -> list[nn.Module]:
    seen: list[str] = []
    for op in trace.ops:
        if op.kind in _WEIGHTED and op.module_path and op.module_path not in seen:
            seen.append(op.module_path)
    return [model.get_submodule(p) for p in seen]


def _pairs(rs: list[nn.Module], cs: list[nn.Module]) -> list[tuple[nn.Module, nn.Module]] | None:
    """Each reference layer with the first unused candidate layer of its weight shape: layers of one
    shape keep their order, while a shortcut computed before the main path still pairs right."""
    left, out = list(cs), []
    for r in rs:
        shape = getattr(getattr(r, "weight", None), "shape", None)
        match = next((c for c in left if getattr(getattr(c, "weight", None), "shape", None) == shape), None)
        if shape is None or match is None:
            return None
        left.remove(match)
        out.append((r, match))
    return out


@torch.no_grad()
def copy_folded(
    reference: nn.Module, ref_trace: Trace, candidate: nn.Module, cand_trace: Trace
) -> str | None:
    """Copy the folded reference's conv / Linear weights into the candidate's; the reason when they
    do not pair one to one (then nothing is guaranteed copied)."""
    rs, cs = _weighted_modules(reference, ref_trace), _weighted_modules(candidate, cand_trace)
    pairs = _pairs(rs, cs) if len(rs) == len(cs) else None
    if pairs is None:
        return f"its {len(cs)} conv / Linear layers do not pair by shape with the reference's {len(rs)}"
    for r, c in pairs:
        cw, rw = c.weight, r.weight
        assert isinstance(cw, torch.Tensor) and isinstance(rw, torch.Tensor)
        cw.copy_(rw)
        rb, cb = getattr(r, "bias", None), getattr(c, "bias", None)
        if cb is not None:
            cb.copy_(rb if rb is not None else torch.zeros_like(cb))
        elif rb is not None and bool(rb.abs().max() > 0):
            return f"{type(c).__name__} without a bias where the folded reference has one"
    return None


def folded_outputs(
    reference: nn.Module,
    candidate: nn.Module,
    comparison: Comparison,
    *,
    seed: int,
    batch: int,
    atol: float,
    rtol: float,
    output_key: str | None = None,
) -> tuple[float, float, bool, str | None, int]:
    """max abs error, relative error, within tolerance, why not comparable, BNs folded; ``candidate``
    (a real, eval-mode copy) receives the folded reference's weights."""
    folded, count = fold_batchnorm(reference, comparison.reference)
    reason = copy_folded(folded, comparison.reference, candidate, comparison.candidate)
    if reason is not None:
        return float("nan"), float("nan"), False, reason, count
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn((batch, *comparison.input_shape[1:]), generator=gen)
    ref_out, _ = run_capturing(folded, x, set())
    cand_out, _ = run_capturing(candidate, x, set(), output_key=output_key)
    return (*tensor_error(ref_out, cand_out, atol, rtol), count)


def folded_report(
    candidate: nn.Module,
    reference: str | nn.Module,
    comparison: Comparison,
    reference_state: dict[str, torch.Tensor] | None,
    seed: int,
    batch: int,
    atol: float,
    rtol: float,
    started: float,
    output_key: str | None,
) -> EquivalenceReport:
    """A BN-folded candidate against the reference with its BatchNorms folded the same way."""
    from resnet_verify.verify.weights import candidate_copy, load_reference, randomize_batchnorm

    ref_model = load_reference(
        reference, num_classes=comparison.num_classes, seed=seed, state=reference_state
    )
    if reference_state is None and isinstance(reference, str):
        randomize_batchnorm(ref_model, (batch, *comparison.input_shape[1:]), seed=seed)
    diff, rel, ok, why, count = folded_outputs(
        ref_model, candidate_copy(candidate), comparison, seed=seed, batch=batch, atol=atol, rtol=rtol,
        output_key=output_key,
    )  # fmt: skip
    common = {"atol": atol, "rtol": rtol, "seed": seed, "batch": batch}
    if why is not None:
        return EquivalenceReport(None, skipped_reason=f"BN-folded candidate: {why}", **common,  # type: ignore[arg-type]
                                 seconds=time.perf_counter() - started)  # fmt: skip
    note = f"checked against the reference with its {count} BatchNorms folded into their convs"
    return EquivalenceReport(ok, output_max_abs=diff, output_rel=rel, notes=(note,), **common,  # type: ignore[arg-type]
                             seconds=time.perf_counter() - started)  # fmt: skip
