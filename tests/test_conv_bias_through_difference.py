"""A conv bias reaches a BatchNorm through arithmetic that keeps a per-channel constant one: a
central-difference conv (face anti-spoofing's CDCN) computes ``conv(x) - theta * conv_1x1(x, w.sum)``
with the same bias in both terms, a per-channel constant the BN then cancels. Named
conv_bias_before_bn either way round, counted by layer (the two convs share one bias). A bias that
reaches the norm only after a gate multiplies the map per position is not cancelled: not named."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _CentralDiff(nn.Module):
    """A 3x3 conv minus theta times the 1x1 conv by its kernel's sum, one bias for both."""

    def __init__(self, cin: int, cout: int, bias: bool, how: str = "cdc") -> None:
        super().__init__()
        self.inner = nn.Conv2d(cin, cout, 3, padding=1, bias=bias)
        self.how, self.theta = how, 0.6

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        plain = self.inner(x)
        if self.how == "gated":  # a per-position gate between the conv and its norm
            return plain * torch.sigmoid(x.mean(1, keepdim=True))
        kernel = self.inner.weight.sum((2, 3), keepdim=True)
        diff = F.conv2d(x, kernel, self.inner.bias)
        return plain - self.theta * diff


class _Net(nn.Module):
    def __init__(self, bias: bool, how: str = "cdc") -> None:
        super().__init__()
        self.stem = nn.Sequential(_CentralDiff(3, 8, bias, how), nn.BatchNorm2d(8), nn.ReLU())
        self.body = nn.Sequential(
            _CentralDiff(8, 8, bias, how), nn.BatchNorm2d(8), nn.ReLU(),
            _CentralDiff(8, 8, bias, how), nn.BatchNorm2d(8),
        )  # fmt: skip
        self.fc = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = torch.relu(self.body(x) + x)
        return self.fc(x.mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 16), trace(cand, 16), reference_name="r", candidate_name="c", num_classes=3
    )


@pytest.mark.parametrize("swap", [False, True])
def test_a_bias_through_a_central_difference_is_named(swap: bool) -> None:
    cand, ref = _Net(bias=True), _Net(bias=False)
    c = _compare(ref, cand) if swap else _compare(cand, ref)
    (f,) = c.findings
    assert f.pattern is Pattern.BIAS_BEFORE_BN
    assert set(f.mismatches) == set(range(len(c.mismatches)))
    assert "3 convolutions followed by BatchNorm" in f.message


def test_a_bias_behind_a_gate_is_not_named() -> None:
    c = _compare(_Net(bias=True, how="gated"), _Net(bias=False, how="gated"))
    assert c.mismatches and Pattern.BIAS_BEFORE_BN not in {f.pattern for f in c.findings}
