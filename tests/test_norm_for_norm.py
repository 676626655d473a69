"""Another norm where the reference's norm is no BatchNorm (DreamerV3's channel LayerNorm, written
between two permutes, for InstanceNorm2d; GroupNorm for it): one normalization_layer finding, whose
layers' other settings (eps, affine) and the permuted layout of the op after the norm follow from it.
A norm of the same type with another eps is no other norm."""

from __future__ import annotations

import pytest
import torch
from fixtures.pairs import patterns_of
from torch import nn

from resnet_verify.verify.records import Pattern


class _ChannelLN(nn.Module):
    def __init__(self, c: int, eps: float = 1e-3) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(c, eps=eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


def _norm(kind: str, c: int) -> nn.Module:
    if kind == "in":
        return nn.InstanceNorm2d(c)
    if kind == "gn":
        return nn.GroupNorm(4, c)
    return _ChannelLN(c, 1e-5 if kind == "ln_eps" else 1e-3)


class _Block(nn.Module):
    def __init__(self, c: int, kind: str) -> None:
        super().__init__()
        self.conv1, self.norm1 = nn.Conv2d(c, c, 3, padding=1, bias=False), _norm(kind, c)
        self.conv2, self.norm2 = nn.Conv2d(c, c, 3, padding=1, bias=False), _norm(kind, c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = nn.functional.silu(self.norm1(self.conv1(x)))
        return x + self.norm2(self.conv2(y))


def _net(kind: str) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1, bias=False), _norm(kind, 16), nn.SiLU(),
        *[_Block(16, kind) for _ in range(3)],
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )  # fmt: skip


@pytest.mark.parametrize(("ref", "cand"), [("ln", "in"), ("in", "ln"), ("ln", "gn")])
def test_another_norm_for_a_norm_is_one_normalization_finding(ref: str, cand: str) -> None:
    assert patterns_of(_net(ref), _net(cand), (3, 32, 32)) == {Pattern.NORMALIZATION}


def test_the_same_norm_with_another_eps_is_no_other_norm() -> None:
    assert Pattern.NORMALIZATION not in patterns_of(_net("ln"), _net("ln_eps"), (3, 32, 32))
