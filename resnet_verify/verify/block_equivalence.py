"""Block-level equivalence: when the whole model cannot be paired (another stem or head), each
aligned block is still checked on its own: its weights copied from the reference block, both blocks
fed the same random input of the reference block's input shape, their outputs compared.

That localizes a numeric difference to a block instead of skipping the whole check.
"""

from __future__ import annotations

import time

import torch
from torch import nn

from resnet_verify.verify.execution import tensor_error
from resnet_verify.verify.numeric import EquivalenceReport
from resnet_verify.verify.records import Comparison

_LAYERS = (nn.Conv2d, nn.BatchNorm2d, nn.Linear)


def _layers(block: nn.Module) -> list[nn.Module]:
    return [m for m in block.modules() if isinstance(m, _LAYERS)]


def _shape(m: nn.Module) -> object:
    weight = getattr(m, "weight", None)
    return tuple(weight.shape) if isinstance(weight, torch.Tensor) else None


@torch.no_grad()
def copy_block(reference: nn.Module, candidate: nn.Module) -> str | None:
    """Copy parameters and BN statistics layer by layer (first unused candidate layer of the same
    type and shape, in definition order); the reason when they do not pair one to one."""
    left = _layers(candidate)
    for r in _layers(reference):
        tensors = {k: v for k, v in (*r.named_parameters(recurse=False), *r.named_buffers(recurse=False))}
        match = next((c for c in left if type(c) is type(r) and _shape(c) == _shape(r) is not None), None)
        if match is None:
            return f"no {type(r).__name__} of the reference's shape"
        left.remove(match)
        theirs = dict((*match.named_parameters(recurse=False), *match.named_buffers(recurse=False)))
        for name, value in tensors.items():
            if name in theirs and theirs[name].shape == value.shape:
                theirs[name].copy_(value)
    return None if not left else f"{len(left)} layers more than the reference block"


def _run_block(
    ref_model: nn.Module,
    cand_model: nn.Module,
    ref_path: str,
    cand_path: str,
    shape: tuple[int, ...],
    seed: int,
    tol: tuple[float, float],
) -> tuple[float, float, bool, str | None] | str:
    try:
        rb, cb = ref_model.get_submodule(ref_path), cand_model.get_submodule(cand_path)
    except AttributeError:
        return "not a module of its own"
    why = copy_block(rb, cb)
    if why is not None:
        return why
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        ref_out, cand_out = rb(x.clone()), cb(x.clone())
    if not isinstance(ref_out, torch.Tensor) or not isinstance(cand_out, torch.Tensor):
        return "its forward does not return one tensor"
    return tensor_error(ref_out, cand_out, *tol)


def block_report(
    ref_model: nn.Module,
    cand_model: nn.Module,
    comparison: Comparison,
    *,
    reason: str,
    seed: int,
    batch: int,
    atol: float,
    rtol: float,
    started: float,
) -> EquivalenceReport | None:
    """Each aligned block checked on its own; None when no block could be checked."""
    rs, cs = comparison.reference.structure.blocks, comparison.candidate.structure.blocks
    errors = []
    for p in comparison.blocks:
        if p.reference is None or p.candidate is None or not rs[p.reference].path or not cs[p.candidate].path:
            continue
        a, b = rs[p.reference], cs[p.candidate]
        out = _run_block(
            ref_model, cand_model, a.path, b.path, (batch, *a.in_shape[1:]), seed + p.reference, (atol, rtol)
        )
        if isinstance(out, str):
            continue
        diff, rel, ok, why = out
        errors.append((a.path, b.path, diff, rel, ok and why is None))
    if not errors:
        return None
    bad = [e for e in errors if not e[4]]
    unchecked = len(rs) - len(errors)  # missing blocks and blocks that could not be isolated
    note = (f"whole-model pairing failed ({reason}); {len(errors)} aligned blocks checked one by one, "
            "the stem and head not compared")  # fmt: skip
    partial = None
    if not bad and unchecked:
        # Agreeing blocks say nothing about the unchecked ones: no verdict, the reason stands.
        partial = f"{reason}; the {len(errors)} blocks that could be checked one by one agree, {unchecked} could not"
    return EquivalenceReport(
        equivalent=False if bad else (None if partial else True), first_divergent=bad[0][0] if bad else None,
        block_errors=tuple(e[:4] for e in errors), skipped_reason=partial, atol=atol, rtol=rtol, seed=seed,
        batch=batch, seconds=time.perf_counter() - started, notes=(note,),
    )  # fmt: skip


def blockwise(
    candidate: nn.Module,
    reference: str | nn.Module,
    comparison: Comparison,
    reference_state: dict[str, torch.Tensor] | None,
    seed: int,
    batch: int,
    atol: float,
    rtol: float,
    started: float,
    reason: str,
) -> EquivalenceReport | None:
    """:func:`block_report` on real copies: the reference loaded as ``check_equivalence`` loads it."""
    from resnet_verify.verify.weights import candidate_copy, load_reference, randomize_batchnorm

    if not any(p.reference is not None and p.candidate is not None for p in comparison.blocks):
        return None
    ref_model = load_reference(
        reference, num_classes=comparison.num_classes, seed=seed, state=reference_state
    )
    if reference_state is None and isinstance(reference, str):
        randomize_batchnorm(ref_model, (batch, *comparison.input_shape[1:]), seed=seed)
    return block_report(
        ref_model, candidate_copy(candidate), comparison, reason=reason, seed=seed, batch=batch,
        atol=atol, rtol=rtol, started=started,
    )  # fmt: skip
