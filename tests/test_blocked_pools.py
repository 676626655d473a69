"""A mean (max) over the factor axes of a view that splits H and W into blocks is the average (max)
pool over those blocks: ``x.reshape(N, C, H // 2, 2, W // 2, 2).mean((3, 5))`` compares clean with
``F.avg_pool2d(x, 2)``; a mean over other axes, or over blocks of another size, does not. The converse,
a repeat into blocks, is nearest-neighbour upsampling."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18

from resnet_verify.specs.builders import build_model
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


def _ncsnpp(name: str) -> Trace:
    batch = Path(__file__).resolve().parent / "fixtures" / "heldout" / "batch72_ncsnpp.py"
    return trace(build_model(f"{batch}:{name}", num_classes=10, device="meta")[0], (3, 32, 32))


@pytest.mark.parametrize("swap", [False, True])
def test_score_sde_naive_resampling_is_the_pool_and_the_nearest_upsampling(swap: bool) -> None:
    # naive_downsample_2d / naive_upsample_2d (reshape + mean, reshape + repeat) against F.avg_pool2d and
    # F.interpolate(mode="nearest") in the same NCSN++ blocks
    a, b = _ncsnpp("ncsnpp32"), _ncsnpp("ncsnpp_pool_spelling")
    ref, cand = (b, a) if swap else (a, b)
    assert not compare_traces(ref, cand, reference_name="r", candidate_name="c", num_classes=10).mismatches
