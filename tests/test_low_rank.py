"""A kxk conv written as a low-rank pair (kxk to r channels, read directly by a 1x1 back to the
layer's width) is described as that factorisation, either direction, claiming every mismatch and
naming no width; a 1x1 after a norm and activation (a real extra layer) and two pairs of different
ranks are not it."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


def _conv(c: int, how: str) -> nn.Module:
    if how == "full":
        return nn.Conv2d(c, c, 3, padding=1, bias=False)
    if how.startswith("rank"):
        r = int(how[4:])
        return nn.Sequential(nn.Conv2d(c, r, 3, padding=1, bias=False), nn.Conv2d(r, c, 1, bias=False))
    assert how == "extra_layer"  # conv, BN, ReLU, then a 1x1: another layer, not a factorisation
    r = c // 4
    return nn.Sequential(nn.Conv2d(c, r, 3, padding=1, bias=False), nn.BatchNorm2d(r), nn.ReLU(),
                         nn.Conv2d(r, c, 1, bias=False))  # fmt: skip


class _Block(nn.Module):
    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.conv1, self.bn1 = _conv(c, how), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = _conv(c, how), nn.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))


def _net(how: str) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        _Block(32, "full"), _Block(32, how), _Block(32, how),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),
    )  # fmt: skip


def _compare(ref: str, cand: str) -> Comparison:
    return compare_traces(trace(_net(ref), (3, 16, 16)), trace(_net(cand), (3, 16, 16)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


def _low_rank(c: Comparison) -> list[str]:
    return [f.message for f in c.findings if "low-rank" in f.title]


@pytest.mark.parametrize(("ref", "cand"), [("full", "rank8"), ("rank8", "full")])
def test_a_low_rank_pair_is_described_as_one(ref: str, cand: str) -> None:
    c = _compare(ref, cand)
    found = [f for f in c.findings if "low-rank" in f.title]
    assert len(found) == 1 and found[0].pattern is Pattern.DESCRIBED, [f.title for f in c.findings]
    assert "rank-8" in found[0].message
    assert set(found[0].mismatches) == set(range(len(c.mismatches)))
    assert not {f.pattern for f in c.findings} & {Pattern.WIDTHS, Pattern.EXTRA_MODULE}


@pytest.mark.parametrize(("ref", "cand"), [("full", "extra_layer"), ("rank8", "rank4")])
def test_another_layer_or_rank_is_no_low_rank_factorisation(ref: str, cand: str) -> None:
    c = _compare(ref, cand)
    assert c.mismatches
    assert not _low_rank(c), _low_rank(c)
