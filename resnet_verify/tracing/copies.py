"""The copies a trace runs: on meta (shapes only) or real on the CPU, never the model the user built."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from resnet_verify.specs.usercode import copy_model


def meta_copy(model: nn.Module) -> nn.Module:
    """A copy whose every tensor is on meta: shapes, no values (shared tensors stay shared)."""
    memo: dict[int, Any] = {}
    for tensor in list(model.parameters()) + list(model.buffers()):
        if id(tensor) in memo:
            continue
        meta = tensor.detach().to("meta")
        if isinstance(tensor, nn.Parameter):
            meta = nn.Parameter(meta, requires_grad=tensor.requires_grad)
        memo[id(tensor)] = meta
    return copy_model(model, memo)


def cpu_copy(model: nn.Module) -> nn.Module:
    """A real copy on the CPU; a model built on meta given storage and plain values."""
    real = copy_model(model)
    if any(t.is_meta for t in (*real.parameters(), *real.buffers())):
        # A model built on meta (no data) whose forward needs real tensors (it concatenates a
        # torch.zeros made on the CPU): storage for the same tensors, given plain values; a meta
        # model has no weights to keep.
        nn.Module.to_empty(real, device="cpu")
        with torch.no_grad():
            for t in (*real.parameters(), *real.buffers()):
                if t.is_floating_point():
                    t.normal_(0.0, 0.02) if isinstance(t, nn.Parameter) else t.fill_(1.0)
                else:
                    t.zero_()
        return real
    nn.Module.to(real, "cpu")  # never a user's `to` override, which may return None
    return real


__all__ = ["cpu_copy", "meta_copy"]
