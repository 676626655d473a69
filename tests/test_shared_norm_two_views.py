"""A feature extractor run on two views (a stereo net's left and right images) runs its BatchNorms
twice: against the same extractor without norms there, the norms are the difference, not weights
shared; against one with a norm per view, one norm for both views is still weights shared."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Mismatch


class _TwoViews(nn.Module):
    def __init__(self, norms: str) -> None:
        super().__init__()
        self.norms = norms
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn_left = nn.BatchNorm2d(8) if norms != "none" else nn.Identity()
        self.bn_right = nn.BatchNorm2d(8) if norms == "per_view" else self.bn_left
        self.fc = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        left = torch.relu(self.bn_left(self.conv(x)))
        right = torch.relu(self.bn_right(self.conv(x.flip(3))))
        return self.fc(torch.cat([left.mean((2, 3)), right.mean((2, 3))], 1))


def _mismatches(ref: str, cand: str) -> list[Mismatch]:
    c = compare_traces(trace(_TwoViews(ref), (3, 8, 8)), trace(_TwoViews(cand), (3, 8, 8)),
                       reference_name="r", candidate_name="c", num_classes=10)  # fmt: skip
    return list(c.mismatches)


@pytest.mark.parametrize("swap", [False, True])
def test_norms_run_on_both_views_against_none_are_no_sharing(swap: bool) -> None:
    found = _mismatches(*(("none", "shared") if swap else ("shared", "none")))
    assert found
    assert not [m for m in found if m.field == "shared_params"]


@pytest.mark.parametrize("swap", [False, True])
def test_one_norm_for_both_views_against_one_per_view_is_sharing(swap: bool) -> None:
    found = _mismatches(*(("per_view", "shared") if swap else ("shared", "per_view")))
    assert [m.field for m in found] == ["shared_params"]
