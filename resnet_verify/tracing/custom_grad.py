"""An op run inside a custom ``torch.autograd.Function``'s ``forward``: its backward is the user's.

Madry's robustness library's ``FakeReLU`` computes ReLU's clamp forward and passes every gradient
through backward (dead units included); a straight-through estimator, a gradient-reversal layer and
a custom checkpoint do the like. The forward ops are the ordinary ones, so compared by them alone
the network reads as unchanged, a false "no difference" for anything that trains or attacks through
it. The recorder asks, for each op, whether it runs in such a ``forward`` (its first argument, the
``ctx``, is autograd's backward node of the Function) and records the Function's name.
"""

from __future__ import annotations

from types import FrameType

import torch

_DEPTH = 3  # frames above the op: forward itself, or a helper it calls


def custom_backward(caller: FrameType | None) -> str | None:
    """The name of the custom autograd Function whose ``forward`` runs the op, else None."""
    frame = caller
    for _ in range(_DEPTH):
        if frame is None:
            return None
        code = frame.f_code
        if code.co_name == "forward" and code.co_argcount >= 1 and code.co_varnames[0] != "self":
            ctx = frame.f_locals.get(code.co_varnames[0])
            if isinstance(ctx, torch.autograd.function.BackwardCFunction):
                return type(ctx).__name__.removesuffix("Backward")
        frame = frame.f_back
    return None


__all__ = ["custom_backward"]
