"""A division by a constant is the multiply by its reciprocal: ``x / 4`` and ``x * 0.25``,
``x / math.sqrt(32)`` and ``x * 32 ** -0.5`` compare clean; another number is one difference."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn
from torchvision.models import resnet18

from resnet_verify.tracing.records import Trace
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Scaled(nn.Module):
    def __init__(self, spelling: str) -> None:
        super().__init__()
        self.conv, self.spelling = nn.Conv2d(3, 3, 1), spelling

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        return {"div4": lambda: y / 4, "mul.25": lambda: y * 0.25, "mul.5": lambda: y * 0.5,
                "divsqrt": lambda: y / math.sqrt(32), "mulpow": lambda: y * 32**-0.5}[self.spelling]()  # fmt: skip


def _traced(spelling: str) -> Trace:
    model = resnet18(num_classes=10)
    model.conv1 = nn.Sequential(_Scaled(spelling), model.conv1)
    return trace(model, (3, 32, 32))


def _fields(a: str, b: str) -> list[str | None]:
    c = compare_traces(_traced(a), _traced(b), reference_name="r", candidate_name="c", num_classes=10)
    return [m.field for m in c.mismatches]


@pytest.mark.parametrize(("a", "b"), [("div4", "mul.25"), ("mul.25", "div4"), ("divsqrt", "mulpow")])
def test_a_division_is_the_multiply_by_its_reciprocal(a: str, b: str) -> None:
    assert _fields(a, b) == []


def test_another_number_is_one_difference() -> None:
    assert _fields("div4", "mul.5") == ["scalar"]
