"""A conv called with a bias of zeros made for the call adds nothing: it has no bias (tracing/opkinds.py
``adds_bias``; #23 heldout96's qat_fake_quant_on: PyTorch's QAT ConvBn2d passes ``torch.zeros(out)`` to its
bias-free conv, and the tool said "13 convolutions followed by BatchNorm have bias=True", a wrong name)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace


class _Conv(nn.Module):
    """A 3x3 conv run by ``F.conv2d`` with the bias ``kind`` says: none, zeros made in forward, a constant
    of ones made in forward, or a learned one that starts at zero."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.weight = nn.Parameter(torch.randn(4, 3, 3, 3) * 0.1)
        self.bias = nn.Parameter(torch.zeros(4)) if kind == "learned" else None
        self.bn = nn.BatchNorm2d(4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        bias = {
            "none": None,
            "zeros": torch.zeros(4, dtype=x.dtype),
            "ones": torch.ones(4, dtype=x.dtype),
            "learned": self.bias,
        }[self.kind]
        return self.bn(F.conv2d(x, self.weight, bias, padding=1))


@pytest.mark.parametrize(
    ("kind", "bias"), [("none", False), ("zeros", False), ("ones", True), ("learned", True)]
)
def test_a_conv_bias_counts_where_it_adds_something(kind: str, bias: bool) -> None:
    convs = [op for op in trace(_Conv(kind), (3, 8, 8)).ops if op.kind is OpKind.CONV]
    assert len(convs) == 1
    assert dict(convs[0].attrs)["bias"] is bias
