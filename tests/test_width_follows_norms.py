"""What a width change carries with it in an ODE-style block: the GroupNorms' parameter counts, their
group counts where they follow the width (``GroupNorm(min(32, dim), dim)``), and the concatenation
of a time channel onto the narrower state; one widths finding for all of it, either way round. A
group count changed at the same width is no width."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _TimeConv(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.layer = nn.Conv2d(c + 1, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t = torch.ones_like(x[:, :1]) * 0.5
        return self.layer(torch.cat([t, x], 1))


class _OdeBlock(nn.Module):
    def __init__(self, c: int, groups: int) -> None:
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(groups, c), _TimeConv(c)
        self.norm2, self.conv2 = nn.GroupNorm(groups, c), _TimeConv(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv2(torch.relu(self.norm2(self.conv1(torch.relu(self.norm1(x))))))


def _net(c: int, groups: int | None = None) -> nn.Module:
    g = groups or min(32, c)
    return nn.Sequential(
        nn.Conv2d(3, c, 3, padding=1), nn.GroupNorm(g, c), nn.ReLU(),
        _OdeBlock(c, g), _OdeBlock(c, g), _OdeBlock(c, g),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10),
    )  # fmt: skip


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


@pytest.mark.parametrize("narrow_is_candidate", [True, False])
def test_norms_and_time_channels_follow_the_width(narrow_is_candidate: bool) -> None:
    wide, narrow = _net(16), _net(8)
    c = _compare(*((wide, narrow) if narrow_is_candidate else (narrow, wide)))
    (finding,) = c.findings
    assert finding.pattern is Pattern.WIDTHS
    assert set(finding.mismatches) == set(range(len(c.mismatches)))
    assert {m.field for m in c.mismatches} >= {"num_groups", "params", "output_shape"}


def test_a_group_count_changed_at_the_same_width_is_no_width() -> None:
    c = _compare(_net(16, groups=8), _net(16, groups=4))
    assert c.mismatches and Pattern.WIDTHS not in {f.pattern for f in c.findings}
