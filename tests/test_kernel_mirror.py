"""A symmetric kernel as a parametrization, ``(w + w.flip(axis)) / 2``: mirrored left-right is not mirrored
up-down. Read by name alone both were ``flip``: compared clean, a false "no difference". The axis is
read on the weight's own axes, so ``flip(-1)`` and ``flip(3)`` of a 4-D kernel are one mirror."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils import parametrize

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


class _Mirror(nn.Module):
    def __init__(self, axis: int) -> None:
        super().__init__()
        self.axis = axis

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        return (w + w.flip(self.axis)) * 0.5


class _Net(nn.Module):
    def __init__(self, axis: int) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.conv = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        parametrize.register_parametrization(self.conv, "weight", _Mirror(axis))
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = torch.relu(self.bn(self.conv(x)) + x)
        return self.fc(x.mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 16), trace(cand, 16), reference_name="r", candidate_name="c", num_classes=3
    )


def test_an_up_down_mirror_is_not_a_left_right_one() -> None:
    (m,) = _compare(_Net(2), _Net(3)).mismatches
    assert (
        m.field == "param_ops" and "flip(dims=(2,))" in str(m.actual) and "flip(dims=(3,))" in str(m.expected)
    )


def test_the_last_axis_counted_from_either_end_is_one_mirror() -> None:
    assert _compare(_Net(-1), _Net(3)).mismatches == ()
