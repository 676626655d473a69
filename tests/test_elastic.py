"""Elastic and slimmable ResNets (#23, heldout37): a conv that slices its weight in forward at the full
width computes nothing new (no 'parameters computed in forward'); run at a smaller depth, the blocks
it built but skipped are the fewer blocks, their unused parameters included."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern


class _SlicedConv(nn.Conv2d):
    """An elastic conv: ``weight[:out, :in]`` for the active widths (here the full ones, or half the outputs)."""

    active_out: int | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.active_out or self.out_channels
        w = self.weight[:out, : x.shape[1]].contiguous()
        return F.conv2d(x, w, None, self.stride, self.padding, self.dilation, self.groups)


def _elastic(model: nn.Module) -> nn.Module:
    for m in model.modules():
        if type(m) is nn.Conv2d:
            m.__class__ = _SlicedConv
    return model


def test_a_weight_sliced_whole_computes_nothing() -> None:
    with torch.device("meta"):
        model = _elastic(resnet18(num_classes=10))
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert not c.mismatches and not c.findings, [f.title for f in c.findings]


class _ElasticDepth(nn.Module):
    """A stage that runs only its first ``depth`` blocks (once-for-all's runtime depth)."""

    def __init__(self, blocks: nn.Sequential, depth: int) -> None:
        super().__init__()
        self.blocks, self.depth = blocks, depth

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in list(self.blocks)[: self.depth]:
            x = block(x)
        return x


def test_blocks_built_but_skipped_are_the_fewer_blocks() -> None:
    with torch.device("meta"):
        model = resnet18(num_classes=10)
    model.layer3 = _ElasticDepth(model.layer3, 1)
    assert isinstance(model.layer3.blocks[1], BasicBlock)
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.BLOCK_COUNTS] and not c.unexplained
    assert any(m.field == "params" and m.reference_path is None for m in c.mismatches)  # the unused ones
