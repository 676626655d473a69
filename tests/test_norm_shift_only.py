"""A norm that learns a shift but no scale (TensorFlow's ``batch_norm(scale=False)`` ported as
``F.batch_norm(x, ..., None, bias)``) is not ``affine=False``: it keeps its shift. Changed the same way
at every norm it is one described cause, its halved parameter counts with it; a norm with neither
scale nor shift is still the affine=False variant."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _Norm(nn.Module):
    def __init__(self, c: int, learned: str) -> None:
        super().__init__()
        self.learned = learned
        self.weight = nn.Parameter(torch.ones(c)) if learned == "both" else None
        self.bias = nn.Parameter(torch.zeros(c)) if learned != "none" else None
        self.running_mean: torch.Tensor
        self.running_var: torch.Tensor
        self.register_buffer("running_mean", torch.zeros(c))
        self.register_buffer("running_var", torch.ones(c))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, self.training)


def _unit(c_in: int, c: int, learned: str) -> nn.Module:
    return nn.Sequential(nn.Conv2d(c_in, c, 3, padding=1, bias=False), _Norm(c, learned), nn.ReLU())


class _Block(nn.Module):
    def __init__(self, c: int, learned: str) -> None:
        super().__init__()
        self.conv1, self.norm1 = nn.Conv2d(c, c, 3, padding=1, bias=False), _Norm(c, learned)
        self.conv2, self.norm2 = nn.Conv2d(c, c, 3, padding=1, bias=False), _Norm(c, learned)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.norm2(self.conv2(torch.relu(self.norm1(self.conv1(x))))))


def _net(learned: str) -> nn.Module:
    return nn.Sequential(
        _unit(3, 8, learned), _Block(8, learned), _Block(8, learned), _Block(8, learned),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10),
    )  # fmt: skip


def _compare(ref: str, cand: str) -> Comparison:
    return compare_traces(trace(_net(ref), (3, 8, 8)), trace(_net(cand), (3, 8, 8)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


@pytest.mark.parametrize("shift_only_is_candidate", [True, False])
def test_a_shift_without_a_scale_is_one_described_cause(shift_only_is_candidate: bool) -> None:
    c = _compare(*(("both", "shift") if shift_only_is_candidate else ("shift", "both")))
    (finding,) = c.findings
    assert finding.pattern is Pattern.DESCRIBED
    assert "shift only" in finding.message and "parameter counts" in finding.message
    assert set(finding.mismatches) == set(range(len(c.mismatches)))
    assert {m.field for m in c.mismatches} == {"learned", "params"}


def test_neither_scale_nor_shift_is_still_affine_false() -> None:
    c = _compare("both", "none")
    assert {f.pattern for f in c.findings} == {Pattern.NORMALIZATION}
