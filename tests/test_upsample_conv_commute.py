"""Nearest upsampling and a 1x1 conv commute (tracing/commute.py): BigGAN's upsampling shortcut written
upsample-then-conv or conv-then-upsample is one shortcut; a 3x3 conv, or a bilinear upsampling, does not
commute."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Up(nn.Module):
    """A generator block: upsample, conv, ReLU, conv on the main path; its shortcut conv and upsample."""

    def __init__(self, up_first: bool, k: int = 1, mode: str = "nearest") -> None:
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(8, 16, 3, padding=1), nn.Conv2d(16, 16, 3, padding=1)
        self.proj = nn.Conv2d(8, 16, k, padding=k // 2)
        self.up_first, self.mode = up_first, mode

    def up(self, x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x, scale_factor=2, mode=self.mode)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = self.proj(self.up(x)) if self.up_first else self.up(self.proj(x))
        return self.conv2(F.relu(self.conv1(self.up(x)))) + skip


def _diff(a: nn.Module, b: nn.Module) -> list[str]:
    c = compare_traces(trace(a, (1, 3, 32, 32)), trace(b, (1, 3, 32, 32)), reference_name="a", candidate_name="b",
                       num_classes=6)  # fmt: skip
    return [m.message for m in c.mismatches]


def _net(up_first: bool, k: int = 1, mode: str = "nearest") -> nn.Module:
    with torch.device("meta"):
        return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Up(up_first, k, mode))


def test_nearest_upsampling_and_a_1x1_conv_in_either_order_compare_clean() -> None:
    assert not _diff(_net(True), _net(False))
    assert not _diff(_net(False), _net(True))


@pytest.mark.parametrize(("k", "mode"), [(3, "nearest"), (1, "bilinear")])
def test_a_wider_conv_or_an_interpolating_upsampling_does_not_commute(k: int, mode: str) -> None:
    assert _diff(_net(True, k, mode), _net(False, k, mode))
