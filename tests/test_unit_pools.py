"""A pool with a one-element window is the strided slice it computes (tracing/unit_pools.py):
an option-A shortcut subsampled by ``AvgPool2d(1, 2)`` and by ``x[:, :, ::2, ::2]`` compare equal
(#23, heldout31's federated CIFAR ResNet-20); a real 2x2 pool stays a pool."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces

Subsample = Callable[[torch.Tensor], torch.Tensor]


class _Block(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, subsample: Subsample) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.pad, self.subsample = cout - cin, subsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = x
        if self.pad:  # option A: subsample, then zero channels
            skip = F.pad(self.subsample(x), (0, 0, 0, 0, self.pad // 2, self.pad // 2))
        return torch.relu(skip + self.conv2(torch.relu(self.conv1(x))))


def _net(subsample: Subsample) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),
        _Block(8, 8, 1, subsample),
        _Block(8, 16, 2, subsample),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(16, 10),
    )


def _sliced(x: torch.Tensor) -> torch.Tensor:
    return x[:, :, ::2, ::2]


@pytest.mark.parametrize(
    "pooled", [lambda x: F.avg_pool2d(x, 1, 2), nn.MaxPool2d(1, 2)], ids=["avg_pool", "max_pool"]
)
def test_a_one_element_pool_is_a_strided_slice(pooled: Subsample) -> None:
    a, b = trace(_net(_sliced), 16), trace(_net(pooled), 16)
    assert not any(op.kind in (OpKind.AVG_POOL, OpKind.MAX_POOL) for op in b.ops)
    c = compare_traces(a, b, reference_name="a", candidate_name="b", num_classes=10)
    assert not c.mismatches, [m.message for m in c.mismatches[:4]]


def test_a_real_pool_stays_a_pool() -> None:
    a, b = trace(_net(_sliced), 16), trace(_net(lambda x: F.avg_pool2d(x, 2, 2)), 16)
    assert any(op.kind is OpKind.AVG_POOL for op in b.ops)
    c = compare_traces(a, b, reference_name="a", candidate_name="b", num_classes=10)
    assert c.mismatches


def test_a_pool_of_one_element_at_stride_one_is_the_identity_except_before_the_classifier() -> None:
    def net(shortcut_pool: bool) -> nn.Module:
        class Block(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.conv, self.pool = nn.Conv2d(8, 8, 3, padding=1), nn.AvgPool2d(1, 1)
                self.use = shortcut_pool

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                return torch.relu(self.conv(x) + (self.pool(x) if self.use else x))

        return nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), Block(), nn.AvgPool2d(1), nn.Flatten(), nn.Linear(8 * 16 * 16, 10)
        )

    a, b = trace(net(False), 16), trace(net(True), 16)
    assert not compare_traces(a, b, reference_name="a", candidate_name="b", num_classes=10).mismatches
    assert [op.kind for op in b.ops if op.kind is OpKind.AVG_POOL] == [
        OpKind.AVG_POOL
    ]  # the head's stays a pool
