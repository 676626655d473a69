"""Each model gets the input it takes: a grayscale ResNet (``Conv2d(1, 64, 7, 2, 3)``) is fed one
channel, not failed for the three a reference takes.

The channel count is read off the trace, not guessed from module order: when the forward fails at
the first layer that reads the model's input (``Crash.input_ops`` holds ``INPUT_ID``) and that layer
is a conv built for other input channels, the model takes that many. Everything after the first conv
is then compared as usual; the difference is reported once, at that conv (``patterns/input_channels``).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from resnet_verify.tracing.records import INPUT_ID, Shape, Trace
from resnet_verify.tracing.tracer import trace


def channels_it_takes(traced: Trace) -> int | None:
    """The input channels the model's first conv is built for, when feeding it ``traced.input_shape``
    failed there for that reason alone; None otherwise."""
    crash = traced.crash
    if crash is None or INPUT_ID not in crash.input_ops or not crash.module_path:
        return None
    call = next((c for c in traced.modules if c.path == crash.module_path), None)
    if call is None or not call.type_name.startswith("Conv"):
        return None
    hp = dict(call.hparams)
    wanted, groups = hp.get("in_channels"), hp.get("groups", 1)
    if not isinstance(wanted, int) or not isinstance(groups, int) or wanted == traced.input_shape[1]:
        return None
    return wanted


def with_channels(shape: Shape, channels: int) -> torch.Size:
    """``shape`` fed ``channels`` instead (a whole shape: see ``tracer.normalize_input_shape``)."""
    return torch.Size((shape[0], channels, *shape[2:]))


def trace_as_it_takes(model: nn.Module, shape: Shape, *, owned: bool = False, **kwargs: Any) -> Trace:
    """``trace(model, shape)``, traced again on the channels its first conv takes when ``shape``'s fail
    there (the second trace works on a copy: an owned model was already traced in place)."""
    first = trace(model, torch.Size(shape), owned=owned, **kwargs)
    takes = channels_it_takes(first)
    return first if takes is None else trace(model, with_channels(shape, takes), **kwargs)


__all__ = ["channels_it_takes", "trace_as_it_takes", "with_channels"]
