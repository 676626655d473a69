"""A head written the fixed-size way (IMPALA's flatten, ReLU, Linear on the whole map) against one
that pools globally (ReLU, then the pool): the ReLU on the other side of the head's boundary moves with
the head, so the fixed-size head claims it; a ReLU the other head does not hold is no part of it."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv0, self.conv1 = nn.Conv2d(c, c, 3, padding=1), nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv1(torch.relu(self.conv0(torch.relu(x))))


def _net(head: str) -> nn.Module:
    body = [nn.Conv2d(3, 16, 3, padding=1), nn.MaxPool2d(3, 2, 1), _Block(16), _Block(16)]
    if head == "fixed":  # flatten, ReLU, Linear over the whole 16x16 map
        tail = [nn.Flatten(), nn.ReLU(), nn.Linear(16 * 16 * 16, 10)]
    elif head == "fixed_no_relu":
        tail = [nn.Flatten(), nn.Linear(16 * 16 * 16, 10)]
    else:  # ReLU, then a global pool
        tail = [nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10)]
    return nn.Sequential(*body, *tail)


def _compare(ref: str, cand: str) -> Comparison:
    return compare_traces(trace(_net(ref), (3, 32, 32)), trace(_net(cand), (3, 32, 32)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


@pytest.mark.parametrize(("ref", "cand"), [("fixed", "pooled"), ("pooled", "fixed")])
def test_the_relu_across_the_head_boundary_is_the_fixed_heads(ref: str, cand: str) -> None:
    c = _compare(ref, cand)
    head = [f for f in c.findings if f.pattern is Pattern.FIXED_HEAD]
    assert len(head) == 1, [f.title for f in c.findings]
    assert set(head[0].mismatches) == set(range(len(c.mismatches))), [m.message for m in c.mismatches]


@pytest.mark.parametrize(("ref", "cand"), [("fixed_no_relu", "pooled"), ("pooled", "fixed_no_relu")])
def test_a_relu_the_other_head_lacks_is_not_the_fixed_heads(ref: str, cand: str) -> None:
    c = _compare(ref, cand)
    head = [f for f in c.findings if f.pattern is Pattern.FIXED_HEAD]
    relu = [i for i, m in enumerate(c.mismatches) if "ReLU" in m.message]
    assert head and relu, ([f.title for f in c.findings], [m.message for m in c.mismatches])
    assert not set(relu) & set(head[0].mismatches)
