"""Buffers a training forward writes: a spectral norm's power iteration, a moving average.

The trace runs in eval mode, where a layer that refreshes its own state in training (``u`` and ``v``
of a hand-written spectral norm under ``torch.no_grad()``, torch's ``parametrizations.spectral_norm``,
an exponential moving average of a codebook) computes exactly what one that never refreshes it
computes. Two such models compare clean while the networks training sees differ: the false "no
difference". So where the model holds buffers outside its norm layers, one training forward runs on
the traced copy and every buffer it wrote is recorded, one record per layer that owns them
(``RegularizerKind.STATE_UPDATE``), compared like dropout: present on one side only is the difference.

A write is seen on any device: a buffer replaced (``self.u = ...``) or written in place (``out=``,
``copy_``, ``mul_``; torch bumps its version counter), and on real tensors also by value (a write
through ``.data``). Buffers are put back afterwards, so the values read later are the eval ones.
Norm layers stay in eval mode and are skipped: their running statistics are torch's bookkeeping,
compared as the norm layers they are.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

from resnet_verify.specs.usercode import model_output, set_training
from resnet_verify.tracing.fake_quant import observer_off
from resnet_verify.tracing.records import OpKind, OpRecord, Part, Regularizer, RegularizerKind, Shape
from resnet_verify.tracing.regularizers import Places
from resnet_verify.tracing.train_only import seeded

_NORMS = (OpKind.BATCH_NORM, OpKind.NORM)
# values kept to restore only for tensors up to this size (a power iteration's vectors, not a weight)
_MAX_COPY = 1 << 20


@dataclass(frozen=True, slots=True)
class _Held:
    table: dict[str, Any]  # the module's ``_buffers`` or ``_parameters``
    name: str
    tensor: torch.Tensor
    alias: torch.Tensor  # the original storage, kept when ``.data = ...`` swaps it
    storage: int
    values: torch.Tensor | None  # a copy to restore an in-place write with, where it holds values


def _state(model: nn.Module) -> dict[tuple[str, str], _Held]:
    """Every buffer and parameter outside the norm layers."""
    out = {}
    for path, module in model.named_modules():
        if isinstance(module, nn.modules.batchnorm._NormBase):
            continue
        for table in (module._buffers, module._parameters):
            for name, t in table.items():
                if t is None:
                    continue
                small = t.device.type != "meta" and t.numel() <= _MAX_COPY
                copy = t.detach().clone() if small else None
                out[path, name] = _Held(table, name, t, t.detach(), _storage(t), copy)
    return out


def _storage(t: torch.Tensor) -> int:
    return t.untyped_storage()._cdata


class _Writes(TorchDispatchMode):
    """The storages the ops write into (``copy_``, ``mul_``, ``out=``, ``x[i] = ...``), on any device:
    a write through ``.data`` bumps no version counter and, on meta, changes no value."""

    def __init__(self, watched: set[int]) -> None:
        super().__init__()
        self.watched, self.hit = watched, set[int]()

    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        kwargs = kwargs or {}
        schema = func._schema
        if schema.is_mutable and not observer_off(schema.name.split("::")[-1], args, kwargs):
            values = [*args, *(kwargs.get(a.name) for a in schema.arguments[len(args) :])]
            for arg, value in zip(schema.arguments, values, strict=False):
                if arg.alias_info is not None and arg.alias_info.is_write and isinstance(value, torch.Tensor):
                    key = _storage(value)
                    if key in self.watched:
                        self.hit.add(key)
        return func(*args, **kwargs)


def _written(held: _Held, hit: set[int]) -> bool:
    now = held.table.get(held.name)
    return now is not held.tensor or held.storage in hit or _storage(held.tensor) != held.storage


def _put_back(held: dict[tuple[str, str], _Held]) -> None:
    with torch.no_grad():
        for h in held.values():
            h.table[h.name] = h.tensor
            if _storage(h.tensor) != h.storage:
                h.tensor.data = h.alias
            if h.values is not None:
                h.tensor.copy_(h.values)


def written_in_training(model: nn.Module, shape: Shape, device: str) -> dict[str, tuple[str, ...]]:
    """Module path -> the names of the buffers and parameters one training forward of ``model``
    wrote, in order."""
    if not _may_write(model):
        return {}
    held = _state(model)
    set_training(model, True)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._NormBase):
            m.training = False  # (tracing/train_only.py: torch's bookkeeping, and costly on meta)
    x = torch.zeros(shape, device=device) if device != "meta" else torch.empty(shape, device="meta")
    writes = _Writes({h.storage for h in held.values()})
    try:
        with seeded(), torch.no_grad(), model_output(), writes:
            model(x)
        changed = [key for key, h in held.items() if _written(h, writes.hit)]
    except Exception:  # a forward that fails in training mode: nothing to compare (the trace says why)
        return {}
    finally:
        set_training(model, False)
        _put_back(held)
    out: dict[str, tuple[str, ...]] = {}
    for path, name in changed:
        out[path] = (*out.get(path, ()), name)
    return out


def _may_write(model: nn.Module) -> bool:
    """State a forward may write: a buffer or a frozen parameter outside the norm layers, or a user
    class that writes through ``.data`` (a weight clipped in forward). A plain ResNet has none, and
    costs no second forward and no copy of its weights (checked before ``_state`` copies anything)."""
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._NormBase):
            continue
        if any(b is not None for b in module._buffers.values()) or _writes_data(type(module)):
            return True
        if any(p is not None and not p.requires_grad for p in module._parameters.values()):
            return True
    return False


_SOURCE: dict[type, bool] = {}


def _writes_data(cls: type) -> bool:
    if cls not in _SOURCE:
        own = not (cls.__module__ or "").startswith(("torch.", "torchvision."))
        try:
            _SOURCE[cls] = own and ".data" in inspect.getsource(cls)
        except (OSError, TypeError):
            _SOURCE[cls] = False
    return _SOURCE[cls]


def state_updates(
    model: nn.Module,
    ops: Sequence[OpRecord],
    places: Places,
    folded: dict[str, str],
    written: dict[str, tuple[str, ...]],
) -> tuple[Regularizer, ...]:
    """One record per module whose state a training forward of ``model`` (the traced copy) writes and
    the eval forward reads, placed at the first op that reads it.
    ``written``: what that forward wrote (``written_in_training``; the caller keeps it for the formula norms).
    ``folded``: the weights the trace folded (``{"conv1.weight": "spectral_norm"}``); torch's spectral
    norm, folded before the forward, refreshes its ``u`` and ``v`` in every training forward."""
    states: dict[str, tuple[str, ...]] = {}  # the state's holder -> its qualified names
    names: dict[str, tuple[str, ...]] = {}
    for path, held in written.items():
        names[path] = held
        states[path] = tuple(f"{path}.{n}" if path else n for n in held)
    modules = dict(model.named_modules())
    spelling = {path: type(modules[path]).__name__ for path in written}
    for weight, steps in folded.items():
        if "spectral_norm" in steps.split("→"):  # its vectors are gone with the fold: the weight it scales
            path = weight.rpartition(".")[0]
            names[path], spelling[path] = (*names.get(path, ()), "u", "v"), "spectral_norm"
            states[path] = (*states.get(path, ()), weight)
    out = []
    for path, qualified in states.items():
        # the first op reading the state: no op reads it, no difference (a counter, a statistic logged)
        op = next((o for o in ops if any(n in o.params for n in qualified)), None)
        if op is None or op.kind in _NORMS:
            continue  # (a norm layer of the user's: its running statistics)
        part, block = places.of_op(op.id) or places.of_path(path) or (Part.MODEL, None)
        out.append(Regularizer(
            RegularizerKind.STATE_UPDATE, 1.0, path, spelling[path], False, part, block, op.id, op.id, op.source,
            names[path],
        ))  # fmt: skip
    return tuple(sorted(out, key=lambda r: r.position))


__all__ = ["state_updates", "written_in_training"]
