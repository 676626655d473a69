"""A pre-activation network whose first block has nothing before it to pre-activate (SNGAN's
"optimized" first block: conv-ReLU-conv on the image, its skip a conv) against the same network
written post-activation: the first block's ReLU after its add is the order's too, so pre-activation
claims every mismatch, either direction; a post-activation network that only lost that ReLU is no
pre-activation network."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _First(nn.Module):
    def __init__(self, c: int, post: bool) -> None:
        super().__init__()
        self.post = post
        self.c1, self.c2, self.skip = (
            nn.Conv2d(3, c, 3, padding=1),
            nn.Conv2d(c, c, 3, padding=1),
            nn.Conv2d(3, c, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.c2(torch.relu(self.c1(x))) + self.skip(x)
        return torch.relu(y) if self.post else y


class _Block(nn.Module):
    def __init__(self, c: int, post: bool) -> None:
        super().__init__()
        self.post = post
        self.c1, self.c2 = nn.Conv2d(c, c, 3, padding=1), nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.post:
            return torch.relu(x + self.c2(torch.relu(self.c1(x))))
        return x + self.c2(torch.relu(self.c1(torch.relu(x))))


def _net(order: str) -> nn.Module:
    post = order != "pre"
    blocks = [_First(16, post and order != "post_first_bare"), *(_Block(16, post) for _ in range(3))]
    end = [] if post else [nn.ReLU()]
    return nn.Sequential(*blocks, *end, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))


def _compare(ref: str, cand: str) -> Comparison:
    return compare_traces(trace(_net(ref), (3, 16, 16)), trace(_net(cand), (3, 16, 16)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


@pytest.mark.parametrize(("ref", "cand"), [("pre", "post"), ("post", "pre")])
def test_the_first_blocks_relu_after_its_add_is_the_orders(ref: str, cand: str) -> None:
    c = _compare(ref, cand)
    pre = [f for f in c.findings if f.pattern is Pattern.PRE_ACTIVATION]
    assert len(pre) == 1, [f.title for f in c.findings]
    assert set(pre[0].mismatches) == set(range(len(c.mismatches))), [m.message for m in c.mismatches]


@pytest.mark.parametrize(("ref", "cand"), [("post", "post_first_bare"), ("post_first_bare", "post")])
def test_a_post_activation_network_without_that_relu_is_no_pre_activation(ref: str, cand: str) -> None:
    c = _compare(ref, cand)
    assert c.mismatches
    assert Pattern.PRE_ACTIVATION not in {f.pattern for f in c.findings}
