"""A BatchNorm told ``track_running_stats = False`` after it made its running statistics (a freeze
helper flipping the flag on every BN of a feature model) computes in eval what one that tracks them
computes: it was "no difference". Training never updates them, so the trained network is evaluated
with stale statistics: a normalization difference, said in those words, either way round. A BN built
without running statistics keeps its own meaning (batch statistics in eval too); both sides alike are
no difference."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _Net(nn.Module):
    def __init__(self, flag: str = "") -> None:
        super().__init__()
        built = flag != "built_off"
        self.stem = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8, track_running_stats=built), nn.ReLU()
        )
        self.body = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8, track_running_stats=built), nn.ReLU(),
            nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8, track_running_stats=built),
        )  # fmt: skip
        self.fc = nn.Linear(8, 3)
        if flag == "flipped":  # a freeze helper: frozen weights, the flag off, the buffers kept
            for m in self.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.track_running_stats = False
                    m.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = torch.relu(self.body(x) + x)
        return self.fc(x.mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 16), trace(cand, 16), reference_name="r", candidate_name="c", num_classes=3
    )


@pytest.mark.parametrize("swap", [False, True])
def test_the_flag_flipped_after_the_statistics_were_made_is_a_difference(swap: bool) -> None:
    cand, ref = _Net("flipped"), _Net()
    c = _compare(ref, cand) if swap else _compare(cand, ref)
    (f,) = [
        f for f in c.findings if any(c.mismatches[i].field == "track_running_stats" for i in f.mismatches)
    ]
    assert f.pattern is Pattern.NORMALIZATION
    assert "kept but never updated" in f.message
    assert sum(c.mismatches[i].field == "track_running_stats" for i in f.mismatches) == 3


def test_a_batchnorm_built_without_statistics_keeps_its_meaning() -> None:
    c = _compare(_Net("built_off"), _Net())
    (f,) = [f for f in c.findings if f.pattern is Pattern.NORMALIZATION]
    assert "the batch's own statistics in eval too" in f.message and "never updated" not in f.message


def test_both_sides_flipped_are_no_difference() -> None:
    assert not [
        m for m in _compare(_Net("flipped"), _Net("flipped")).mismatches if m.field == "track_running_stats"
    ]
