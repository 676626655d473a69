"""Verify past a crash whose repair is local and unambiguous: a bool where torch wants an int.

The founding user's model, copied from a PyTorch 1.x blog post, builds its 3x3 convs with
``padding=True``. PyTorch 1.x read the bool as 1; torch 2.x keeps ``(True, True)`` on the module and
``conv2d`` raises a TypeError at the first forward. Stopping there hides every real difference of
the model (its stride placement, its head) until the user has fixed the crash alone. So when a
forward crashes and a layer holds a bool among its integer hyper-parameters, the traced *copy* gets
the int PyTorch 1.x used (True -> 1, False -> 0) and is traced again; each repair is recorded
(:class:`Repair`) and reported as the crash's cause, with the fix at the user's line. The user's
model is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from torch import nn

from resnet_verify.specs.sources import SourceLoc

_INT_ARGS = ("kernel_size", "stride", "padding", "dilation", "output_padding")
_LAYERS = (nn.modules.conv._ConvNd, nn.modules.pooling._MaxPoolNd, nn.modules.pooling._AvgPoolNd)


@dataclass(frozen=True, slots=True)
class Repair:
    """A hyper-parameter given as a bool, traced as the int PyTorch 1.x read it."""

    module_path: str
    type_name: str
    attribute: str
    given: tuple[int, ...]  # as the module holds it: (True, True) (a scalar as a 1-tuple)
    used: tuple[int, ...]  # (1, 1)
    source: SourceLoc | None = None  # where the module was built


def _as_int(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, tuple):
        return tuple(_as_int(v) for v in value)
    return value


def _has_bool(value: Any) -> bool:
    return isinstance(value, bool) or (isinstance(value, tuple) and any(isinstance(v, bool) for v in value))


def bool_arguments(model: nn.Module, sites: dict[str, SourceLoc]) -> tuple[Repair, ...]:
    """Every bool among the integer hyper-parameters of the model's conv and pool layers."""
    found = []
    for path, module in model.named_modules():
        if not isinstance(module, _LAYERS):
            continue
        for name in _INT_ARGS:
            value = getattr(module, name, None)
            if _has_bool(value):
                given = value if isinstance(value, tuple) else (value,)
                found.append(
                    Repair(path, type(module).__name__, name, given, tuple(_as_int(given)), sites.get(path))
                )
    return tuple(found)


def apply_repairs(model: nn.Module, repairs: tuple[Repair, ...]) -> None:
    """Give ``model`` (a copy) the ints of ``repairs``, in place."""
    modules = dict(model.named_modules())
    for r in repairs:
        module = modules[r.module_path]
        held = getattr(module, r.attribute)
        setattr(module, r.attribute, r.used if isinstance(held, tuple) else r.used[0])


__all__ = ["Repair", "apply_repairs", "bool_arguments"]
