"""Weights computed by a parametrization (``torch.nn.utils.parametrize``, the old weight_norm /
spectral_norm hooks), folded into plain weights on a model's copy so that the tracer reads each layer
as the layer it is, with what computed its weight kept by name (``spectral_norm``, or the steps a
user's own parametrization runs)."""

from __future__ import annotations

import copy
import re
from typing import Any

import torch
from torch import nn

from resnet_verify.specs.steps import step_name


def has_reparametrization(model: nn.Module) -> bool:
    """Some weight of ``model`` is computed by a parametrization (``parametrize``, or the old
    weight_norm / spectral_norm hooks): what :func:`strip_reparametrizations` folds away."""
    from torch.nn.utils import parametrize
    from torch.nn.utils.spectral_norm import SpectralNorm
    from torch.nn.utils.weight_norm import WeightNorm

    return any(
        parametrize.is_parametrized(m)
        or any(isinstance(h, WeightNorm | SpectralNorm) for h in m._forward_pre_hooks.values())
        for m in model.modules()
    )


def strip_reparametrizations(
    model: nn.Module, owned: dict[str, tuple[str, ...]] | None = None
) -> dict[str, str]:
    """Fold weight_norm / spectral_norm and any other parametrization (both the ``parametrize`` and
    the old hook forms) into plain weights, in place, on a copy. Returns what each folded weight was
    computed by (``{"layer1.0.conv1.weight": "spectral_norm"}``): the trace reads the conv as it
    reads the reference's, and tags it with the transform, so that the difference is still seen.
    ``owned``, where given, receives the tensors a user's parametrization module held (an NF-ResNet's
    gain), now the layer's own, by the weight they computed: ``{"conv.weight": ("conv.gain",)}``.
    """
    from torch.nn.utils import parametrize
    from torch.nn.utils.spectral_norm import SpectralNorm, remove_spectral_norm
    from torch.nn.utils.weight_norm import WeightNorm, remove_weight_norm

    folded: dict[str, str] = {}
    for prefix, module in list(model.named_modules()):
        at = f"{prefix}." if prefix else ""
        if parametrize.is_parametrized(module):
            for name in list(module.parametrizations):
                folded[at + name] = "→".join(_parametrization_steps(module.parametrizations[name]))
            for name, keys in _fold_parametrizations(module).items():
                if owned is not None and keys:
                    owned[at + name] = tuple(at + k for k in keys)
        for hook in list(module._forward_pre_hooks.values()):
            if isinstance(hook, WeightNorm):
                remove_weight_norm(module, hook.name)
                folded[at + hook.name] = with_settings("weight_norm", hook)
            elif isinstance(hook, SpectralNorm):
                remove_spectral_norm(module, hook.name)
                folded[at + hook.name] = with_settings("spectral_norm", hook)
    return folded


def _fold_parametrizations(module: nn.Module) -> dict[str, tuple[str, ...]]:
    """Every parametrized tensor of ``module`` as a plain parameter holding its computed value.

    Not torch's ``remove_parametrizations``: a deep copy of a parametrized module shares its class
    (``ParametrizedConv2d``) with the original, whose properties that function deletes from the
    class, so removing them from the traced copy broke the user's own model ('ParametrizedConv2d'
    object has no attribute 'weight' at its next forward). Here only the copy's instance changes.
    Returns the names the parametrization modules' own tensors now have on ``module``, by tensor."""
    import torch

    chains = module.parametrizations
    assert isinstance(chains, torch.nn.ModuleDict)
    kept: dict[str, torch.Tensor] = {}
    for name in list(chains):
        with torch.no_grad():
            value = getattr(module, name).detach().clone()
        original = getattr(chains[name], "original", None)
        if isinstance(original, torch.Tensor) and original.shape == value.shape:
            with torch.no_grad():
                original.set_(value)  # the same tensor object: the tracer knows parameters by identity
            kept[name] = original
        else:
            kept[name] = torch.nn.Parameter(value)
    taken = {
        *kept,
        *(n for n, _ in module.named_parameters(recurse=False)),
        *dict(module.named_buffers(recurse=False)),
    }
    own = {name: _own_tensors(chain, taken) for name, chain in chains.items()}
    for tensors in own.values():
        kept.update(tensors)
    del module._modules["parametrizations"]
    module.__class__ = type(module).__bases__[0]  # the class torch's parametrize injected over
    for name, tensor in kept.items():
        if isinstance(tensor, torch.nn.Parameter):
            module.register_parameter(name, tensor)
        else:
            module.register_buffer(name, tensor)
    return {name: tuple(tensors) for name, tensors in own.items()}


