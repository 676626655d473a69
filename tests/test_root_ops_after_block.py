"""An op the root's forward runs between two towers of blocks (MuZero's min-max scaling of the hidden
state) is the root's, on both sides, though the block structure reads it as the tail of the last
block before it: a scaling left out is located at the model's forward, not in that block; an op the
block's own forward runs keeps the block's place."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Mismatch


def _min_max(s: torch.Tensor) -> torch.Tensor:
    low, high = s.amin((2, 3), keepdim=True), s.amax((2, 3), keepdim=True)
    return (s - low) / (high - low + 1e-5)


class _Residual(nn.Module):
    def __init__(self, c: int, scale_inside: bool = False) -> None:
        super().__init__()
        self.scale_inside = scale_inside
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(x + self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))
        return torch.tanh(y) if self.scale_inside else y  # a bounded state, squashed in the block


class _TwoTowers(nn.Module):
    def __init__(self, scaled: str) -> None:
        super().__init__()
        self.scaled = scaled
        self.represent = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Residual(8, scaled == "inside"))
        self.predict = nn.Sequential(_Residual(8), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        state = self.represent(x)
        return self.predict(_min_max(state) if self.scaled == "root" else state)


def _mismatches(ref: str, cand: str) -> list[Mismatch]:
    c = compare_traces(trace(_TwoTowers(ref), (3, 8, 8)), trace(_TwoTowers(cand), (3, 8, 8)),
                       reference_name="r", candidate_name="c", num_classes=10)  # fmt: skip
    return list(c.mismatches)


@pytest.mark.parametrize("scaled_is_reference", [True, False])
def test_a_scaling_in_the_roots_forward_is_placed_there(scaled_is_reference: bool) -> None:
    found = _mismatches(*(("root", "none") if scaled_is_reference else ("none", "root")))
    assert found
    assert {(m.reference_path, m.candidate_path) for m in found} == {("", "")}
    assert all("the model's forward (after represent.1)" in m.message for m in found)


@pytest.mark.parametrize("scaled_is_reference", [True, False])
def test_a_scaling_in_the_blocks_forward_stays_the_blocks(scaled_is_reference: bool) -> None:
    found = _mismatches(*(("inside", "none") if scaled_is_reference else ("none", "inside")))
    assert found
    assert {(m.reference_path, m.candidate_path) for m in found} == {("represent.1", "represent.1")}
