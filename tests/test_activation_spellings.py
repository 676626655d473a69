"""Activations spelled by hand read as the activation (tracing/opkinds.py, tracing/canonical.py):
ReLU6 as clamp(x, 0, 6) / hardtanh(x, 0, 6) / nn.ReLU6 / F.relu6; hard-swish as x * relu6(x + 3) / 6
in either order. Other bounds or offsets stay what they are."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace


class _Act(nn.Module):
    def __init__(self, spelling: str) -> None:
        super().__init__()
        self.conv, self.spelling, self.relu6 = nn.Conv2d(3, 4, 3), spelling, nn.ReLU6()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.conv(x)
        s = self.spelling
        if s == "module":
            return self.relu6(a)
        if s == "clamp":
            return torch.clamp(a, 0.0, 6.0)
        if s == "hardtanh":
            return F.hardtanh(a, 0.0, 6.0)
        if s == "swish_div_last":
            return a * F.relu6(a + 3.0) / 6.0
        if s == "swish_div_first":
            return a * (F.relu6(a + 3) / 6)
        if s == "clamp5":
            return torch.clamp(a, 0.0, 5.0)
        return a * F.relu6(a + 2.0) / 6.0  # "offset2": not hard-swish


def _functions(spelling: str) -> list[object]:
    ops = trace(_Act(spelling), 16).ops
    return [dict(o.attrs).get("function") for o in ops if o.kind is OpKind.ACTIVATION]


def test_relu6_spellings_read_as_relu6() -> None:
    for spelling in ("module", "clamp", "hardtanh"):
        assert _functions(spelling) == ["relu6"], spelling


def test_hard_swish_by_hand_reads_as_one_hardswish() -> None:
    for spelling in ("swish_div_last", "swish_div_first"):
        assert _functions(spelling) == ["hardswish"], spelling


def test_other_bounds_and_offsets_stay_what_they_are() -> None:
    assert "relu6" not in _functions("clamp5")
    assert _functions("offset2") == ["relu6"]  # the relu6 itself, no hard-swish around it
