"""What only training mode shows, checked by the numbers where the structure finds no difference.

The trace runs in eval mode and the training-mode pass compares what runs there (tracing/train_only.py),
not the values it leaves: DeiT's class and distillation heads returned in the other order while
training (averaged alike at inference), a hand-written BatchNorm that moves its variance by the biased
batch variance, every op the same. So when the structure finds nothing, and a side's own code reads
its ``training`` flag or writes its own buffers in training (tracing/state_updates.py), and neither
draws anything at random there (dropout-like layers, whose draws could differ in order alone), both
models run one training forward as :mod:`resnet_verify.verify.same_function` runs them (the reference's
learned tensors copied in, float64, one random stream), from the same state: every buffer the two sides
share by name and shape holds the reference's values (a constant used in training alone is therefore not
compared here). Outputs that differ, or buffers the forward left otherwise, are one mismatch for the model.
"""

from __future__ import annotations

import warnings

import torch
from torch import nn

from resnet_verify.specs.usercode import model_output, set_training, train_as_built
from resnet_verify.tracing.records import RegularizerKind, Trace
from resnet_verify.tracing.train_only import training_readers
from resnet_verify.verify.numeric_sides import (
    SEED,
    Sides,
    build_sides,
    built_on_meta,
    runnable_side_by_side,
    tensors,
)
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind, Region
from resnet_verify.verify.same_function import close, flat_outputs, outputs_close

FIELD = "training_mode"
# what a training forward runs that draws nothing the other side could draw in another order: a dropout-like
# layer may be spelled otherwise (F.dropout against a bernoulli mask); a training-only stretch's calls and a
# state update are compared call by call by the structure, so both sides run them alike
_ALIKE = frozenset(
    {RegularizerKind.STATE_UPDATE, RegularizerKind.EVAL_IN_TRAINING, RegularizerKind.TRAINING_ONLY}
)
_SMALL = 32


def _draws(trace: Trace) -> bool:
    return any(r.kind not in _ALIKE for r in trace.regularizers)


def _writes(trace: Trace) -> bool:
    return any(r.kind is RegularizerKind.STATE_UPDATE for r in trace.regularizers)


def _same_state(sides: Sides) -> None:
    """The candidate's buffers given the reference's values where both hold one of the same name and shape
    (noise drawn once at build, a flag, a running average): both sides start from one state, so what a
    training forward changes is the code's doing, not the draw's."""
    rt, ct = tensors(sides.reference), tensors(sides.candidate)
    with torch.no_grad():
        for n in sides.constants:
            if n in rt and rt[n].shape == ct[n].shape and rt[n].dtype == ct[n].dtype:
                ct[n].copy_(rt[n])


def _train_forward(model: nn.Module, x: torch.Tensor) -> list[torch.Tensor]:
    train_as_built(model)
    try:
        with torch.random.fork_rng(devices=[]), torch.no_grad():
            torch.manual_seed(SEED)
            return [t.detach() for t in flat_outputs(model(x))]
    finally:
        set_training(model, False)


def _differs(sides: Sides, shape: tuple[int, ...]) -> list[str] | None:
    """What differs after one training forward: "outputs" and the buffers left otherwise; None: undecided."""
    x = torch.randn(shape, generator=torch.Generator().manual_seed(SEED + 8), dtype=torch.float64)
    try:
        ref_out = _train_forward(sides.reference, x.clone())
        cand_out = _train_forward(sides.candidate, x.clone())
    except Exception:  # a side that cannot run this way answers nothing here
        return None
    rt, ct = tensors(sides.reference), tensors(sides.candidate)
    found = [] if outputs_close(ref_out, cand_out) else ["outputs"]
    pairs = [(r, c) for r, c in sides.pairs] + [(n, n) for n in sides.constants if n in rt]
    return found + [c for r, c in pairs if rt[r].shape == ct[c].shape and not close(rt[r], ct[c])]


def training_differs(
    candidate: nn.Module, reference: str | nn.Module, comparison: Comparison
) -> tuple[Mismatch, ...]:
    """One mismatch where only a training forward differs (see the module docstring), else none."""
    ref, cand = comparison.reference, comparison.candidate
    if comparison.mismatches or not runnable_side_by_side(comparison) or built_on_meta(candidate):
        return ()
    if _draws(ref) or _draws(cand) or ref.grad_off or cand.grad_off:
        return ()
    models = [candidate, *([reference] if isinstance(reference, nn.Module) else [])]
    readers = sorted({p for m in models for p in training_readers(m)})
    if not readers and not (_writes(ref) or _writes(cand)):
        return ()
    with warnings.catch_warnings(), model_output():
        warnings.simplefilter("ignore")
        try:
            sides = build_sides(candidate, reference, comparison, by_order=False)
        except Exception:
            return ()
        if sides is None:
            return ()
        _same_state(sides)
        full = (2, *(int(s) for s in comparison.input_shape[1:]))
        small = (*full[:2], *(min(s, _SMALL) for s in full[2:]))
        found = _differs(sides, small)
        if not found and small != full:  # (a head sized for the compared input runs at that size only)
            found = _differs(sides, full)
    return (_mismatch(found, readers),) if found else ()


def _mismatch(found: list[str], readers: list[str]) -> Mismatch:
    outputs = "outputs" in found
    state = [n for n in found if n != "outputs"]
    what = " and ".join(
        (["the outputs"] if outputs else [])
        + (
            [f"the buffers it leaves ({', '.join(state[:4])}{' …' if len(state) > 4 else ''})"]
            if state
            else []
        )
    )
    where = (
        ", ".join(p or "the root" for p in readers[:4]) if readers else "the layers that write their buffers"
    )
    text = (
        f"the model as a whole: every op, shape and setting the trace records agrees with the reference's, and "
        f"with the same weights so do the eval-mode outputs, yet one training forward from the same state differs "
        f"in {what}: code that runs while training computes otherwise (where the forward reads self.training: "
        f"{where})"
    )
    # located where the cause is read: the first module whose buffers differ, else the first that reads
    # the flag (the root for a forward returning otherwise while training)
    place = state[0].rpartition(".")[0] if state else (readers[0] if readers else "")
    return Mismatch(
        MismatchKind.NUMERIC, place, place, FIELD, "the reference's training forward", what, text, None, Region.MODEL
    )  # fmt: skip


__all__ = ["FIELD", "training_differs"]
