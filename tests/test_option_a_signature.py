"""Option A's whole signature: the other side projects with a 1x1 conv that widens, and this side
subsamples and zero-pads those new channels. A slice where the other side's skip runs a 3x3 conv of
the same width is another edit, described, never option A."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from fixtures.pairs import patterns_of
from torch import nn

from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self, cin: int, cout: int, shortcut: str) -> None:
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, 2, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.shortcut, self.cout = shortcut, cout
        self.proj = {
            "b": nn.Conv2d(cin, cout, 1, 2, bias=False),
            "k3": nn.Conv2d(cin, cout, 3, 2, 1, bias=False),
        }.get(shortcut, nn.Identity())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        if self.shortcut in ("b", "k3"):
            skip = self.proj(x)
        else:
            skip = x[:, :, ::2, ::2]
            skip = F.pad(skip, (0, 0, 0, 0, 0, self.cout - x.shape[1])) if self.shortcut == "a" else skip
        return torch.relu(out + skip)


def _net(shortcut: str, widen: bool = True) -> nn.Module:
    c2, c3 = (16, 32) if widen else (8, 8)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Block(8, c2, shortcut), _Block(c2, c3, shortcut),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c3, 10))  # fmt: skip


def _patterns(ref: nn.Module, cand: nn.Module) -> set[Pattern]:
    return patterns_of(ref, cand, (3, 32, 32))


@pytest.mark.parametrize("swap", [False, True])
def test_zero_padding_against_a_widening_1x1_is_option_a(swap: bool) -> None:
    a, b = _net("b"), _net("a")
    assert Pattern.OPTION_A_SHORTCUT in _patterns(*((b, a) if swap else (a, b)))


def test_a_slice_against_a_3x3_skip_conv_is_not_option_a() -> None:
    assert Pattern.OPTION_A_SHORTCUT not in _patterns(_net("k3", widen=False), _net("slice", widen=False))
