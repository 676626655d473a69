"""A residual sum scaled by a constant is one spelling however it is written (#23, heldout26's
StyleGAN2 discriminators): ``(x + f(x)) / sqrt(2)`` and ``x * sqrt(0.5) + f(x) * sqrt(0.5)`` compare
equal; a lost or changed gain is one attribute of the add in each block; a factor on one input only,
or factors that differ, are other computations and stay differences."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison

Merge = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _after(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (x + y) / math.sqrt(2)


def _distributed(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return x * math.sqrt(0.5) + y * math.sqrt(0.5)


class _Block(nn.Module):
    def __init__(self, merge: Merge) -> None:
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(8, 8, 3, padding=1), nn.Conv2d(8, 8, 3, padding=1)
        self.merge = merge

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.merge(x, self.conv2(torch.relu(self.conv1(x))))


class _Net(nn.Module):
    def __init__(self, merge: Merge) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.blocks = nn.Sequential(*[_Block(merge) for _ in range(3)])
        self.fc = nn.Linear(8, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.blocks(self.stem(x)).mean((2, 3)))


def _compare(reference: Merge, candidate: Merge) -> Comparison:
    ref, cand = trace(_Net(reference), 16), trace(_Net(candidate), 16)
    return compare_traces(ref, cand, reference_name="ref", candidate_name="cand", num_classes=10)


def test_a_gain_distributed_over_the_add_is_the_gain_after_it() -> None:
    for reference, candidate in ((_after, _distributed), (_distributed, _after)):
        c = _compare(reference, candidate)
        assert not c.mismatches, [m.message for m in c.mismatches[:4]]


def test_a_lost_gain_is_one_attribute_of_each_add() -> None:
    c = _compare(_distributed, lambda x, y: x + y)
    assert [(m.field, m.expected, m.actual) for m in c.mismatches] == [("scaled_by", 0.70711, None)] * 3
    assert {m.candidate_path for m in c.mismatches} == {"blocks.0", "blocks.1", "blocks.2"}
    assert (
        "the residual add is not scaled where the reference's is scaled by 0.70711" in c.findings[0].message
    )


@pytest.mark.parametrize(
    "candidate",
    [lambda x, y: x + y * 0.5, lambda x, y: x * 0.5 + y * 0.25, lambda x, y: (x + y) / 4],
    ids=["one_input_only", "factors_differ", "other_divisor"],
)
def test_other_factors_stay_differences(candidate: Merge) -> None:
    c = _compare(lambda x, y: (x + y) / 2, candidate)
    assert c.mismatches
