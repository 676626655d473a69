"""``x.view(n, c, -1).max(-1)[0]`` (and ``.max(dim=2).values``) is the global max pool that
``F.adaptive_max_pool2d(x, 1)`` and ``torch.amax(x, (2, 3))`` compute (CBAM's channel attention is
written every way), and ``x.min(d)[0]`` is ``torch.amin(x, d)``: one spelling, either direction. A max
over the channels, or a min for a max, still differs."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


def _max(x: torch.Tensor, how: str) -> torch.Tensor:
    n, c = x.shape[:2]
    if how == "adaptive":
        return F.adaptive_max_pool2d(x, 1).flatten(1)
    if how == "amax":
        return torch.amax(x, dim=(2, 3))
    if how == "view_max":
        return x.view(n, c, -1).max(-1)[0]
    if how == "flatten_max_values":
        return x.flatten(2).max(dim=2).values
    if how == "view_min":
        return x.view(n, c, -1).min(-1)[0]
    if how == "amin":
        return torch.amin(x.flatten(2), dim=2)
    assert how == "channel_max"  # over the channels: another reduction, kept to the same shape
    return x.max(1)[0].flatten(1)[:, :c]


class _Gate(nn.Module):
    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.how, self.fc = how, nn.Linear(c, c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.fc(_max(x, self.how)))[:, :, None, None]


def _net(how: str) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), _Gate(16, how),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )  # fmt: skip


def _mismatches(ref: str, cand: str) -> list[str]:
    c = compare_traces(trace(_net(ref), (3, 8, 8)), trace(_net(cand), (3, 8, 8)), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    return [m.message for m in c.mismatches]


@pytest.mark.parametrize(
    ("one", "other"),
    [("adaptive", "view_max"), ("amax", "flatten_max_values"), ("view_max", "amax"), ("amin", "view_min")],
)
def test_a_max_or_min_along_axes_is_one_reduction(one: str, other: str) -> None:
    assert not _mismatches(one, other)
    assert not _mismatches(other, one)


@pytest.mark.parametrize(("ref", "cand"), [("view_max", "channel_max"), ("view_max", "view_min")])
def test_another_reduction_still_differs(ref: str, cand: str) -> None:
    assert _mismatches(ref, cand)
    assert _mismatches(cand, ref)


class _GroupPool(nn.Module):
    """A p4 network's pool over its four rotations, then the global average pool over H, W."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how, self.conv = how, nn.Conv2d(3, 16, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        n, c, h, w = y.shape
        g = y.view(n, c // 4, 4, h, w)
        if self.how == "max":
            g = g.max(2)[0]
        elif self.how == "amax":
            g = torch.amax(g, dim=2)
        else:
            g = g.mean(2)
        return g.mean((2, 3))


@pytest.mark.parametrize(("ref", "cand"), [("max", "mean"), ("amax", "mean"), ("mean", "max")])
def test_a_max_over_a_group_axis_before_a_mean_pool_is_no_part_of_it(ref: str, cand: str) -> None:
    """A reduction joins the global pool that reads it only where both reduce alike (a mean of means):
    a max over the rotations then a mean over H, W is neither pool, and a mean there differs from it."""
    c = compare_traces(trace(_GroupPool(ref), (3, 8, 8)), trace(_GroupPool(cand), (3, 8, 8)), reference_name="r",
                       candidate_name="c", num_classes=4)  # fmt: skip
    assert c.mismatches


def test_two_spellings_of_the_group_max_still_agree() -> None:
    c = compare_traces(trace(_GroupPool("max"), (3, 8, 8)), trace(_GroupPool("amax"), (3, 8, 8)),
                       reference_name="r", candidate_name="c", num_classes=4)  # fmt: skip
    assert not c.mismatches