def _own_tensors(chain: nn.Module, taken: set[str]) -> dict[str, torch.Tensor]:
    """A user's parametrization module's own parameters (an NF-ResNet's per-filter gain), kept on
    the layer under their own names: the model as built owns them, so the layer's parameter count does
    too, under a name not ``taken``. torch's own parametrizations (weight_norm's g and v) are folded by
    name, as before."""
    own: dict[str, torch.Tensor] = {}
    for index, p in enumerate(chain.children()):
        if (type(p).__module__ or "").startswith("torch."):
            continue
        for name, t in p.named_parameters(recurse=True):  # (a buffer, a call counter, is no parameter)
            key = name.replace(".", "_")
            key = key if key not in taken else f"parametrization{index}_{key}"
            taken.add(key)
            own[key] = t
    return own


def _parametrization_steps(chain: nn.ModuleList) -> list[str]:
    """What each parametrization computes: torch's own by name (``spectral_norm``), a user's module
    by the ops its forward runs on the weight (``mean→sub→std→add→div``: a weight standardization
    written as a ``parametrize`` module reads as the same one written in ``forward``)."""
    import torch
    from torch.overrides import TorchFunctionMode

    names: list[str] = []
    derived: dict[int, Any] = {}  # the weight and what is computed from it (kept alive: ids stay unique)

    class _Names(TorchFunctionMode):
        def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
            out = func(*args, **(kwargs or {}))
            name = getattr(func, "__name__", "")
            reads = any(
                id(a) in derived for a in (*args, *(kwargs or {}).values()) if isinstance(a, torch.Tensor)
            )
            if reads and name not in ("__get__", "size", "dim", "numel", "__len__"):
                names.append(
                    step_name(name, tuple(args), kwargs or {})
                )  # a step on the weight, not bookkeeping
                for t in out if isinstance(out, tuple | list) else (out,):
                    if isinstance(t, torch.Tensor):
                        derived[id(t)] = t
            return out

    steps: list[str] = []
    value = getattr(chain, "original", None)
    for p in chain:
        if (type(p).__module__ or "").startswith("torch.") or not isinstance(value, torch.Tensor):
            steps.append(with_settings(_snake(type(p).__name__), p))
            value = None
            continue
        names.clear()
        derived.clear()
        derived[id(value)] = value
        probe = copy.deepcopy(
            p
        )  # a parametrization with state (a power iteration's vectors) must not advance
        try:
            with torch.no_grad(), _Names():
                value = probe(value)
        except Exception:  # a parametrization that cannot run here is named, not read
            steps.append(_snake(type(p).__name__))
            value = None
            continue
        steps.extend(dict.fromkeys(names) or [_snake(type(p).__name__)])
    return steps


# torch's own weight transforms: the settings that change what they compute, with their defaults. The
# weight's shape does not show them once folded: weight_norm(dim=None) keeps one g for the whole
# tensor where the default keeps one per output channel, and folded both are one plain weight.
_SETTINGS: dict[str, dict[str, object]] = {
    "weight_norm": {"dim": 0},
    "spectral_norm": {"eps": 1e-12, "n_power_iterations": 1},
}


def with_settings(name: str, transform: object) -> str:
    """``weight_norm`` with the settings that differ from torch's defaults: ``weight_norm(dim=-1)``."""
    changed = [
        f"{key}={getattr(transform, key)!r}"
        for key, default in _SETTINGS.get(name, {}).items()
        if getattr(transform, key, default) != default
    ]
    return f"{name}({', '.join(changed)})" if changed else name


def _snake(class_name: str) -> str:
    """``_SpectralNorm`` -> ``spectral_norm``: a parametrization's name as its function spells it."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name.strip("_")).lower()


__all__ = ["has_reparametrization", "strip_reparametrizations"]
