"""A ReLU written ``x.clamp(min=0)`` is the ReLU it computes, but its backward reads its input, not its
output: an in-place write into its result (mmdetection's FCOS head: ``bbox_pred.clamp(min=0)`` then
``bbox_pred *= stride``) breaks nothing, and saying the backward fails would be a wrong claim. Into
``torch.relu``'s result the same write does break it. Each claim checked against torch's own backward."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Head(nn.Module):
    def __init__(self, act: str, inplace: bool) -> None:
        super().__init__()
        self.act, self.inplace = act, inplace
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.body = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))
        self.box = nn.Conv2d(8, 4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        b = self.box(torch.relu(self.body(x) + x))
        b = b.clamp(min=0) if self.act == "clamp" else torch.relu(b)
        if self.inplace:
            b *= 8.0
        else:
            b = b * 8.0
        return b.flatten(1)


def _backward_runs(model: nn.Module) -> bool:
    try:
        model(torch.randn(2, 3, 8, 8)).sum().backward()
    except RuntimeError:
        return False
    return True


@pytest.mark.parametrize("act", ["clamp", "relu"])
def test_a_backward_failure_is_claimed_only_where_torch_raises(act: str) -> None:
    cand, ref = _Head(act, inplace=True), _Head(act, inplace=False)
    c = compare_traces(trace(ref, 8), trace(cand, 8), reference_name="r", candidate_name="c", num_classes=256)
    claimed = any(m.field == "backward" for m in c.mismatches)
    assert claimed == (not _backward_runs(cand))
    assert _backward_runs(ref)


def test_an_in_place_multiply_that_breaks_nothing_is_no_difference() -> None:
    # ``b *= 8`` computes ``b * 8``: the function is the same op, and into a clamp's result it breaks nothing
    cand, ref = _Head("clamp", inplace=True), _Head("clamp", inplace=False)
    c = compare_traces(trace(ref, 8), trace(cand, 8), reference_name="r", candidate_name="c", num_classes=256)
    assert c.mismatches == ()
