"""Where a norm written as ops adds its epsilon is part of the norm (tracing/canonical.py ``_eps_at``; #23
heldout106's handgn_eps_outside_sqrt: ``(x - mean) / (var.sqrt() + eps)`` against ``(var + eps).sqrt()``
compared clean, a false "no difference")."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Norm(nn.Module):
    def __init__(self, spelling: str) -> None:
        super().__init__()
        self.spelling = spelling
        self.weight, self.bias = nn.Parameter(torch.ones(1, 8, 1, 1)), nn.Parameter(torch.zeros(1, 8, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        g = x.view(n, 2, -1)
        mean, var = g.mean(-1, keepdim=True), g.var(-1, keepdim=True)
        if self.spelling == "sqrt":
            g = (g - mean) / (var + 1e-5).sqrt()
        elif self.spelling == "rsqrt":
            g = (g - mean) * torch.rsqrt(var + 1e-5)
        else:  # "outside": the epsilon added to the root
            g = (g - mean) / (var.sqrt() + 1e-5)
        return g.view(n, c, h, w) * self.weight + self.bias


def _net(spelling: str) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Norm(spelling), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


@pytest.mark.parametrize(("spelling", "differs"), [("rsqrt", False), ("outside", True)])
def test_the_epsilon_under_or_over_the_root(spelling: str, differs: bool) -> None:
    c = compare_traces(trace(_net("sqrt"), (3, 8, 8)), trace(_net(spelling), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert any(m.field == "eps_at" for m in c.mismatches) is differs
