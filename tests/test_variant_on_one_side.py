"""A stem variant is named where one side has it and the other does not (heldout138 xres_stem_mid_wide,
heldout139 signs_zeropad2): two deep stems whose widths are the user's own, or two Keras-style stems whose
zero pads differ, are one edit of the same stem, described at its place; two published deep stems (ResNet-T
against ResNet-C) stay the named variant."""

from __future__ import annotations

from torch import nn
from torchvision.models import resnet18

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


def _deep(widths: tuple[int, ...]) -> nn.Module:
    model, layers, cin = resnet18(num_classes=4), [], 3
    for i, w in enumerate(widths):
        layers += [nn.Conv2d(cin, w, 3, 2 if i == 0 else 1, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
        cin = w
    model.conv1 = nn.Sequential(*layers[:-2])  # the model's own bn1 and relu follow the last conv
    return model


def _keras(pad: int) -> nn.Module:
    model = resnet18(num_classes=4)
    model.conv1 = nn.Sequential(nn.ZeroPad2d(pad), nn.Conv2d(3, 64, 7, 2, 0, bias=False))
    model.maxpool = nn.MaxPool2d(3, 2)
    return model


def _compare(reference: nn.Module, candidate: nn.Module) -> Comparison:
    r, c = trace(reference, (3, 64, 64)), trace(candidate, (3, 64, 64))
    return compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)


def _patterns(c: Comparison) -> set[Pattern]:
    return {f.pattern for f in c.findings}


def test_two_deep_stems_of_the_users_widths_are_described_either_way() -> None:
    for ref, cand in ((_deep((32, 32, 64)), _deep((16, 32, 64))), (_deep((16, 32, 64)), _deep((32, 32, 64)))):
        c = _compare(ref, cand)
        assert c.mismatches and Pattern.DEEP_STEM not in _patterns(c)
        assert all(f.pattern is not Pattern.DEEP_STEM for f in c.findings)


def test_two_published_deep_stems_stay_named() -> None:
    """Must not go silent: ResNet-T's stem (24, 48, 64) against ResNet-C's (32, 32, 64) is a named variant."""
    assert Pattern.DEEP_STEM in _patterns(_compare(_deep((32, 32, 64)), _deep((24, 48, 64))))


def test_two_keras_stems_with_other_pads_are_not_a_keras_port() -> None:
    c = _compare(_keras(3), _keras(2))
    assert c.mismatches and Pattern.KERAS_STEM not in _patterns(c)
    assert all(f.pattern is not Pattern.KERAS_STEM for f in _compare(_keras(2), _keras(3)).findings)


def test_a_keras_stem_against_a_torchvision_one_stays_named() -> None:
    """Must not go silent: ZeroPadding2D(3) + a valid conv + a valid pool against torchvision's stem."""
    assert Pattern.KERAS_STEM in _patterns(_compare(resnet18(num_classes=4), _keras(3)))
