"""A block whose main path opens with a channel slice (a reversible block reading its half) and then
BN-ReLU-conv is pre-activation: the slice selects, computes nothing. Two pre-activation RevNets that
differ in what G reads are not told apart by ``pre_activation``, either way round."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.patterns.blocks import is_pre_activation
from resnet_verify.verify.records import Pattern


def _unit(c: int) -> nn.Module:
    return nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c, 3, padding=1))


class _Rev(nn.Module):
    def __init__(self, g_on_x1: bool) -> None:
        super().__init__()
        self.f, self.g, self.g_on_x1 = _unit(8), _unit(8), g_on_x1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = x[:, :8], x[:, 8:]
        y1 = x1 + self.f(x2)
        y2 = x2 + self.g(x1 if self.g_on_x1 else y1)
        return torch.cat([y1, y2], 1)


def _net(g_on_x1: bool) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), _Rev(g_on_x1), _Rev(g_on_x1), _Rev(g_on_x1),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))  # fmt: skip


def test_a_sliced_bn_relu_conv_block_is_pre_activation() -> None:
    assert is_pre_activation(trace(_net(False), (3, 16, 16)))


@pytest.mark.parametrize("swap", [False, True])
def test_the_heldout_revnet_with_g_on_x1_is_not_pre_activation_against_its_builder(swap: bool) -> None:
    batch = Path(__file__).resolve().parent / "fixtures" / "heldout" / "batch31_rev.py"
    a, b = (
        trace(build_model(f"{batch}:{n}", num_classes=10)[0], (3, 32, 32)) for n in ("revnet", "rev_g_on_x1")
    )
    assert is_pre_activation(a) and is_pre_activation(b)
    ref, cand = (b, a) if swap else (a, b)
    c = compare_traces(ref, cand, reference_name="r", candidate_name="c", num_classes=10)
    assert c.mismatches and Pattern.PRE_ACTIVATION not in {f.pattern for f in c.findings}


@pytest.mark.parametrize("swap", [False, True])
def test_two_pre_activation_revnets_are_not_told_apart_as_pre_activation(swap: bool) -> None:
    a, b = trace(_net(False), (3, 16, 16)), trace(_net(True), (3, 16, 16))
    ref, cand = (b, a) if swap else (a, b)
    c = compare_traces(ref, cand, reference_name="r", candidate_name="c", num_classes=10)
    assert c.mismatches and Pattern.PRE_ACTIVATION not in {f.pattern for f in c.findings}
