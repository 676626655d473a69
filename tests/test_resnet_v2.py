"""ResNet v2 as users bring it: Keras' ResNet50V2 and timm's resnetv2_50 against torchvision's
resnet50. Every mismatch gets a cause (pre-activation blocks, the v2 stem, Keras' stage-end
downsampling, timm's 1x1 conv classifier), and none reads as a block-count difference. The new
detectors must stay quiet where their variant is absent."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.specs.keras_specs import ensure_torch_backend
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

SIZE = 64


def _patterns(c: Comparison) -> list[Pattern]:
    return [f.pattern for f in c.findings]


@pytest.mark.slow
def test_keras_resnet50v2_is_explained_as_v2() -> None:
    ensure_torch_backend()
    pytest.importorskip("keras")
    from resnet_verify.specs.builders import build_model

    model = build_model("keras:ResNet50V2", num_classes=6, input_size=(3, SIZE, SIZE))[0]
    c = compare(model, "resnet50", input_size=SIZE, num_classes=6)
    assert set(_patterns(c)) == {
        Pattern.PRE_ACTIVATION, Pattern.PRE_ACTIVATION_STEM, Pattern.STAGE_END_STRIDE, Pattern.KERAS_BATCHNORM,
    }  # fmt: skip
    assert c.unexplained == ()
    moved = next(f for f in c.findings if f.pattern is Pattern.STAGE_END_STRIDE)
    # Keras names a shortcut MaxPooling2D itself: the block is still named by its weighted layers.
    assert "conv2_block3, conv3_block4, conv4_block6" in moved.message
    stem = next(f for f in c.findings if f.pattern is Pattern.PRE_ACTIVATION_STEM)
    assert "ZeroPadding2D" in stem.message and "has a bias" in stem.message
    assert "MaxPool2d(3, stride=2, padding=1)" in (stem.suggestion or "")


def test_timm_resnetv2_50_is_explained_as_v2() -> None:
    timm = pytest.importorskip("timm")
    with torch.device("meta"):
        model = timm.create_model("resnetv2_50", pretrained=False, num_classes=6)
    c = compare(model, "resnet50", input_size=SIZE, num_classes=6)
    assert _patterns(c) == [Pattern.PRE_ACTIVATION, Pattern.PRE_ACTIVATION_STEM, Pattern.CONV_CLASSIFIER]
    assert c.unexplained == ()
    head = c.findings[-1]
    assert "Linear(2048, 6)" in head.message and "Not a difference in outputs" in head.message


def test_a_v2_networks_final_norm_of_another_kind_is_its_pre_activation() -> None:
    """FRN / EvoNorm v2 networks end in their own norm + activation before the pool: v2's final
    BN-ReLU, claimed by pre_activation (the norm kind by normalization_layer), nothing left over."""
    timm = pytest.importorskip("timm")
    with torch.device("meta"):
        model = timm.create_model("resnetv2_50d_frn", pretrained=False, num_classes=6)
    c = compare(model, "resnet50", input_size=SIZE, num_classes=6)
    assert c.unexplained == ()
    pre = next(f for f in c.findings if f.pattern is Pattern.PRE_ACTIVATION)
    assert "final ones" in pre.message
    assert any(c.mismatches[i].candidate_path == "norm" for i in pre.mismatches)


class _ConvHead(nn.Module):
    """torchvision's resnet18 trunk with a conv classifier after the global pool."""

    def __init__(self, kernel: int) -> None:
        super().__init__()
        from torchvision.models import resnet18

        trunk = resnet18(num_classes=6)
        self.trunk = nn.Sequential(*list(trunk.children())[:-1])  # up to and with avgpool
        self.fc = nn.Conv2d(512, 6, kernel, padding=kernel // 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.trunk(x)).flatten(1)


def test_conv_classifier_is_named_on_a_hand_written_head() -> None:
    c = compare(_ConvHead(1), "resnet18", input_size=SIZE, num_classes=6)
    assert _patterns(c) == [Pattern.CONV_CLASSIFIER] and c.unexplained == ()
    assert "Linear(512, 6, bias=True)" in (c.findings[0].suggestion or "")


def test_conv_classifier_does_not_fire_on_a_3x3_conv_head() -> None:
    """A 3x3 conv (padding 1) on a 1x1 map has 9x the weights: not a Linear's layout."""
    c = compare(_ConvHead(3), "resnet18", input_size=SIZE, num_classes=6)
    assert Pattern.CONV_CLASSIFIER not in _patterns(c) and c.mismatches


def test_post_activation_models_get_no_v2_findings() -> None:
    from torchvision.models import resnet18, resnet50

    v2 = {Pattern.PRE_ACTIVATION_STEM, Pattern.STAGE_END_STRIDE, Pattern.CONV_CLASSIFIER}
    with torch.device("meta"):
        models = [(resnet50(num_classes=6), "resnet18"), (resnet18(num_classes=6), "resnet50")]
    for model, reference in models:
        assert not set(_patterns(compare(model, reference, input_size=SIZE, num_classes=6))) & v2


def test_a_batchnorm_alone_before_the_first_conv_is_no_pre_activation() -> None:
    """insightface's IR block (BN-conv-BN-PReLU-conv-BN, nothing after the add) normalizes its input
    but activates nothing before its first conv: not ResNet v2; a BN-ReLU-conv block is."""
    from torch import nn
    from torchvision.models import resnet18
    from torchvision.models.resnet import BasicBlock

    from resnet_verify.verify.comparison import compare
    from resnet_verify.verify.records import Pattern

    class Opened(BasicBlock):
        def __init__(self, *args: object, act: bool = False, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.bn0 = nn.BatchNorm2d(self.conv1.in_channels)
            self.act = act

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.bn0(x)
            y = self.relu(y) if self.act else y
            y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(y)))))
            return y + (self.downsample(x) if self.downsample is not None else x)

    def build(act: bool) -> nn.Module:
        model = resnet18(num_classes=10)
        for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
            for i, b in enumerate(layer):
                new = Opened(b.conv1.in_channels, b.conv2.out_channels, b.stride, b.downsample, act=act)
                layer[i] = new
        return model

    ir = compare(build(act=False), "torchvision:resnet18", input_size=64, num_classes=10)
    v2 = compare(build(act=True), "torchvision:resnet18", input_size=64, num_classes=10)
    assert Pattern.PRE_ACTIVATION not in {f.pattern for f in ir.findings}
    assert Pattern.PRE_ACTIVATION in {f.pattern for f in v2.findings}


class _CamHead(nn.Module):
    """resnet18's trunk, a 1x1 conv to the classes on the full map, then a global pool."""

    def __init__(self, pool: str) -> None:
        super().__init__()
        from torchvision.models import resnet18

        self.trunk = nn.Sequential(*list(resnet18(num_classes=6).children())[:-2])
        self.cam = nn.Conv2d(512, 6, 1)
        self.pool = nn.AdaptiveAvgPool2d(1) if pool == "avg" else nn.AdaptiveMaxPool2d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.cam(self.trunk(x))).flatten(1)


def test_a_1x1_conv_before_the_global_average_is_the_linear_after_it() -> None:
    c = compare(_CamHead("avg"), "resnet18", input_size=SIZE, num_classes=6)
    assert _patterns(c) == [Pattern.CONV_CLASSIFIER] and c.unexplained == ()
    assert "averaging commutes" in c.findings[0].message
    # before a max pool it is not: the max of a linear map is not the linear map of the max
    assert Pattern.CONV_CLASSIFIER not in _patterns(
        compare(_CamHead("max"), "resnet18", input_size=SIZE, num_classes=6)
    )
