"""Every block's add removed from a network that returns several maps (a detection backbone with one
head per task): its live convolutions are those feeding every returned map, not the last one only, so
it is the reference with its adds gone (residual_add_missing), not "another kind of network"; either
way round. A head that differs as well is not that."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self, c: int, add: bool) -> None:
        super().__init__()
        self.add = add
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(out + x if self.add else out)


class _Heads(nn.Module):
    def __init__(self, add: bool = True, wide_box: bool = False) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.blocks = nn.Sequential(*(_Block(8, add) for _ in range(3)))
        self.heatmap = nn.Conv2d(8, 3, 3, padding=1)
        self.box = (
            nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 3, padding=1))
            if (wide_box)
            else nn.Conv2d(8, 4, 3, padding=1)
        )
        self.depth = nn.Conv2d(8, 1, 3, padding=1)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        f = self.blocks(self.stem(x))
        return {"heatmap": self.heatmap(f), "box": self.box(f), "depth": self.depth(f)}


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 16, 16)), trace(cand, (3, 16, 16)), reference_name="r",
                          candidate_name="c", num_classes=3)  # fmt: skip


@pytest.mark.parametrize("swap", [False, True])
def test_adds_removed_under_several_heads_is_residual_add_missing(swap: bool) -> None:
    plain, residual = _Heads(add=False), _Heads()
    c = _compare(residual, plain) if swap else _compare(plain, residual)
    assert [f.pattern for f in c.findings] == [Pattern.RESIDUAL_ADD_MISSING]


def test_a_head_that_differs_too_is_not_only_the_adds() -> None:
    c = _compare(_Heads(add=False, wide_box=True), _Heads())
    assert Pattern.RESIDUAL_ADD_MISSING not in {f.pattern for f in c.findings}
