"""Strides at other blocks, with the code's own stages holding the same blocks on both sides, are described
as strides moved (verify/patterns/strided_blocks.py), not as block counts: heldout146
mkl_kl_stride_every_block ([stride] * num_blocks) was "[1, 1, 2, 2] blocks per stage for [1, 2, 2, 1]".
A stage with a block more is still block_counts."""

from __future__ import annotations

import pytest
import torchvision
from torch import nn
from torchvision.models.resnet import BasicBlock

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


def _net(layers: list[int], every: bool = False) -> nn.Module:
    m = torchvision.models.resnet.ResNet(BasicBlock, layers, num_classes=10, width_per_group=64)
    if every:  # the stage's stride given to its later blocks too, each with a projection for it
        for stage in (m.layer2, m.layer3):
            for block in list(stage)[1:]:
                block.conv1.stride = (2, 2)
                block.downsample = nn.Sequential(nn.Conv2d(block.conv1.in_channels, block.conv2.out_channels, 1, 2,
                                                           bias=False), nn.BatchNorm2d(block.conv2.out_channels))  # fmt: skip
    return m


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref.eval(), 64), trace(cand.eval(), 64), reference_name="r", candidate_name="c", num_classes=10
    )


@pytest.mark.parametrize("swap", [False, True])
def test_strides_on_later_blocks_are_strides_not_counts(swap: bool) -> None:
    a, b = _net([1, 2, 2, 1], every=True), _net([1, 2, 2, 1])
    c = _compare(b, a) if swap else _compare(a, b)
    names = [f.pattern for f in c.findings]
    assert Pattern.BLOCK_COUNTS not in names
    moved = [f for f in c.findings if f.title == "Strides at other blocks"]
    assert moved and "layer2.1, layer3.1" in moved[0].message
    assert all(
        any(i in f.mismatches for f in c.findings) for i, m in enumerate(c.mismatches) if m.field == "block"
    )


def test_a_stage_with_a_block_more_is_still_block_counts() -> None:
    c = _compare(_net([1, 3, 2, 1]), _net([1, 2, 2, 1]))
    assert Pattern.BLOCK_COUNTS in {f.pattern for f in c.findings}
    assert not [f for f in c.findings if f.title == "Strides at other blocks"]
