"""An unpadded average pool and a 1x1 conv commute (tracing/commute.py): a shortcut written
conv-then-pool or pool-then-conv is one shortcut; a 3x3 conv does not commute with a pool."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Down(nn.Module):
    """A discriminator block: conv, ReLU, conv, pool on the main path; its shortcut conv and pool."""

    def __init__(self, pool_first: bool, k: int = 1) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.AvgPool2d(2)
        )
        self.proj = nn.Conv2d(8, 16, k, padding=k // 2)
        self.pool = nn.AvgPool2d(2)
        self.pool_first = pool_first

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = self.proj(self.pool(x)) if self.pool_first else self.pool(self.proj(x))
        return self.main(x) + skip


def _net(pool_first: bool, k: int = 1) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Down(pool_first, k))


def _diff(a: nn.Module, b: nn.Module) -> list[str]:
    c = compare_traces(trace(a, (1, 3, 32, 32)), trace(b, (1, 3, 32, 32)), reference_name="a", candidate_name="b",
                       num_classes=6)  # fmt: skip
    return [m.message for m in c.mismatches]


def test_pool_and_1x1_conv_in_either_order_compare_clean() -> None:
    with torch.device("meta"):
        assert not _diff(_net(True), _net(False))
        assert not _diff(_net(False), _net(True))
        assert not _diff(_net(True, 1), _net(True, 1))


def test_a_3x3_conv_does_not_commute_with_a_pool() -> None:
    with torch.device("meta"):
        assert _diff(_net(True, 3), _net(False, 3))
