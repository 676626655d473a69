"""``x / torch.sqrt(n)`` is ``x * torch.rsqrt(n)`` (GDN written either way, a hand-written norm's
``/ sqrt(var + eps)``): one spelling, either direction; a multiply by the root itself, or a root that
something else reads too, is not that spelling."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Gdn(nn.Module):
    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.how = how
        self.pool = nn.Conv2d(c, c, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = self.pool(x * x)
        if self.how == "div_sqrt":
            return x / torch.sqrt(n)
        if self.how == "mul_rsqrt":
            return x * torch.rsqrt(n)
        if self.how == "mul_sqrt":
            return x * torch.sqrt(n)
        assert self.how == "div_sqrt_shared"  # the root read twice: no longer only a divisor
        r = torch.sqrt(n)
        return x / r + r


def _net(how: str) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), _Gdn(8, how), nn.Conv2d(8, 8, 3, padding=1), _Gdn(8, how),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10),
    )  # fmt: skip


def _mismatches(ref: str, cand: str) -> list[str]:
    c = compare_traces(trace(_net(ref), (3, 8, 8)), trace(_net(cand), (3, 8, 8)), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    return [m.message for m in c.mismatches]


@pytest.mark.parametrize(("ref", "cand"), [("div_sqrt", "mul_rsqrt"), ("mul_rsqrt", "div_sqrt")])
def test_a_division_by_a_root_is_the_multiply_by_its_reciprocal(ref: str, cand: str) -> None:
    assert not _mismatches(ref, cand)


@pytest.mark.parametrize(
    ("ref", "cand"), [("div_sqrt", "mul_sqrt"), ("mul_rsqrt", "mul_sqrt"), ("div_sqrt", "div_sqrt_shared")]
)
def test_another_computation_still_differs(ref: str, cand: str) -> None:
    assert _mismatches(ref, cand)
