"""Network slimming's channel selection (a BN's output indexed by a buffer of kept channels) in a
network whose layers are pruned: the channels each selection keeps are the widths' doing, either
direction; a selection that alone keeps other channels (no layer's width differs) names no widths."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _Select(nn.Module):
    index: torch.Tensor

    def __init__(self, channels: int, keep: int) -> None:
        super().__init__()
        self.register_buffer("index", torch.arange(keep))
        self.channels = channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x[:, self.index]


class _Block(nn.Module):
    def __init__(self, c: int, mid: int) -> None:
        super().__init__()
        self.bn1, self.select = nn.BatchNorm2d(c), _Select(c, c if mid == c else mid)
        self.conv1 = nn.Conv2d(mid, mid, 3, padding=1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(mid), nn.Conv2d(mid, c, 3, padding=1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv1(torch.relu(self.select(self.bn1(x))))
        return x + self.conv2(torch.relu(self.bn2(y)))


def _net(mids: tuple[int, ...], head_keep: int = 16) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1, bias=False), *(_Block(16, m) for m in mids),
        nn.BatchNorm2d(16), _Select(16, head_keep), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(head_keep, 10),
    )  # fmt: skip


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 16, 16)), trace(cand, (3, 16, 16)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


@pytest.mark.parametrize("pruned_is_reference", [True, False])
def test_the_kept_channels_of_a_pruned_network_are_its_widths(pruned_is_reference: bool) -> None:
    pruned, full = _net((9, 12, 7)), _net((16, 16, 16))
    c = _compare(pruned, full) if pruned_is_reference else _compare(full, pruned)
    widths = [f for f in c.findings if f.pattern is Pattern.WIDTHS]
    assert len(widths) == 1, [f.title for f in c.findings]
    assert set(widths[0].mismatches) == set(range(len(c.mismatches))), [m.message for m in c.mismatches]


def test_a_selection_alone_keeping_other_channels_is_no_width() -> None:
    c = _compare(_net((16, 16)), _net((16, 16), head_keep=12))
    assert c.mismatches
    assert Pattern.WIDTHS not in {f.pattern for f in c.findings}, [f.title for f in c.findings]
