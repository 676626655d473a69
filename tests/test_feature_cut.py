"""A backbone cut for its features (patterns/feature_cut.py; #23 heldout33, STARK's ResNet-50 up to
layer3): the later stages and the head gone and a map returned is one described cut, either way round,
not fewer blocks per stage; a network that lost its last stage but still classifies is block counts."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models._utils import IntermediateLayerGetter

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Cut(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = IntermediateLayerGetter(resnet18(), {"layer3": "feat"})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)["feat"]


class _ShortClassifier(nn.Module):
    """layer4 lost, the head kept on layer3's 256 channels."""

    def __init__(self) -> None:
        super().__init__()
        net = resnet18(num_classes=10)
        self.body = nn.Sequential(*list(net.children())[:-3])
        self.fc = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(self.body(x), 1), 1))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 64), trace(cand, 64), reference_name="a", candidate_name="b", num_classes=10
    )


def test_a_feature_extractor_is_one_cut_either_way() -> None:
    c = _compare(resnet18(num_classes=10), _Cut())
    assert [f.title for f in c.findings] == ["A backbone cut after layer3"] and not c.unexplained
    assert c.findings[0].pattern is Pattern.DESCRIBED and "256x4x4" in c.findings[0].message
    swapped = _compare(_Cut(), resnet18(num_classes=10))
    assert [f.title for f in swapped.findings] == ["A backbone cut after layer3 (in the reference)"]


def test_a_classifier_that_lost_a_stage_is_block_counts() -> None:
    c = _compare(resnet18(num_classes=10), _ShortClassifier())
    patterns = [f.pattern for f in c.findings]
    assert Pattern.BLOCK_COUNTS in patterns and not any("cut" in f.title for f in c.findings)
