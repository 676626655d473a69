"""A port carries its framework's layer defaults everywhere, the stem and the shortcut included: those
defaults have their own findings and neither hide nor split the variant around them (heldout6's Keras
and d2l networks, #23). Each case with its must-not-fire twin."""

from __future__ import annotations

from torch import nn
from torchvision.models import resnet18

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

R18 = "torchvision:resnet18"


def _compare(model: nn.Module) -> Comparison:
    return compare(model, R18, input_size=64, num_classes=10)


def _patterns(c: Comparison) -> set[Pattern]:
    return {f.pattern for f in c.findings}


def _keras_stem(biased: bool) -> nn.Module:
    """The Keras stem (ZeroPad2d(3), a padding-0 7x7 conv, an unpadded max pool), with or without
    Keras's conv bias and BatchNorm defaults on the stem's layers."""
    model = resnet18(num_classes=10)
    model.conv1 = nn.Sequential(nn.ZeroPad2d(3), nn.Conv2d(3, 64, 7, 2, 0, bias=biased))
    if biased:
        model.bn1 = nn.BatchNorm2d(64, eps=1e-3, momentum=0.01)
    model.maxpool = nn.MaxPool2d(3, 2)
    return model


def test_the_keras_stem_is_named_with_its_layer_defaults() -> None:
    for biased in (False, True):
        c = _compare(_keras_stem(biased))
        assert Pattern.KERAS_STEM in _patterns(c) and c.unexplained == (), biased
    assert _patterns(_compare(_keras_stem(True))) >= {Pattern.BIAS_BEFORE_BN, Pattern.KERAS_STEM}


def test_a_stem_padding_edit_with_a_conv_bias_is_still_no_keras_stem() -> None:
    model = resnet18(num_classes=10)
    model.conv1 = nn.Conv2d(3, 64, 7, 2, 2, bias=True)  # padding 3 -> 2, no explicit pad: a plain edit
    assert Pattern.KERAS_STEM not in _patterns(_compare(model))


def _bare_projections(bias: bool, bn: bool) -> nn.Module:
    model = resnet18(num_classes=10)
    for layer, cin, cout in ((model.layer2, 64, 128), (model.layer3, 128, 256), (model.layer4, 256, 512)):
        conv = nn.Conv2d(cin, cout, 1, 2, bias=bias)
        layer[0].downsample = nn.Sequential(conv, nn.BatchNorm2d(cout)) if bn else conv
    return model


def test_a_projection_without_bn_owns_its_conv_bias() -> None:
    c = _compare(_bare_projections(bias=True, bn=False))
    assert [f.pattern for f in c.findings] == [Pattern.PROJECTION_WITHOUT_BN] and c.unexplained == ()
    assert "bias=True" in c.findings[0].message


def test_a_biased_projection_with_its_bn_is_a_conv_bias_not_a_missing_bn() -> None:
    c = _compare(_bare_projections(bias=True, bn=True))
    assert Pattern.PROJECTION_WITHOUT_BN not in _patterns(c) and Pattern.BIAS_BEFORE_BN in _patterns(c)
