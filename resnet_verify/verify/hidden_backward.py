"""What only the backward shows, checked by the numbers where the structure finds no difference.

A gradient reversal layer whose coefficient lost its sign, a custom autograd Function whose backward
lost a ``neg()``, a ``register_hook`` that scales (or zeroes) the gradient of a hidden state, a detach
moved onto the path the encoder learns through, a stem checkpointed with ``use_reentrant=True`` on an
input that needs no gradient: every op, shape and forward value is the reference's, so the trace reads
"no difference" (the worst answer this tool can give), while training sees another network. So when the
structure finds nothing, both models run as :mod:`resnet_verify.verify.same_function` runs them (the
reference's learned tensors copied in, float64) in eval mode, where no random draw and no batch
statistic can differ, forward and backward on an input that needs no gradient, as a training batch
does not; then, where a side's code reads its ``training`` flag and neither side has a train-mode
regularizer (whose draws could differ in order alone), in training mode as well (``if self.training:
checkpoint(...)``). Where the outputs agree and the gradients of some learned tensors do not (or one side's get
none), that is one mismatch for the model as a whole, saying which tensors: the cause lies between
those whose gradients agree and those whose do not. Tensors pair structurally or by name, never by
position: a wrong pairing could only ever make two models differ.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

from resnet_verify.specs.usercode import model_output, set_training, train_as_built
from resnet_verify.specs.vocabulary import STATISTICS
from resnet_verify.tracing.records import RegularizerKind
from resnet_verify.tracing.train_only import branches_on_training
from resnet_verify.verify.numeric_sides import (
    SEED,
    Sides,
    build_sides,
    built_on_meta,
    runnable_side_by_side,
    tensors,
)
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind, Region
from resnet_verify.verify.same_function import RTOL, backward_seeded, close, flat_outputs, outputs_close

GRADIENTS = "gradients"  # the mismatch's field: patterns/backward_only.py claims it
_LISTED = 3  # tensors named at each end of the list
_GRADIENTS_DIFFER, _STATISTICS_MOVED = "gradients", "statistics"
_SMALL = 32  # the check's spatial size where the compared one is larger


def _backward(
    model: nn.Module, x: torch.Tensor, weights: list[torch.Tensor] | None, training: bool
) -> list[torch.Tensor]:
    if training:
        train_as_built(model)
    else:
        set_training(model, False)
    model.zero_grad(set_to_none=True)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        outs = list(flat_outputs(model(x)))
    if weights is None:
        weights = [
            torch.randn(o.shape, generator=torch.Generator().manual_seed(SEED + 5), dtype=o.dtype)
            for o in outs
        ]
    loss = sum((o * w).sum() for o, w in zip(outs, weights, strict=False) if o.requires_grad)
    if isinstance(loss, torch.Tensor) and loss.requires_grad:
        backward_seeded(loss)
    return outs


def _differing(sides: Sides, shape: tuple[int, ...], training: bool) -> tuple[list[str], int] | None:
    """The candidate's learned tensors whose gradient differs (in the reference's forward order), and how
    many were compared; None where the outputs differ or decide nothing."""
    x = torch.randn(shape, generator=torch.Generator().manual_seed(SEED + 4), dtype=torch.float64)
    ref_out = _backward(sides.reference, x.clone(), None, training)
    weights = [
        torch.randn(o.shape, generator=torch.Generator().manual_seed(SEED + 5), dtype=o.dtype)
        for o in ref_out
    ]
    cand_out = _backward(sides.candidate, x.clone(), weights, training)
    if not outputs_close(ref_out, cand_out):
        return None
    rt, ct = tensors(sides.reference), tensors(sides.candidate)
    # a tensor frozen on either side (requires_grad off: a fine-tune's backbone) is a training choice
    pairs = [
        (rt[r], ct[c], c)
        for r, c in sides.pairs
        if isinstance(rt[r], nn.Parameter) and rt[r].requires_grad and ct[c].requires_grad
    ]
    floor = max(
        (float(a.grad.abs().max()) for a, _, _ in pairs if a.grad is not None and a.grad.numel()), default=0.0
    )
    if floor == 0.0:
        return None  # nothing reaches any tensor: no gradient to compare
    return [name for a, b, name in pairs if not _same_gradient(a.grad, b.grad, RTOL * floor)], len(pairs)


def _statistics_moved(sides: Sides) -> tuple[list[str], int]:
    """After one training forward and backward with the same outputs and gradients: the candidate's
    BatchNorm statistics that moved otherwise, and how many were compared (a block a checkpoint recomputes
    inside another checkpoint runs its training forward, and moves its statistics, once more)."""
    rt, ct = tensors(sides.reference), tensors(sides.candidate)
    pairs = [(r, c) for r, c in sides.pairs if r.rsplit(".", 1)[-1] in STATISTICS]
    return [c for r, c in pairs if not close(rt[r], ct[c])], len(pairs)


def _same_gradient(a: torch.Tensor | None, b: torch.Tensor | None, tolerance: float) -> bool:
    """One pass over the two gradients (a ResNet-50's 25 M entries twice in float64): equal within
    ``tolerance`` of the largest gradient of all; a non-finite difference decides nothing."""
    if a is None or b is None:
        return a is None and b is None
    if a.shape != b.shape:
        return False
    d = float((a - b).abs().max()) if a.numel() else 0.0
    return not math.isfinite(d) or d <= tolerance


# Code that can rewrite a gradient without changing the forward: a Function's backward, a hook, a checkpoint,
# a detach or ``.data``, anything named for gradients (``grad_reverse``, ``requires_grad``, ``no_grad``).
_GRADIENT_CODE = re.compile(r"backward|register_\w*hook|checkpoint|detach|\.data\b|grad|autograd")
_LIBRARIES = ("torch.", "torchvision.", "resnet_verify.")
_DRAWLESS = frozenset({RegularizerKind.EVAL_IN_TRAINING, RegularizerKind.STATE_UPDATE})


def _shapes_gradients(model: nn.Module | str) -> bool:
    """Whether a source file of the model's own classes (not torch's, torchvision's or this tool's) holds
    code that can shape a gradient: only then can the backward differ where the forward does not, and
    the check (a ResNet-50's forward and backward, twice, in float64) is worth its seconds."""
    if not isinstance(model, nn.Module):
        return False  # a reference given by name is a library builder's (a user file is built by now)
    files = {
        f
        for m in model.modules()
        for cls in type(m).__mro__
        if not cls.__module__.startswith(_LIBRARIES)
        and cls.__module__ != "builtins"
        and (f := _source_file(cls)) is not None
    }
    return any(_GRADIENT_CODE.search(_read(f)) for f in files)


def _source_file(cls: type) -> str | None:
    try:
        return inspect.getsourcefile(cls)
    except (OSError, TypeError):
        return None


@functools.lru_cache(maxsize=256)
def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _listed(names: list[str]) -> str:
    if len(names) <= 2 * _LISTED:
        return ", ".join(names)
    return f"{', '.join(names[:_LISTED])} … {', '.join(names[-_LISTED:])}"


def _mismatch(names: list[str], compared: int, what: str) -> Mismatch:
    listed = _listed(names)
    if what == _STATISTICS_MOVED:
        actual = (
            f"other running statistics after one training step for {len(names)} of {compared} BatchNorm buffers "
            f"({listed}), with the same outputs and gradients"
        )
        text = (
            f"the backward differs: one training step (forward and backward) leaves {actual}. The backward "
            "runs a training forward again where the reference's does not, or not as often: a block "
            "checkpointed inside a checkpointed stage (apply_activation_checkpointing over a model that "
            "checkpoints its own stages), a checkpoint the reference does not have or has where this has none"
        )
    else:
        actual = f"other gradients for {len(names)} of {compared} learned tensors ({listed})"
        text = (
            f"the backward differs: the gradients of {len(names)} of {compared} learned tensors are not the "
            f"reference's ({listed}). Something in the code changes the gradient and not the forward between the "
            "tensors whose gradients agree and these: a custom autograd Function's backward or its arguments, a "
            "tensor hook (register_hook), a detach or stop-gradient, a gradient-scaling trick, checkpointing "
            "(use_reentrant=True on an input that needs no gradient)"
        )
    return Mismatch(
        MismatchKind.NUMERIC, "", "", GRADIENTS, "the reference's backward", actual,
        "the model as a whole: every op, shape and setting the trace records agrees with the reference's, and "
        f"with the same weights so do the outputs, yet {text}", None, Region.MODEL,
    )  # fmt: skip


def backward_differs(
    candidate: nn.Module, reference: str | nn.Module, comparison: Comparison
) -> tuple[Mismatch, ...]:
    """One mismatch where only the backward differs (see the module docstring), else none."""
    if comparison.mismatches or not runnable_side_by_side(comparison):
        return ()
    if built_on_meta(candidate):
        return ()
    ref, cand = comparison.reference, comparison.candidate
    if not any(map(_shapes_gradients, (candidate, reference))):
        return ()
    if ref.grad_off or cand.grad_off:  # stretches run without gradients: gradient_diff.py judges them
        return ()  # (a linear probe's frozen encoder under no_grad is a training choice, not a difference)
    with warnings.catch_warnings(), model_output():  # the models' prints go where the trace's go
        warnings.simplefilter("ignore")
        try:
            sides = build_sides(candidate, reference, comparison, by_order=False)
        except Exception:  # a model that cannot be built this way answers nothing here; its trace did
            return ()
        if sides is None:
            return ()
        found = None
        # training mode too where a side's code reads the flag and no regularizer's draws could differ (a
        # BatchNorm held in eval, a buffer a training forward writes: nothing drawn, nothing to misorder)
        training = not any(r.kind not in _DRAWLESS for r in (*ref.regularizers, *cand.regularizers)) and any(
            branches_on_training(m) for m in (sides.reference, sides.candidate)
        )
        for shape in _shapes(comparison.input_shape):
            found = _at_size(sides, shape, training=training)
            if found is not None:
                break
    if not found or not found[0]:
        return ()
    return (_mismatch(*found),)


def _shapes(input_shape: Sequence[int]) -> list[tuple[int, ...]]:
    """Two samples at a small size first (a gradient rewritten in code shows at any size, at a fiftieth of
    the cost of a ResNet-50's 224 px in float64), then at the compared size, which a head sized for it
    needs."""
    full = (2, *(int(s) for s in input_shape[1:]))
    small = (2, full[1], *(min(s, _SMALL) for s in full[2:]))
    return [small, full] if small != full else [full]


def _at_size(sides: Sides, shape: tuple[int, ...], *, training: bool) -> tuple[list[str], int, str] | None:
    """The differing gradients in eval mode, then (``training``) in training mode, then the statistics
    that training step left otherwise; None: undecided."""
    try:
        found = _differing(sides, shape, False)
        if found is not None and not found[0] and training:
            found = _differing(sides, shape, True)  # (code run while training only: a checkpoint)
            if found is not None and not found[0]:
                return (*_statistics_moved(sides), _STATISTICS_MOVED)
    except Exception:  # a model that cannot run this way answers nothing here; its trace did
        return None
    return None if found is None else (*found, _GRADIENTS_DIFFER)
