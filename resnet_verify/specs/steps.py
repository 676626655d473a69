"""How a step on a tensor is named: ``add(1e-05)``, ``normalize(p=2.0, dim=0)``, ``mean(dim=(1, 2, 3))``,
else the function.

Read by the tracer for the steps that compute a weight in ``forward`` and by the parametrization
reader (``usercode``) for a ``parametrize`` module's, so the same standardization, normalization or
frozen BN reads the same whichever way it is written: a step's name carries the arguments that
change what it computes.
"""

from __future__ import annotations

from typing import Any

import torch

from resnet_verify.specs.vocabulary import ADD


def arg(args: tuple, kwargs: dict, index: int, name: str, default: Any = None) -> Any:
    """A call's argument by keyword, else by position, else ``default``."""
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else default


_VECTOR_NORMS = {"normalize": ("p", 2.0, 1), "norm": ("p", 2.0, None), "vector_norm": ("ord", 2.0, None)}


def normalize_args(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``{"p": 2.0, "dim": 0, "of": 2}`` for ``F.normalize(w, dim=0)`` (and a ``norm`` over one axis):
    each column of a classifier's weight made unit-length is not each row (ArcFace's weight
    normalised over the wrong axis)."""
    tensor = args[0] if args else kwargs.get("input")
    if name not in _VECTOR_NORMS or not isinstance(tensor, torch.Tensor) or tensor.dim() == 0:
        return {}
    key, p_default, dim_default = _VECTOR_NORMS[name]
    p, dim = arg(args, kwargs, 1, key, p_default), arg(args, kwargs, 2, "dim", dim_default)
    if isinstance(dim, list | tuple) and len(dim) == 1:
        dim = dim[0]
    if p == "fro":  # ``Tensor.norm``'s default: over one axis, the 2-norm (MoCo's ``q / q.norm(dim=1)``)
        p = 2.0
    if isinstance(dim, bool) or not isinstance(dim, int) or not isinstance(p, int | float) or p is None:
        return {}
    return {"p": float(p), "dim": dim % tensor.dim(), "of": tensor.dim()}


_REDUCTIONS = frozenset({
    "mean", "sum", "amax", "amin", "std", "var", "max", "min", "prod", "logsumexp", "var_mean", "std_mean",
})  # fmt: skip
_SPREADS = frozenset({"std", "var", "var_mean", "std_mean"})


def _correction(name: str, args: tuple, kwargs: dict) -> float | None:
    """The degrees-of-freedom correction of a spread (``var(w, unbiased=False)``, ``correction=0``) where it
    is not torch's default of 1: a biased variance is another standardisation (BatchNorm's), if slightly."""
    if name not in _SPREADS:
        return None
    if "correction" in kwargs and _number(kwargs["correction"]):
        value = float(kwargs["correction"])
    elif "unbiased" in kwargs and isinstance(kwargs["unbiased"], bool):
        value = 1.0 if kwargs["unbiased"] else 0.0
    elif len(args) > 2 and isinstance(args[2], bool):  # var(w, dim, unbiased)
        value = 1.0 if args[2] else 0.0
    elif len(args) == 2 and isinstance(args[1], bool):  # var(w, False)
        value = 1.0 if args[1] else 0.0
    else:
        return None
    return None if value == 1.0 else value


def reduced_axes(name: str, args: tuple, kwargs: dict) -> tuple[int, ...] | None:
    """The axes a reduction runs over, where it runs over some of them (``w.abs().mean((1, 2, 3))``,
    XNOR's per-filter scale), else None (over all: ``w.abs().mean()``, one scale per layer)."""
    tensor = args[0] if args else kwargs.get("input")
    dim = arg(args, kwargs, 1, "dim")
    if name not in _REDUCTIONS or not isinstance(tensor, torch.Tensor) or tensor.dim() == 0 or dim is None:
        return None
    dims = [dim] if isinstance(dim, int) and not isinstance(dim, bool) else dim
    if not isinstance(dims, list | tuple) or not all(
        isinstance(d, int) and not isinstance(d, bool) for d in dims
    ):
        return None  # max(a, b): a second tensor, no axes
    axes = tuple(sorted({d % tensor.dim() for d in dims}))
    return None if len(axes) == tensor.dim() else axes


def step_name(name: str, args: tuple, kwargs: dict) -> str:
    """A step computing a parameter in forward, with the arguments that change what it computes
    (``normalize(p=2.0, dim=0)``, ``add(1e-05)``); the function's name alone for any other."""
    given = normalize_args(name, args, kwargs)
    if given:
        label = "norm" if name == "vector_norm" else name
        return f"{label}({', '.join(f'{k}={v}' for k, v in given.items() if k != 'of')})"
    axes, correction = reduced_axes(name, args, kwargs), _correction(name, args, kwargs)
    if axes is not None or correction is not None:
        said = [
            *([f"dim={axes}"] if axes is not None else []),
            *([f"correction={correction:g}"] if correction is not None else []),
        ]
        return f"{name}({', '.join(said)})"
    moved = _moved_axes(name, args, kwargs)
    if moved is not None:  # a kernel mirrored left-right is not one mirrored up-down
        return moved
    bounded = _bounds(name, args, kwargs)
    if bounded is not None:  # a weight clipped or renormed: where it clips is what it computes
        return bounded
    eps = _norm_eps(name, args, kwargs)
    if eps is not None:  # a weight standardised by F.batch_norm: its eps is what it computes (NF-ResNets)
        return eps
    if name in ADD:  # ``running_var + eps``: the eps a hand-written frozen BN divides with
        scalar = next((a for a in args[1:] if isinstance(a, int | float) and not isinstance(a, bool)), None)
        if scalar is not None:
            return f"add({float(scalar):g})"
    return name


# where a norm function takes eps, and torch's default: ``batch_norm(eps=0.0001)`` for another eps only, so
# the default spelling reads as it always has
_NORM_EPS = {"batch_norm": 7, "instance_norm": 7, "group_norm": 4, "layer_norm": 4}


def _norm_eps(name: str, args: tuple, kwargs: dict) -> str | None:
    if name not in _NORM_EPS:
        return None
    eps = arg(args, kwargs, _NORM_EPS[name], "eps", 1e-5)
    return f"{name}(eps={float(eps):g})" if _number(eps) and float(eps) != 1e-5 else None


_CLAMPS = {"clamp": ("min", "max"), "clip": ("min", "max"), "clamp_min": ("min",), "clamp_max": ("max",)}


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _bounds(name: str, args: tuple, kwargs: dict) -> str | None:
    """``clamp(min=-0.01, max=0.01)`` for ``w.clamp(-0.01, 0.01)`` / ``w.clip_(min=-0.01, max=0.01)`` (weight
    clipping), ``renorm(p=2.0, dim=0, maxnorm=0.25)`` (a max-norm constraint): a bound typed 2.5 for 0.25
    is another layer, though the ops are the same."""
    base = name.rstrip("_")
    tensor = args[0] if args else kwargs.get("input")
    if not isinstance(tensor, torch.Tensor) or tensor.dim() == 0:
        return None
    if base == "renorm":
        p, dim, most = arg(args, kwargs, 1, "p"), arg(args, kwargs, 2, "dim"), arg(args, kwargs, 3, "maxnorm")
        if not (_number(p) and _number(most) and isinstance(dim, int) and not isinstance(dim, bool)):
            return None
        return f"renorm(p={float(p)}, dim={dim % tensor.dim()}, maxnorm={float(most):g})"
    if base not in _CLAMPS:
        return None
    given = {k: arg(args, kwargs, i + 1, k) for i, k in enumerate(_CLAMPS[base])}
    if not all(v is None or _number(v) for v in given.values()) or all(v is None for v in given.values()):
        return None
    return "clamp(" + ", ".join(f"{k}={float(v):g}" for k, v in given.items() if v is not None) + ")"


def _moved_axes(name: str, args: tuple, kwargs: dict) -> str | None:
    """``flip(dims=(3,))`` for ``w.flip(3)`` and ``w.flip(-1)`` of a 4-D weight; ``fliplr`` / ``flipud``
    as the flips they are; ``roll`` and ``rot90`` with their shifts and axes."""
    tensor = args[0] if args else kwargs.get("input")
    if not isinstance(tensor, torch.Tensor) or tensor.dim() == 0:
        return None
    rank = tensor.dim()
    if name in ("fliplr", "flipud"):
        return f"flip(dims=({1 if name == 'fliplr' else 0},))"
    if name == "flip":
        dims = arg(args, kwargs, 1, "dims")
        dims = (dims,) if isinstance(dims, int) else dims
        if isinstance(dims, list | tuple) and all(isinstance(d, int) for d in dims):
            return f"flip(dims={tuple(sorted(d % rank for d in dims))})"
    if name in ("roll", "rot90"):
        first, dims = (
            (arg(args, kwargs, 1, "shifts"), arg(args, kwargs, 2, "dims"))
            if name == "roll"
            else (
                arg(args, kwargs, 1, "k", 1),
                arg(args, kwargs, 2, "dims", (0, 1)),
            )
        )
        dims = (dims,) if isinstance(dims, int) else dims
        if isinstance(dims, list | tuple) and all(isinstance(d, int) for d in dims):
            return f"{name}({first}, dims={tuple(d % rank for d in dims)})"
    return None


__all__ = ["arg", "normalize_args", "reduced_axes", "step_name"]
