"""Heads that pool by reductions (PANNs' mean over one axis, then max + mean over the other;
attentive pooling's softmax-weighted sum) fit any input: no fixed-size head, no residual block made
of the pooled vectors' sum, no output softmax for the attention weights."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import BlockKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import MismatchKind, Pattern


class _Pooled(nn.Module):
    def __init__(self, attentive: bool) -> None:
        super().__init__()
        self.net = resnet18(num_classes=10)
        self.attentive = attentive
        self.score = nn.Linear(512, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = self.net
        x = n.layer4(n.layer3(n.layer2(n.layer1(n.maxpool(n.relu(n.bn1(n.conv1(x))))))))
        x = x.mean(dim=2)  # (N, C, W)
        if self.attentive:
            frames = x.transpose(1, 2)  # (N, W, C)
            weights = F.softmax(self.score(frames).squeeze(-1), dim=1)
            pooled = (frames * weights.unsqueeze(-1)).sum(dim=1)
        else:
            pooled = x.max(dim=2).values + x.mean(dim=2)
        return n.fc(pooled)


def test_a_head_pooling_by_reductions_is_no_fixed_head_and_no_block() -> None:
    for attentive in (False, True):
        with torch.device("meta"):
            model = _Pooled(attentive)
        blocks = trace(model, 64).structure.blocks
        assert sum(b.kind is BlockKind.RESIDUAL for b in blocks) == 8, attentive
        c = compare(model, "resnet18", input_size=64, num_classes=10)
        names = {f.pattern for f in c.findings}
        assert not names & {Pattern.FIXED_HEAD, Pattern.OUTPUT_SOFTMAX, Pattern.BLOCK_COUNTS}, (
            attentive,
            names,
        )


def test_a_wider_conv_with_a_bias_differs_by_its_width_too() -> None:
    with torch.device("meta"):
        model = resnet18(num_classes=10)
        model.layer1[0].conv1 = nn.Conv2d(64, 128, 3, 1, 1, bias=True)
        model.layer1[0].bn1 = nn.BatchNorm2d(128)
        model.layer1[0].conv2 = nn.Conv2d(128, 64, 3, 1, 1, bias=False)
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    params = next(
        m for m in c.mismatches if m.kind is MismatchKind.PARAMS and m.candidate_path == "layer1.0.conv1"
    )
    # not "because of its bias": the output shape (its width) is what it follows from
    assert params.cause is None or c.mismatches[params.cause].field != "bias"


def test_another_setting_of_the_same_fixed_head_is_no_fixed_head_variant() -> None:
    fixture = Path(__file__).parent / "fixtures" / "quirky" / "fixed_heads.py"
    model = build_model(f"{fixture}:floor_head", num_classes=6, device="meta")[0]
    c = compare(model, f"{fixture}:caffe_head", input_size=224, num_classes=6)
    assert [(m.field, m.actual, m.expected) for m in c.mismatches] == [("ceil_mode", False, True)]
    assert not any(f.pattern is Pattern.FIXED_HEAD for f in c.findings)
    plain = compare(model, "resnet18", input_size=224, num_classes=6)  # a global pool there: the variant
    assert any(f.pattern is Pattern.FIXED_HEAD for f in plain.findings)


class _SumHead(nn.Module):
    """SNGAN's discriminator head: the last map summed over H and W (``torch.sum(h, dim=(2, 3))``), or
    averaged by a pool whose window is the map at this input size."""

    def __init__(self, head: str) -> None:
        super().__init__()
        self.net = resnet18(num_classes=10)
        self.head = head
        self.pool = nn.AvgPool2d(2) if head == "window" else nn.AdaptiveAvgPool2d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = self.net
        x = n.layer4(n.layer3(n.layer2(n.layer1(n.maxpool(n.relu(n.bn1(n.conv1(x))))))))
        pooled = x.sum(dim=(2, 3)) if self.head == "sum" else self.pool(x).flatten(1)
        return n.fc(pooled)


def _patterns(ref: nn.Module, cand: nn.Module) -> set[Pattern]:
    c = compare_traces(
        trace(ref, 64), trace(cand, 64), reference_name="r", candidate_name="c", num_classes=10
    )
    assert c.mismatches
    return {f.pattern for f in c.findings}


def test_a_fixed_window_for_a_sum_is_the_reduction_not_a_fixed_head() -> None:
    with torch.device("meta"):
        summed, window, pooled = _SumHead("sum"), _SumHead("window"), _SumHead("global")
    assert Pattern.FIXED_HEAD not in _patterns(summed, window)
    # the same window where the reference pools globally is the fixed-size head
    assert Pattern.FIXED_HEAD in _patterns(pooled, window)
