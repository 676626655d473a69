"""A BatchNorm frozen (requires_grad False) and held in eval mode by the model's ``train()``
(mmdetection's frozen_stages) computes what a ``FrozenBatchNorm2d`` (detectron2's freeze) computes, in
both modes: the same layer, stored as parameters or as buffers (heldout133 fpn_d2_freeze). Either
half alone is not."""

from __future__ import annotations

import pytest
from torch import Tensor, nn
from torchvision.ops.misc import FrozenBatchNorm2d

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


class Net(nn.Module):
    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn: nn.Module = FrozenBatchNorm2d(8) if how == "frozen_class" else nn.BatchNorm2d(8)
        if how in ("held_frozen", "frozen_only"):
            self.bn.requires_grad_(False)
        self.fc = nn.Linear(8, 3)

    def train(self, mode: bool = True) -> Net:
        super().train(mode)
        if self.how in ("held_frozen", "held_only"):
            self.bn.eval()
        return self

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(self.bn(self.conv(x)).relu().mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 16), trace(cand, 16), reference_name="r", candidate_name="c", num_classes=3
    )


@pytest.mark.parametrize("swap", [False, True])
def test_a_held_frozen_bn_is_a_frozen_bn(swap: bool) -> None:
    a, b = Net("held_frozen"), Net("frozen_class")
    c = _compare(a, b) if swap else _compare(b, a)
    assert not c.mismatches


@pytest.mark.parametrize("half", ["frozen_only", "held_only"])
def test_either_half_alone_is_a_difference(half: str) -> None:
    assert _compare(Net("frozen_class"), Net(half)).mismatches
