"""A mean (max) over the factor axes of a view that splits H and W into blocks is the average (max)
pool over those blocks: ``x.reshape(N, C, H // 2, 2, W // 2, 2).mean((3, 5))`` compares clean with
``F.avg_pool2d(x, 2)``; a mean over other axes, or over blocks of another size, does not."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18

from resnet_verify.tracing.records import Trace
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Down(nn.Module):
    def __init__(self, spelling: str) -> None:
        super().__init__()
        self.spelling = spelling

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        if self.spelling == "avg_pool":
            return F.avg_pool2d(x, 2)
        if self.spelling == "max_pool":
            return F.max_pool2d(x, 2)
        if self.spelling == "blocks_mean":
            return x.reshape(n, c, h // 2, 2, w // 2, 2).mean((3, 5))
        if self.spelling == "blocks_amax":
            return x.reshape(n, c, h // 2, 2, w // 2, 2).amax((3, 5))
        return x.reshape(n, c, h // 4, 4, w // 4, 4).mean((3, 5))  # blocks of four: another pool


def _traced(spelling: str) -> Trace:
    model = resnet18(num_classes=10)
    model.maxpool = _Down(spelling)
    return trace(model, (3, 64, 64))


def _mismatches(a: str, b: str) -> int:
    return len(
        compare_traces(
            _traced(a), _traced(b), reference_name="r", candidate_name="c", num_classes=10
        ).mismatches
    )


@pytest.mark.parametrize(
    ("a", "b"), [("avg_pool", "blocks_mean"), ("blocks_mean", "avg_pool"), ("max_pool", "blocks_amax")]
)
def test_a_reduction_over_blocks_is_the_pool(a: str, b: str) -> None:
    assert _mismatches(a, b) == 0


@pytest.mark.parametrize(("a", "b"), [("avg_pool", "blocks4_mean"), ("max_pool", "blocks_mean")])
def test_another_window_or_reduction_differs(a: str, b: str) -> None:
    assert _mismatches(a, b) > 0
