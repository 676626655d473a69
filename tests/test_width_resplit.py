"""Channels divided otherwise between parallel branches (an octave conv's alpha, a two-branch block's
split) with every total kept is no wider or narrower network: ``widths`` must not name it, either
way round; a network whose branches all widen still is one."""

from __future__ import annotations

import pytest
import torch
from fixtures.pairs import patterns_of
from torch import nn

from resnet_verify.verify.records import Pattern


class _Split(nn.Module):
    """Two 3x3 branches of ``a`` and ``width - a`` channels, concatenated, then BN, ReLU, a 1x1 and the skip."""

    def __init__(self, width: int, a: int) -> None:
        super().__init__()
        self.left, self.right = nn.Conv2d(width, a, 3, padding=1), nn.Conv2d(width, width - a, 3, padding=1)
        self.bn, self.mix = nn.BatchNorm2d(width), nn.Conv2d(width, width, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.mix(torch.relu(self.bn(torch.cat([self.left(x), self.right(x)], 1))))


def _net(a: int, width: int = 16) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, width, 3, padding=1), *[_Split(width, a * width // 16) for _ in range(3)],
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, 10),
    )  # fmt: skip


def _patterns(ref: nn.Module, cand: nn.Module) -> set[Pattern]:
    return patterns_of(ref, cand, (3, 32, 32))


@pytest.mark.parametrize("swap", [False, True])
def test_a_split_moved_between_branches_is_not_a_width_change(swap: bool) -> None:
    ref, cand = (_net(4), _net(8)) if swap else (_net(8), _net(4))
    assert Pattern.WIDTHS not in _patterns(ref, cand)


def test_a_network_widened_everywhere_is_still_widths() -> None:
    assert Pattern.WIDTHS in _patterns(_net(8), _net(8, width=32))
