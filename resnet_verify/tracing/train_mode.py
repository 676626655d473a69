"""Norm layers a model's own ``train()`` keeps in eval mode (BitFit, a frozen-BN fine-tune:
``super().train(mode)`` then ``m.eval()`` on every BatchNorm).

The trace runs in eval mode, where such a BatchNorm computes exactly what one that trains computes, so
the model compares clean while the network training sees normalises with running statistics it never
updates: the false "no difference". Where a class of the model overrides ``train`` with nn.Module's
signature (``train(self, mode=True)``; anything else may be a training loop and is never called), the
override runs once on the traced copy and the BatchNorms it leaves in eval mode are recorded as what
only training sees (``RegularizerKind.EVAL_IN_TRAINING``), compared like dropout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from resnet_verify.specs.usercode import callable_train, set_training, train_as_built
from resnet_verify.tracing.records import OpRecord, Part, Regularizer, RegularizerKind
from resnet_verify.tracing.regularizers import Places


def kept_in_eval(model: nn.Module, ops: Sequence[OpRecord], places: Places) -> tuple[Regularizer, ...]:
    """The BatchNorms the model's own ``train()`` leaves in eval mode, and those whose own ``forward``
    normalises with running statistics in training mode too (PuzzleCAM's FixedBatchNorm:
    ``F.batch_norm(..., training=False)``): the same layer in training, however it is written."""
    frozen = [*_held_by_train(model), *_frozen_by_forward(model, ops)]
    out = []
    for path, module in frozen:
        op = next((o for o in ops if o.module_path == path), None)
        if op is None:
            continue  # built, never run
        part, block = places.of_op(op.id) or (Part.MODEL, None)
        out.append(Regularizer(
            RegularizerKind.EVAL_IN_TRAINING, math.nan, path, type(module).__name__, False, part, block, op.id,
            op.id, op.source,
        ))  # fmt: skip
    return tuple(out)


def _held_by_train(model: nn.Module) -> list[tuple[str, nn.Module]]:
    if not any(callable_train(m) for m in model.modules()):
        return []
    try:
        train_as_built(model)
        return [
            (path, m) for path, m in model.named_modules() if isinstance(m, _BatchNorm) and not m.training
        ]
    except Exception:  # the user's override failing is no finding of ours
        return []
    finally:
        set_training(model, False)


def _frozen_by_forward(model: nn.Module, ops: Sequence[OpRecord]) -> list[tuple[str, nn.Module]]:
    """BatchNorm subclasses with a forward of their own that, run in training mode on a copy, give the
    eval output and leave the running statistics as they were."""
    shapes = {o.module_path: o.in_shapes[0] for o in ops if o.in_shapes}
    return [
        (path, m)
        for path, m in model.named_modules()
        if isinstance(m, _BatchNorm)
        and type(m).forward is not _BatchNorm.forward  # a forward of its own (probed), not torch's
        and path in shapes
        and _normalises_as_in_eval(m, shapes[path])
    ]


def _normalises_as_in_eval(module: nn.Module, shape: tuple[int, ...]) -> bool:
    import copy

    import torch

    probe = copy.deepcopy(module)
    if any(t.is_meta for t in (*probe.parameters(), *probe.buffers())):
        probe = probe.to_empty(device="cpu")
    with torch.no_grad():
        for name, t in (*probe.named_parameters(), *probe.named_buffers()):
            if t.is_floating_point():
                t.copy_(torch.rand_like(t, device="cpu") + (0.5 if "var" in name else 0.0))
        x = torch.randn(
            2, *shape[1:2], *(min(n, 3) for n in shape[2:]), generator=torch.Generator().manual_seed(0)
        )
        x = x.to(next((t.dtype for t in probe.buffers() if t.is_floating_point()), x.dtype))
        try:
            probe.eval()  # (fresh inputs, outputs copied: an in-place forward overwrites what it reads)
            expected = _copied(probe(x.clone()))
            before = [b.clone() for b in probe.buffers()]
            probe.train()
            got = _copied(probe(x.clone()))
        except Exception:  # the user's forward failing on a probe is no finding of ours
            return False
    # the eval output must be the running statistics' own normalisation: a forward that takes fresh batch
    # statistics in both modes (training=True always) gives equal outputs too, and is no frozen norm
    with torch.no_grad():
        running = _running_output(probe, x)
    same = (
        isinstance(got, torch.Tensor)
        and isinstance(expected, torch.Tensor)
        and torch.allclose(got, expected)
        and isinstance(running, torch.Tensor)
        and running.shape == got.shape
        and torch.allclose(got, running, atol=1e-5)
    )
    return same and all(torch.equal(a, b) for a, b in zip(before, probe.buffers(), strict=True))


def _copied(out: object) -> object:
    import torch

    return out.detach().clone() if isinstance(out, torch.Tensor) else out


def _running_output(module: nn.Module, x: object) -> object:
    """What the running statistics give for ``x`` (torch's eval-mode batch norm), else None."""
    import torch
    import torch.nn.functional as F

    mean, var = getattr(module, "running_mean", None), getattr(module, "running_var", None)
    if (
        not isinstance(mean, torch.Tensor)
        or not isinstance(var, torch.Tensor)
        or not isinstance(x, torch.Tensor)
    ):
        return None
    try:
        return F.batch_norm(x, mean, var, getattr(module, "weight", None), getattr(module, "bias", None), False,
                            0.0, float(getattr(module, "eps", 1e-5)))  # fmt: skip
    except RuntimeError:
        return None
