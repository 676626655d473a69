"""Real models and weight movement: reference models, BatchNorm statistics, weight copies, files.

:func:`real_reference` builds torchvision's model on CPU with real tensors (random init under
``seed``, or a given state). :func:`randomize_batchnorm` gives its BatchNorms realistic,
non-identity statistics (one calibration forward in train mode on a random batch, then a seeded
random affine and jitter) so that eval-mode BN does not hide bugs. :func:`candidate_copy` makes a
CPU float32 deep copy of the candidate (the caller's model is never touched) and
:func:`copy_weights` copies the reference tensors into it through a
:class:`~resnet_verify.verify.pairing.ParamMapping`. :func:`load_state_file` reads a state_dict from a
weight file, turning every failure into one :class:`~resnet_verify.errors.UsageError`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.verify.pairing import ParamMapping

_CALIBRATION_SIDE = 64


# ------------------------------------------------------------------------------ models and weights


def named_tensors(model: nn.Module) -> dict[str, torch.Tensor]:
    """Every parameter and buffer by its first qualified name."""
    out: dict[str, torch.Tensor] = {}
    for name, param in model.named_parameters(remove_duplicate=False):
        out.setdefault(name, param)
    for name, buffer in model.named_buffers(remove_duplicate=False):
        out.setdefault(name, buffer)
    return out


def _strip_prefix(state: dict[str, Any]) -> dict[str, Any]:
    if state and all(k.startswith("module.") for k in state):
        return {k[len("module.") :]: v for k, v in state.items()}
    return state


def source_prefix(state: dict[str, Any], keys: Collection[str]) -> str:
    """The key prefix under which ``state`` holds a model whose own keys are ``keys``.

    Checkpoints wrap the model they hold: ``module.`` (DDP), ``model.``, ``backbone.``,
    ``model.backbone.``, next to other tensors (an EMA copy, a loss's buffers). The prefix is found
    from the key tree, not from a list of known spellings: every dotted prefix of every key is a
    candidate, and the one under which the most of ``keys`` appear wins. Two prefixes that hold
    every key are two copies of the model: that is ambiguous, and refused.
    """
    wanted = set(keys)
    counts: dict[str, int] = {}
    for key in state:
        parts = key.split(".")
        for i in range(len(parts)):
            if ".".join(parts[i:]) in wanted:
                prefix = ".".join(parts[:i]) + ("." if i else "")
                counts[prefix] = counts.get(prefix, 0) + 1
    if not counts:
        return ""
    best = max(counts.values())
    winners = sorted((p for p, n in counts.items() if n == best), key=len)
    if len(winners) > 1 and best == len(wanted):
        shown = ", ".join(repr(w) for w in winners[:3])
        raise UsageError(f"the weights hold the model more than once (under {shown}); save one of them alone")
    return winners[0]


def reference_tensors(state: dict[str, Any], keys: Collection[str]) -> tuple[dict[str, Any], str]:
    """``state``'s tensors for a model with ``keys``, its wrapper prefix removed, and that prefix.

    Tensors outside the prefix are left out (they belong to something else in the checkpoint);
    tensors under it are all kept, so a load with ``strict=True`` still names the ones that do not
    fit.
    """
    prefix = source_prefix(state, keys)
    return {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}, prefix


def real_reference(
    name: str, *, num_classes: int, seed: int = 0, state: dict[str, torch.Tensor] | None = None
) -> nn.Module:
    """The reference ``name`` names, with real tensors: random init under ``seed``, or ``state``.

    ``name`` is any model spec (``build_reference_model``): a torchvision ResNet name is built by
    torchvision on CPU, anything else (``timm:NAME``, ``FILE.py:CALLABLE`` ...) as ``--model`` is.
    """
    from resnet_verify._io import load_weights
    from resnet_verify.specs.builders import build_model, reference_names

    spec = name.strip()
    name = spec.removeprefix("torchvision:").strip()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        if name in reference_names():
            import torchvision.models

            model = getattr(torchvision.models, name)(weights=None, num_classes=num_classes)
            spec = f"torchvision:{name}"
        else:
            model, _ = build_model(spec, num_classes=num_classes)
    if state is not None:
        own, _ = reference_tensors(dict(state), model.state_dict().keys())
        load_weights(model, own, source="reference weights", spec=spec)
    return model.eval()


def load_reference(
    reference: str | nn.Module,
    *,
    num_classes: int,
    seed: int = 0,
    state: dict[str, torch.Tensor] | None = None,
) -> nn.Module:
    """A CPU eval-mode reference: torchvision's by name (:func:`real_reference`) or a deep copy of
    a module, with ``state`` loaded strictly (its wrapper prefix found by :func:`source_prefix`)."""
    if isinstance(reference, str):
        return real_reference(reference, num_classes=num_classes, seed=seed, state=state)
    model = candidate_copy(reference)  # the same safe copy: a user's reference may override to()/eval()
    if state is not None:
        from resnet_verify._io import load_weights

        own, _ = reference_tensors(dict(state), model.state_dict().keys())
        load_weights(model, own, source="reference weights", spec=type(reference).__name__)
    return model


def randomize_batchnorm(model: nn.Module, input_shape: Sequence[int], *, seed: int) -> None:
    """Give every BatchNorm realistic, non-identity eval statistics, deterministically.

    One forward in train mode (cumulative average) on a random batch of 2 (spatial size capped at
    64) sets the running statistics to data statistics, so activations stay O(1) at any depth;
    then the affine parameters are drawn from ``U(0.5, 1.5)`` / ``N(0, 0.25)`` and the statistics
    jittered, so that eval-mode BN is far from the identity and a moved or missing BatchNorm
    changes the output.
    """
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return
    gen = torch.Generator().manual_seed(seed + 7919)
    # Calibrating at <= 64x64 is enough to keep magnitudes O(1) and costs 1/12 of a 224 forward.
    shape = (2, int(input_shape[1]), *(min(int(s), _CALIBRATION_SIDE) for s in input_shape[2:]))
    saved = [(m, m.momentum) for m in bns]
    was_training = model.training
    try:
        for m in bns:
            m.reset_running_stats()
            m.momentum = None
        model.train()
        with torch.no_grad():
            model(torch.randn(shape, generator=gen))
    except Exception:
        for m in bns:
            if m.running_mean is not None and m.running_var is not None:
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) + 0.5)
    finally:
        for m, momentum in saved:
            m.momentum = momentum
        model.train(was_training)
    with torch.no_grad():
        for m in bns:
            if m.running_mean is not None and m.running_var is not None:
                n = m.running_mean.shape
                std = m.running_var.clamp_min(1e-6).sqrt()
                m.running_mean.add_(torch.randn(n, generator=gen) * 0.1 * std)
                m.running_var.mul_(torch.rand(n, generator=gen) * 0.4 + 0.8)
            if m.weight is not None:
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) + 0.5)
            if m.bias is not None:
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.25)


def candidate_copy(candidate: nn.Module) -> nn.Module:
    """A CPU float32 eval-mode deep copy (meta tensors become real, zero-filled).

    Built as the tracer builds its copy (wrappers peeled, instance forwards rebound to the copy,
    weight_norm folded), so parameter names match the trace's; nn.Module's own ``to``/``float``
    and training flags, never a user's overrides (which may not return the model).
    """
    from resnet_verify.specs.usercode import copy_model, set_training, strip_reparametrizations, unwrap

    model = copy_model(unwrap(candidate))
    strip_reparametrizations(model)
    if any(t.is_meta for t in (*model.parameters(), *model.buffers())):
        nn.Module.to_empty(model, device="cpu")
        with torch.no_grad():
            for t in (*model.parameters(), *model.buffers()):
                t.zero_()
    nn.Module.to(model, "cpu")
    if any(
        t.is_floating_point() and t.dtype != torch.float32 for t in (*model.parameters(), *model.buffers())
    ):
        nn.Module.float(model)
    set_training(model, False)
    return model


def copy_weights(reference: nn.Module, candidate: nn.Module, mapping: ParamMapping) -> None:
    """Copy every paired reference tensor into the candidate, in place."""
    rt, ct = named_tensors(reference), named_tensors(candidate)
    with torch.no_grad():
        for rname, cname in mapping.pairs:
            src, dst = rt[rname], ct[cname]
            if tuple(src.shape) != tuple(dst.shape):  # pragma: no cover - pairing checks shapes
                raise ValueError(f"{rname} {list(src.shape)} vs {cname} {list(dst.shape)}")
            dst.copy_(src)
        for cname in mapping.zero_candidate:
            ct[cname].zero_()


# --------------------------------------------------------------------------------- weight files


def load_state_file(path: str | Path, *, what: str = "weights") -> dict[str, torch.Tensor]:
    """A state_dict from ``torch.load(path, weights_only=True)``; every failure is one UsageError.

    Accepts a bare state_dict or one wrapped under ``state_dict`` / ``model`` (a training
    checkpoint); a ``module.`` prefix (DataParallel) is removed.
    """
    from resnet_verify._io import load_weights_only

    label = f"{what} {path}"
    obj = load_weights_only(path, label)
    if isinstance(obj, dict) and not _is_state(obj):
        for key in ("state_dict", "model", "model_state_dict"):
            if isinstance(obj.get(key), dict) and _is_state(obj[key]):
                obj = obj[key]
                break
    if not isinstance(obj, dict) or not _is_state(obj) or not obj:
        raise UsageError(f"{label}: not a state_dict (expected a dict of tensor names to tensors)")
    return _strip_prefix(obj)


def _is_state(obj: dict[Any, Any]) -> bool:
    return all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items())


__all__ = [
    "candidate_copy",
    "copy_weights",
    "load_reference",
    "load_state_file",
    "named_tensors",
    "randomize_batchnorm",
    "real_reference",
    "reference_tensors",
    "source_prefix",
]
