"""``avg_pool(x) / avg_pool(ones_like(x[:, :1]))`` with the same window is an average pool that leaves its
padding out of the count (tracing/pad_ratio.py; #23 heldout111's poolmix_count_by_ratio was an extra div,
an extra pool and ones_like in every block). Against ``count_include_pad=True`` it is that one setting."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Mixer(nn.Module):
    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.conv = nn.Conv2d(8, 8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.how == "ratio":
            pooled = F.avg_pool2d(x, 3, 1, 1) / F.avg_pool2d(torch.ones_like(x[:, :1]), 3, 1, 1)
        elif self.how == "other_window":
            pooled = F.avg_pool2d(x, 3, 1, 1) / F.avg_pool2d(torch.ones_like(x[:, :1]), 5, 1, 2)
        else:
            pooled = F.avg_pool2d(x, 3, 1, 1, count_include_pad=self.how == "include")
        return x + self.conv(pooled - x)


def _net(how: str) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Mixer(how), _Mixer(how), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


@pytest.mark.parametrize(("reference", "fields"), [("exclude", set()), ("include", {"count_include_pad"})])
def test_the_ratio_is_the_pool_without_its_padding(reference: str, fields: set[str]) -> None:
    c = compare_traces(trace(_net(reference), (3, 9, 9)), trace(_net("ratio"), (3, 9, 9)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert {m.field for m in c.mismatches} == fields, [m.message for m in c.mismatches]


def test_a_ratio_of_other_windows_is_not() -> None:
    c = compare_traces(trace(_net("exclude"), (3, 9, 9)), trace(_net("other_window"), (3, 9, 9)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert "op" in {m.field for m in c.mismatches}  # the division and its pool of ones stay ops of their own
