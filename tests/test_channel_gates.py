"""Channel gates are named from what sits between their pool and their sigmoid: two layers with a
reduction is squeeze-excitation, one 1-D conv across channels is ECA, anything else is described."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

REPO = Path(__file__).resolve().parents[1]
FILE = "tests/fixtures/quirky/channel_gates.py"


@pytest.mark.parametrize(
    ("builder", "pattern", "recipe"),
    [
        (
            "se_linear",
            Pattern.SQUEEZE_EXCITATION,
            "Linear(256, 16), ReLU, Linear(16, 256), sigmoid, expand_as",
        ),
        ("eca", Pattern.ECA, "Conv1d(1, 1, 3, padding=1, bias=False), sigmoid"),
        ("gate_1x1", Pattern.CHANNEL_GATE, "Conv2d(256, 256, 1, bias=True), sigmoid"),
    ],
)
@pytest.mark.parametrize("swap", [False, True], ids=["candidate", "reference"])
def test_each_gate_is_one_finding_with_its_recipe(
    builder: str, pattern: Pattern, recipe: str, swap: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    gated = build_model(f"{FILE}:{builder}", num_classes=10, device="meta")[0]
    plain = build_model("resnet50", num_classes=10, device="meta")[0]
    c = (compare(plain, f"{FILE}:{builder}", input_size=64, num_classes=10) if swap
         else compare(gated, "resnet50", input_size=64, num_classes=10))  # fmt: skip
    assert [f.pattern for f in c.findings] == [pattern]
    assert recipe in c.findings[0].message and "16 of the" in c.findings[0].message
    assert set(c.findings[0].mismatches) == set(range(len(c.mismatches)))


@pytest.mark.parametrize(
    ("builder", "text"),
    [("resnext_style", "cardinality 32, 2 channels per group (ResNeXt)"), ("depthwise", "depthwise")],
)
def test_grouped_spatial_convs_are_one_finding(
    builder: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    model = build_model(f"tests/fixtures/quirky/grouped.py:{builder}", num_classes=10, device="meta")[0]
    c = compare(model, "resnet50", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.CARDINALITY]
    assert text in c.findings[0].message and "16 spatial convs" in c.findings[0].message
    assert set(c.findings[0].mismatches) == set(range(len(c.mismatches)))


class _ConvSE(nn.Module):
    """Composer's SqueezeExciteConv2d: the conv, then an SE gate on its output (one per conv)."""

    def __init__(self, conv: nn.Conv2d) -> None:
        super().__init__()
        c = conv.out_channels
        self.conv = conv
        self.mlp = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Conv2d(c, c // 4, 1), nn.ReLU(), nn.Conv2d(c // 4, c, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        return y * torch.sigmoid(self.mlp(y))


def test_a_gate_after_every_conv_shortcut_included_is_one_squeeze_excitation() -> None:
    from torchvision.models import resnet18

    with torch.device("meta"):
        model = resnet18(num_classes=10)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for b in layer:
            b.conv1, b.conv2 = _ConvSE(b.conv1), _ConvSE(b.conv2)
            if b.downsample is not None:
                b.downsample[0] = _ConvSE(b.downsample[0])
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.SQUEEZE_EXCITATION], [f.title for f in c.findings]
    assert not c.unexplained
