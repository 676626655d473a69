"""An op's axis argument read on its input's canonical axes: attention-MIL code transposes the N x 1
scores to 1 x N and takes the softmax over the last axis (the tiles); a softmax over the last axis of
the untransposed scores is over the single attention branch, every weight 1. Read as recorded both
were ``dim=2``: no difference, a false "no difference". Read through the transpose they differ; the
same softmax written before or after the transpose is the same op."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


class _MIL(nn.Module):
    """A small conv encoder over a bag of tiles, attention scores per tile, a weighted sum, a classifier."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.encoder = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.block = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))
        self.score = nn.Linear(8, 1)
        self.fc = nn.Linear(8, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        tiles = x.reshape(-1, 3, 8, 8)  # the bag: one image cut into rows of tiles
        h = self.encoder(tiles)
        h = torch.relu(self.block(h) + h).mean((2, 3)).unsqueeze(0)  # 1 x n x 8
        a = self.score(h)  # 1 x n x 1
        if self.how == "transpose_first":
            w = F.softmax(a.transpose(2, 1), dim=-1)  # over the tiles
        elif self.how == "softmax_first":
            w = F.softmax(a, dim=1).transpose(2, 1)  # the same, written the other way
        else:
            w = F.softmax(a, dim=-1).transpose(2, 1)  # over the one branch: every weight 1
        return self.fc(torch.bmm(w, h).squeeze(1))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    size = (3, 32, 8)
    return compare_traces(
        trace(ref, size), trace(cand, size), reference_name="r", candidate_name="c", num_classes=2
    )


@pytest.mark.parametrize("swap", [False, True])
def test_a_softmax_over_another_axis_after_a_transpose_is_a_difference(swap: bool) -> None:
    cand, ref = _MIL("last_axis"), _MIL("transpose_first")
    c = _compare(ref, cand) if swap else _compare(cand, ref)
    (m,) = [m for m in c.mismatches if m.field == "dim"]
    assert {m.expected, m.actual} == {1, 2}


def test_the_same_softmax_before_or_after_the_transpose_is_no_difference() -> None:
    assert _compare(_MIL("softmax_first"), _MIL("transpose_first")).mismatches == ()
