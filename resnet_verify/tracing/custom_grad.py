"""An op run inside a custom ``torch.autograd.Function``'s ``forward``: its backward is the user's.

Madry's robustness library's ``FakeReLU`` computes ReLU's clamp forward and passes every gradient
through backward (dead units included); a straight-through estimator, a gradient-reversal layer and
a custom checkpoint do the like. The forward ops are the ordinary ones, so compared by them alone
the network reads as unchanged, a false "no difference" for anything that trains or attacks through
it. The recorder asks, for each op, whether it runs in such a ``forward`` (its first argument, the
``ctx``, is autograd's backward node of the Function) and records the Function's name; a Function
whose forward runs a whole computation (RevNet's memory-saving coupling) recomputes it in the backward
with autograd's gradient, and keeps no name (``keep_gradient_functions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import FrameType

import torch

from resnet_verify.tracing.records import LAYOUT_KINDS, OpRecord, make_attrs

_DEPTH = 3  # frames above the op: forward itself, or a helper it calls


def custom_backward(caller: FrameType | None) -> tuple[str, object] | None:
    """The name of the custom autograd Function whose ``forward`` runs the op and that call's ``ctx``,
    else None. The ``ctx`` itself, not its id: a call's ``ctx`` may be freed once it returns (nothing
    keeps it on meta under no_grad), and a later call's could then reuse its id, joining two calls
    into one (whether it did hung on when the garbage collector ran: a twin compared with itself lost
    a Function's name on one side now and then)."""
    frame = caller
    for _ in range(_DEPTH):
        if frame is None:
            return None
        code = frame.f_code
        if code.co_name == "forward" and code.co_argcount >= 1 and code.co_varnames[0] != "self":
            ctx = frame.f_locals.get(code.co_varnames[0])
            if isinstance(ctx, torch.autograd.function.BackwardCFunction):
                return type(ctx).__name__.removesuffix("Backward"), ctx
        frame = frame.f_back
    return None


def keep_gradient_functions(ops: Sequence[OpRecord], calls: dict[object, list[int]]) -> tuple[OpRecord, ...]:
    """The Function's name kept on the ops of calls that run one op (a straight-through or fake
    activation, a gradient reversal, guided backprop's ReLU: there to change that op's gradient), taken
    off calls that run a whole computation (RevNet's coupling, a checkpoint: there to recompute it in
    the backward and save memory, whose gradient is autograd's own)."""
    out = list(ops)
    for ids in calls.values():
        if sum(out[i].kind not in LAYOUT_KINDS for i in ids) > 1:
            for i in ids:
                a = {k: v for k, v in out[i].attrs if k != "custom_backward"}
                out[i] = replace(out[i], attrs=make_attrs(a))
    return tuple(out)


__all__ = ["custom_backward", "keep_gradient_functions"]
