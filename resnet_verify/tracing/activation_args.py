"""The numbers an activation is given (LeakyReLU's slope, ELU's alpha, GELU's approximation ...),
each with torch's default filled in, so ``F.leaky_relu(x)`` and ``nn.LeakyReLU(0.01)`` are one
spelling and a slope of 0.01 where the network has 0.1 (FixMatch's WideResNet) is a difference
the diff sees: without them two activations of one function compare equal whatever they compute.
"""

from __future__ import annotations

from typing import Any

from resnet_verify.tracing.op_args import arg

# function -> (argument name, position after the input, torch's default); ``None``: keyword-only
_ARGUMENTS: dict[str, tuple[tuple[str, int | None, Any], ...]] = {
    "leaky_relu": (("negative_slope", 1, 0.01),),
    "elu": (("alpha", 1, 1.0),),
    "celu": (("alpha", 1, 1.0),),
    "hardtanh": (("min_val", 1, -1.0), ("max_val", 2, 1.0)),
    "softplus": (("beta", 1, 1.0), ("threshold", 2, 20.0)),
    "threshold": (("threshold", 1, None), ("value", 2, None)),
    "rrelu": (("lower", 1, 1.0 / 8), ("upper", 2, 1.0 / 3)),
    "gelu": (("approximate", None, "none"),),
    "glu": (("dim", 1, -1),),
}


def activation_arguments(function: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``{"negative_slope": 0.1}`` for ``leaky_relu(x, 0.1)``; ``{}`` for a function without any."""
    out: dict[str, Any] = {}
    for name, position, default in _ARGUMENTS.get(function, ()):
        value = arg(args, kwargs, position if position is not None else len(args) + 1, name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            continue  # a tensor slope (PReLU's is a parameter, not an argument) or an odd call
        out[name] = float(value) if isinstance(value, (int, float)) else value
    return out
