"""A model with lazy layers (``nn.LazyConv2d``, ``nn.LazyLinear``, ``nn.LazyBatchNorm2d``) is traced as its
first call makes it.

Until a forward has run, a lazy layer's parameters are ``UninitializedParameter``s with no shape: every
count, copy and meta tensor of the trace fails on them (d2l's ResNet is written with lazy layers
throughout). The network they stand for is the one the first batch makes, so a copy is materialised by
one forward of a zero batch of the traced shape, in eval mode and without gradients (no running
statistic moves), and that copy is traced; the user's model is never called.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn.parameter import UninitializedBuffer, UninitializedParameter, is_lazy

from resnet_verify.specs.usercode import copy_model, model_output, set_training


def has_lazy(model: nn.Module) -> bool:
    return any(is_lazy(t) for t in (*model.parameters(), *model.buffers()))


def materialized(model: nn.Module, shape: tuple[int, ...]) -> nn.Module:
    """A copy of ``model`` after one forward of zeros shaped ``shape`` (its lazy layers' shapes set);
    a forward that fails leaves the copy as it is, for the trace to report."""
    # an uninitialised parameter cannot be deep-copied: the copy gets a fresh one in its place
    memo: dict[int, Any] = {
        id(t): type(t)(requires_grad=t.requires_grad)
        for t in (*model.parameters(), *model.buffers())
        if isinstance(t, (UninitializedParameter, UninitializedBuffer))
    }
    copied = copy_model(model, memo)  # (a UsageError naming the failure where it cannot be copied)
    set_training(copied, False)
    try:
        with torch.no_grad(), model_output():
            copied(torch.zeros(shape))
    except Exception:  # the trace runs the same forward and says why it fails
        pass
    return copied


__all__ = ["has_lazy", "materialized"]
