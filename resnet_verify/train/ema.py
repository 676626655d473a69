"""An exponential moving average of a model's weights and buffers (``--ema-decay``).

The average is a second copy of the model whose every floating-point tensor of the state dict
(parameters and BatchNorm running statistics) moves towards the trained model's after each step:
``avg <- avg + (1 - d) * (w - avg)``. Integer buffers (``num_batches_tracked``) are copied. The
decay ramps up as ``min(decay, (1 + n) / (10 + n))`` over the first updates, so the average is not
dominated by the random initial weights in a short run.
"""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import nn


class WeightAverage:
    """EMA of ``model`` (the unwrapped module, not a DDP wrapper); ``.model`` is the averaged copy."""

    def __init__(self, model: nn.Module, decay: float) -> None:
        if not 0.0 < decay < 1.0:
            raise ValueError(f"EMA decay must be in (0, 1), got {decay}")
        self.decay = decay
        self.updates = 0
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        # state_dict() tensors share storage with the live parameters and buffers, and optimizers
        # update in place, so the pairs are collected once.
        src, dst = model.state_dict(), self.model.state_dict()
        self._float = [(dst[k], src[k]) for k in src if src[k].is_floating_point()]
        self._other = [(dst[k], src[k]) for k in src if not src[k].is_floating_point()]

    def current_decay(self) -> float:
        return min(self.decay, (1.0 + self.updates) / (10.0 + self.updates))

    @torch.no_grad()
    def update(self) -> None:
        weight = 1.0 - self.current_decay()
        self.updates += 1
        if self._float:
            avg, live = zip(*self._float)
            torch._foreach_lerp_(list(avg), list(live), weight)
        for avg_t, live_t in self._other:
            avg_t.copy_(live_t)

    def state_dict(self) -> dict[str, Any]:
        weights = {k: v.detach().to("cpu", copy=True) for k, v in self.model.state_dict().items()}
        return {"model": weights, "updates": self.updates, "decay": self.decay}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.model.load_state_dict(state["model"], strict=True)
        self.updates = int(state["updates"])
