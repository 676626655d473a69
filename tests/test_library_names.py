"""Names that must not come from a shared attribute alone, found on timm's families (#23's sweep):
Res2Net's per-branch BatchNorms are no 'no normalization' (either way round), a blur filter's
depthwise conv is no ResNeXt cardinality, an SE's squeeze inside a block does not make the head
look fixed-size, and an identity shortcut has no projection BN to lose. Each with the case where the name is right."""

from __future__ import annotations

import pytest
from torch import nn
from torchvision.models import resnet18

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

timm = pytest.importorskip("timm")


def _names(model: nn.Module, reference: str) -> set[Pattern]:
    c: Comparison = compare(model, reference, input_size=64, num_classes=10)
    return {f.pattern for f in c.findings}


def test_res2net_branch_norms_are_not_a_missing_normalization() -> None:
    names = _names(timm.create_model("res2net50_26w_6s", num_classes=10), "torchvision:resnet50")
    assert Pattern.MULTI_SCALE in names and Pattern.NORMALIZATION not in names


def test_a_network_without_norms_is_still_named() -> None:
    model = resnet18(num_classes=10, norm_layer=lambda _: nn.Identity())
    assert Pattern.NORMALIZATION in _names(model, "torchvision:resnet18")


def test_a_blur_filter_is_not_cardinality() -> None:
    names = _names(timm.create_model("resnetblur18", num_classes=10), "torchvision:resnet18")
    assert names == {Pattern.BLUR_POOL}


def test_a_learned_depthwise_conv_is_cardinality() -> None:
    model = resnet18(num_classes=10)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for block in layer:
            w = block.conv2.in_channels
            block.conv2 = nn.Conv2d(w, w, 3, 1, 1, groups=w, bias=False)
    assert Pattern.CARDINALITY in _names(model, "torchvision:resnet18")


def test_an_se_squeeze_does_not_make_the_head_fixed_size() -> None:
    names = _names(timm.create_model("tresnet_l", num_classes=10), "torchvision:resnet50")
    assert Pattern.FIXED_HEAD not in names and Pattern.SQUEEZE_EXCITATION in names
    # its first block has an identity shortcut where the reference projects: no BN to lose there
    assert Pattern.PROJECTION_WITHOUT_BN not in names


def test_a_fixed_pool_head_after_se_blocks_is_still_fixed_size() -> None:
    model = timm.create_model("seresnet18", num_classes=10)
    model.global_pool = nn.Sequential(nn.AvgPool2d(2), nn.Flatten())  # the 2x2 map of a 64 px input
    assert Pattern.FIXED_HEAD in _names(model, "torchvision:resnet18")
