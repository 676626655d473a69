"""A projection's BatchNorm built in ``__init__`` and never called in ``forward`` is the projection-
without-BN cause, its unused parameters with it (patterns/layers.py; #23 heldout40's functional
ResNet-18); unused parameters elsewhere stay their own difference."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Uncalled(nn.Module):
    """A projection whose BN is built but skipped in forward."""

    def __init__(self, conv: nn.Module, bn: nn.Module) -> None:
        super().__init__()
        self.conv, self.down_bn = conv, bn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def _net(extra_unused: bool = False) -> nn.Module:
    model = resnet18(num_classes=10)
    for stage in (model.layer2, model.layer3, model.layer4):
        block = stage[0]
        assert isinstance(block, BasicBlock) and block.downsample is not None
        block.downsample = _Uncalled(block.downsample[0], block.downsample[1])
    if extra_unused:
        model.spare = nn.Linear(7, 3)
    return model


def _compare(cand: nn.Module) -> Comparison:
    return compare_traces(trace(resnet18(num_classes=10), 64), trace(cand, 64), reference_name="a",
                          candidate_name="b", num_classes=10)  # fmt: skip


def test_a_projection_bn_built_and_not_called_is_one_cause() -> None:
    c = _compare(_net())
    assert [f.pattern for f in c.findings] == [Pattern.PROJECTION_WITHOUT_BN] and not c.unexplained
    assert "built (layer2.0.downsample.down_bn" in c.findings[0].message


def test_other_unused_parameters_are_not_claimed() -> None:
    c = _compare(_net(extra_unused=True))
    assert Pattern.PROJECTION_WITHOUT_BN in [f.pattern for f in c.findings]
    assert any(c.mismatches[i].field == "params" for i in c.unexplained)
