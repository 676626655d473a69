"""A layer moved along one path of a block is said so (verify/diff.py): a ResNet-D shortcut whose average
pool comes after its 1x1 conv and BN (heldout138 xres_pool_after_idconv) was said to be applied "on the other
side of the residual add" with "outputs do not" match, where the eval outputs agree (the pool commutes with
the 1x1 conv and an eval BN) and only training differs. A ReLU moved across the add stays said so."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Down(nn.Module):
    def __init__(self, pool_first: bool = True, relu_after_add: bool = True) -> None:
        super().__init__()
        self.pool_first, self.relu_after_add = pool_first, relu_after_add
        self.conv1, self.bn1 = nn.Conv2d(8, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16)
        self.conv2, self.bn2 = nn.Conv2d(16, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16)
        self.pool = nn.AvgPool2d(2)
        self.proj, self.proj_bn = nn.Conv2d(8, 16, 1, bias=False), nn.BatchNorm2d(16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        skip = (
            self.proj_bn(self.proj(self.pool(x)))
            if self.pool_first
            else self.pool(self.proj_bn(self.proj(x)))
        )
        return torch.relu(out + skip) if self.relu_after_add else torch.relu(out) + skip


def _net(**kw: bool) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(), _Down(**kw),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4))  # fmt: skip


def _moves(**kw: bool) -> list[str]:
    r, c = trace(_net(), (3, 16, 16)), trace(_net(**kw), (3, 16, 16))
    comparison = compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)
    return [m.message for m in comparison.mismatches if m.field == "op_order"]


def test_a_pool_moved_along_the_shortcut_is_said_to_move_along_it() -> None:
    (message,) = _moves(pool_first=False)
    assert "avg pool is applied at another place on the shortcut" in message
    assert "other side of the residual add" not in message and "outputs do not" not in message


def test_a_relu_moved_across_the_add_is_still_said_to_cross_it() -> None:
    """Must not fire: a ReLU before the add where the reference's is after it did cross the add."""
    (message,) = _moves(relu_after_add=False)
    assert "ReLU is applied on the other side of the residual add" in message
