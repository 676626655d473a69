"""An equalized-learning-rate gain on a conv's output (``F.conv2d(x, w) * c + b``) is the conv with its
weight scaled (``F.conv2d(x, w * c, b)``, heldout132 eqlr_scale_output); a block's scaled branch is not."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.tracing.tracer import trace


class Gain(nn.Module):
    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where
        self.weight = nn.Parameter(torch.randn(8, 3, 3, 3))
        self.bias = nn.Parameter(torch.zeros(8))
        self.scale = 0.19

    def forward(self, x: Tensor) -> Tensor:
        if self.where == "weight":
            return F.conv2d(x, self.weight * self.scale, self.bias, padding=1)
        if self.where == "output":
            return F.conv2d(x, self.weight, None, padding=1) * self.scale + self.bias.view(1, -1, 1, 1)
        return F.conv2d(x, self.weight, self.bias, padding=1) * self.scale  # the bias scaled too


class Net(nn.Module):
    def __init__(self, where: str) -> None:
        super().__init__()
        self.layer = Gain(where)

    def forward(self, x: Tensor) -> Tensor:
        return self.layer(x).mean((2, 3))


class FunctionalBlock(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(3, 3, 3, 3))
        self.w2 = nn.Parameter(torch.randn(3, 3, 3, 3))

    def forward(self, x: Tensor) -> Tensor:
        out = F.conv2d(F.relu(F.conv2d(x, self.w1, padding=1)), self.w2, padding=1) * 0.2
        return (x + out).mean((2, 3))


def _conv_and_muls(t: Trace) -> tuple[dict, int]:
    conv = next(op for op in t.ops if op.kind is OpKind.CONV)
    muls = sum(dict(op.attrs).get("function") == "mul" for op in t.ops)
    return dict(conv.attrs), muls


def test_a_gain_on_the_output_reads_as_the_gain_on_the_weight() -> None:
    on_weight, _ = _conv_and_muls(trace(Net("weight"), (3, 8, 8)))
    on_output, muls = _conv_and_muls(trace(Net("output"), (3, 8, 8)))
    assert on_output == on_weight and on_output["param_ops"] == "mul" and on_output["bias"] is True
    assert muls == 0


def test_a_scaled_bias_or_a_scaled_block_branch_stays_a_multiply() -> None:
    biased, muls = _conv_and_muls(trace(Net("biased"), (3, 8, 8)))
    assert "param_ops" not in biased and muls == 1
    block, muls = _conv_and_muls(trace(FunctionalBlock(), (3, 8, 8)))
    assert "param_ops" not in block and muls == 1
