"""Constants the trace cannot compare, compared by the numbers: where the structure finds no difference.

A trace runs on meta tensors and records ops, shapes and settings; it compares a constant's values only
where the constant is small (``tracing.buffer_values``: a mean, a std). A graph network's 64 x 64
adjacency left unnormalised, a keypoint grid built ``indexing='ij'`` where ``'xy'`` was meant, or a
fixed projection with other values computes with the same ops and shapes: the structure reads "no
difference", the worst answer this tool can give. So when the candidate holds such constants, was built
with real tensors, and the structure finds nothing, the two models are run side by side as
:mod:`resnet_verify.verify.same_function` runs them (the reference's learned tensors copied in, float64),
their eval-mode outputs only: a constant shows in the values; gradients and trainability are other
questions (layers frozen for fine-tuning are a training choice, not a constant). Tensors pair
structurally or by name, never by position: a wrong pairing would only ever make two models differ.
Where the outputs disagree, each constant of the same name and shape
that holds other values is a mismatch at the first op that computes with it; where none does, the
disagreement itself is one mismatch for the model as a whole. A constant the reference draws at random
is copied like a learned tensor (``numeric_sides``), never reported. Outputs that differ by less than a
float32 constant's rounding are not a difference: a gain registered as a float32 buffer (``2 ** -0.5``
held as 0.70710677) against the Python float the reference multiplies by is one number in the model's
own precision, while float64 tells them apart by 2e-8 of the output (heldout118's
scaled_add_alpha_buffer).
"""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.specs.usercode import set_training, unwrap
from resnet_verify.tracing.records import OpRecord, Trace
from resnet_verify.verify.numeric_sides import (
    SEED,
    Sides,
    build_sides,
    learned,
    runnable_side_by_side,
    tensors,
)
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind, Region
from resnet_verify.verify.same_function import Agreement, flat_outputs, outputs_agree

_SHOWN = 6  # a constant this small is shown whole
# float32 holds ~7 digits: a constant stored in float32 is off by up to 6e-8 of itself from the number written,
# compounded over its uses; a float64 difference this small (of the output's largest value) is that rounding
_ROUNDING = 1e-6


def _constants(candidate: nn.Module) -> list[str] | None:
    """The candidate's constants, or None where it holds none with values (built on meta)."""
    original = tensors(unwrap(candidate))
    if any(t.is_meta for t in original.values()):
        return None
    found = [n for n, t in original.items() if not learned(n, t) and t.numel()]  # token ids and masks too
    return found or None


def _summary(t: torch.Tensor) -> str:
    flat = t.detach().double().reshape(-1)
    if flat.numel() <= _SHOWN:
        return ", ".join(f"{float(v):.4g}" for v in flat)
    shape = "x".join(map(str, t.shape))
    return f"a {shape} tensor, mean {float(flat.mean()):.4g}, from {float(flat.min()):.4g} to {float(flat.max()):.4g}"


def _reader(trace: Trace, name: str) -> OpRecord | None:
    return next((op for op in trace.ops if name in op.params), None)


def _region(trace: Trace, op: OpRecord | None) -> Region:
    if op is None:
        return Region.MODEL
    s = trace.structure
    if op.id in s.stem:
        return Region.STEM
    if op.id in s.head:
        return Region.HEAD
    for block in s.blocks:
        if op.id in block.main:
            return Region.MAIN
        if op.id in block.shortcut:
            return Region.SHORTCUT
    return Region.MODEL


def _constant_mismatch(comparison: Comparison, name: str, ref: torch.Tensor, cand: torch.Tensor) -> Mismatch:
    c_op, r_op = _reader(comparison.candidate, name), _reader(comparison.reference, name)
    path = c_op.module_path if c_op is not None else name.rpartition(".")[0]
    differing = int((ref.double() != cand.double()).sum())
    return Mismatch(
        MismatchKind.ATTRIBUTE, r_op.module_path if r_op is not None else path, path, "values",
        _summary(ref), _summary(cand),
        f"{path or 'the model'}: the constant {name} holds other values than the reference's ({differing} of "
        f"{cand.numel()} entries differ: {_summary(cand)} where the reference's is {_summary(ref)}); every op "
        "and shape agree, and with the same weights the outputs differ",
        c_op.source if c_op is not None else None, _region(comparison.candidate, c_op),
        c_op.kind if c_op is not None else None, None, r_op.id if r_op is not None else None,
        c_op.id if c_op is not None else None,
    )  # fmt: skip


def _whole_model(comparison: Comparison, names: list[str]) -> Mismatch:
    listed = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return Mismatch(
        MismatchKind.NUMERIC, "", "", "outputs", "the reference's outputs", "other outputs",
        "the model as a whole: every op, shape and setting the trace records agrees with the reference's, yet "
        "with the same weights the two compute other outputs; the constants it computes with "
        f"({listed}) or an argument the trace does not record differ",
        None, Region.MODEL,
    )  # fmt: skip


def _rounding_only(sides: Sides, input_shape: tuple[int, ...]) -> bool:
    """Whether the eval outputs agree to :data:`_ROUNDING` (the float64 check's own tolerance is ~1e-8)."""
    x = torch.randn((2, *input_shape[1:]), generator=torch.Generator().manual_seed(SEED), dtype=torch.float64)
    outs = []
    for model in (sides.reference, sides.candidate):
        set_training(model, False)
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(SEED)
            outs.append([t.detach().double() for t in flat_outputs(model(x.clone()))])
    expected, got = outs
    return len(expected) == len(got) > 0 and all(
        a.shape == b.shape and float((a - b).abs().max()) <= _ROUNDING * max(float(a.abs().max()), 1e-6)
        for a, b in zip(expected, got, strict=True)
    )


def _differing(comparison: Comparison, sides: Sides) -> list[Mismatch]:
    rt, ct = tensors(sides.reference), tensors(sides.candidate)
    out = []
    for name in sides.constants:
        ref, cand = rt.get(name), ct[name]
        if ref is not None and ref.shape == cand.shape and not torch.equal(ref.double(), cand.double()):
            out.append(_constant_mismatch(comparison, name, ref, cand))
    return out


def constants_differ(
    candidate: nn.Module, reference: str | nn.Module, comparison: Comparison
) -> tuple[Mismatch, ...]:
    """The mismatches the constants make where the structure found none (see the module docstring)."""
    if comparison.mismatches or not runnable_side_by_side(comparison):
        return ()
    if _constants(candidate) is None:
        return ()
    try:
        sides = build_sides(candidate, reference, comparison, by_order=False)
        if sides is None or outputs_agree(sides, comparison.input_shape) is not Agreement.DIFFERENT:
            return ()
        if _rounding_only(sides, tuple(comparison.input_shape)):
            return ()
    except Exception:  # a model that cannot run this way answers nothing here; its trace did
        return ()
    return tuple(_differing(comparison, sides)) or (_whole_model(comparison, list(sides.constants)),)
