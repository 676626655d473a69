"""Verify past a crash whose repair is local and unambiguous: a bool where torch wants an int, or a
Linear / conv built for another width than the one that reaches it.

The founding user's model, copied from a PyTorch 1.x blog post, builds its 3x3 convs with
``padding=True``. PyTorch 1.x read the bool as 1; torch 2.x keeps ``(True, True)`` on the module and
``conv2d`` raises a TypeError at the first forward. Stopping there hides every real difference of
the model (its stride placement, its head) until the user has fixed the crash alone. So when a
forward crashes and a layer holds a bool among its integer hyper-parameters, the traced *copy* gets
the int PyTorch 1.x used (True -> 1, False -> 0) and is traced again; each repair is recorded
(:class:`Repair`) and reported as the crash's cause, with the fix at the user's line. The user's
model is never changed.

A Linear whose ``in_features`` (or a conv whose ``in_channels``) differs from the width of the tensor
that reaches it fails at that layer alone; re-sizing that layer's weight on the copy to the width it
receives is the one change that lets the forward go on, so it is repaired the same way (the crash
cause and its fix are reported: ``verify/crash_causes``). Grouped convs are not re-sized: which of
groups or widths is wrong is not clear.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from resnet_verify.specs.sources import SourceLoc

if TYPE_CHECKING:  # records imports Repair from here
    from resnet_verify.tracing.records import ParamInfo

_INT_ARGS = ("kernel_size", "stride", "padding", "dilation", "output_padding")
_LAYERS = (nn.modules.conv._ConvNd, nn.modules.pooling._MaxPoolNd, nn.modules.pooling._AvgPoolNd)


class RepairKind(str, enum.Enum):
    BOOL_ARGUMENT = "bool_argument"  # padding=True traced as padding=1
    WIDTH = "width"  # Linear(8192, n) reached by 2048 features, traced as Linear(2048, n)


@dataclass(frozen=True, slots=True)
class Repair:
    """A hyper-parameter the traced copy holds differently from the model as written."""

    module_path: str
    type_name: str
    attribute: str
    given: tuple[int, ...]  # as the module holds it: (True, True) (a scalar as a 1-tuple)
    used: tuple[int, ...]  # (1, 1)
    source: SourceLoc | None = None  # where the module was built
    kind: RepairKind = RepairKind.BOOL_ARGUMENT


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


def width_repair(
    module: nn.Module, path: str, in_shapes: tuple[tuple[int, ...], ...], source: SourceLoc | None
) -> Repair | None:
    """The re-sizing that lets ``module`` (the layer the forward failed in) take what reached it."""
    if not in_shapes or len(in_shapes[0]) < 2:
        return None
    if isinstance(module, nn.Linear):
        attribute, held, arrived = "in_features", module.in_features, in_shapes[0][-1]
    elif isinstance(module, nn.modules.conv._ConvNd) and not module.transposed and module.groups == 1:
        attribute, held, arrived = "in_channels", module.in_channels, in_shapes[0][1]
    else:
        return None
    if held == arrived:
        return None
    return Repair(path, type(module).__name__, attribute, (held,), (arrived,), source, RepairKind.WIDTH)


def _resize(module: nn.Module, attribute: str, width: int) -> None:
    weight = module.weight
    assert isinstance(weight, torch.Tensor)  # Linear and conv hold one
    shape = list(weight.shape)
    shape[1] = width  # Linear (out, in) and conv (out, in, *k) both keep the input width second
    setattr(module, attribute, width)
    module.weight = nn.Parameter(
        torch.empty(shape, dtype=weight.dtype, device=weight.device), requires_grad=weight.requires_grad
    )


def apply_repairs(model: nn.Module, repairs: tuple[Repair, ...]) -> None:
    """Give ``model`` (a copy) what ``repairs`` traced, in place."""
    modules = dict(model.named_modules())
    for r in repairs:
        module = modules[r.module_path]
        if r.kind is RepairKind.WIDTH:
            _resize(module, r.attribute, r.used[0])
            continue
        held = getattr(module, r.attribute)
        setattr(module, r.attribute, r.used if isinstance(held, tuple) else r.used[0])


def as_written(params: tuple[ParamInfo, ...], repairs: tuple[Repair, ...]) -> tuple[ParamInfo, ...]:
    """The parameter table of the model as the user wrote it: a re-sized layer's weight keeps the
    width it was built with, so parameter counts are those of the user's model, not of the copy."""
    widths = {f"{r.module_path}.weight": r.given[0] for r in repairs if r.kind is RepairKind.WIDTH}
    out = []
    for p in params:
        width = widths.get(p.name)
        if width is None or len(p.shape) < 2:
            out.append(p)
            continue
        shape = (p.shape[0], width, *p.shape[2:])
        out.append(replace(p, shape=shape, numel=math.prod(shape)))
    return tuple(out)


def describe(repairs: tuple[Repair, ...]) -> str:
    """One phrase per kind of repair: "padding=True read as 1, as PyTorch 1.x did (16 layers); fc
    re-sized to in_features=2048 (built for 1024)"."""
    parts = []
    bools = [r for r in repairs if r.kind is RepairKind.BOOL_ARGUMENT]
    if bools:
        r = bools[0]
        n = f" ({len(bools)} layers)" if len(bools) > 1 else ""
        parts.append(f"{r.attribute}={r.given[0]} read as {r.used[0]}, as PyTorch 1.x did{n}")
    for r in repairs:
        if r.kind is RepairKind.WIDTH:
            parts.append(f"{r.module_path} re-sized to {r.attribute}={r.used[0]} (built for {r.given[0]})")
    return "; ".join(parts)


__all__ = [
    "Repair",
    "RepairKind",
    "apply_repairs",
    "as_written",
    "bool_arguments",
    "describe",
    "width_repair",
]
