"""Several differences in one unit that no variant names: one finding that says what differs there.

Fires on a stem, a block or a head with two or more root differences left by every named detector;
never merges two blocks, never groups a single difference, never claims what a name explains, and
holds with the sides swapped. In library code (no line of the user's), the same module of each block
stands for the shared line (``repeated``)."""

from __future__ import annotations

import pytest
from fixtures.quirky import described_units as units

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.patterns.wording import shorten
from resnet_verify.verify.records import DESCRIPTIONS, Comparison, Pattern

R18 = "torchvision:resnet18"


def _compare(model: object, reference: object = R18) -> Comparison:
    return compare(model, reference, input_size=64, num_classes=10)  # type: ignore[arg-type]


def _described(c: Comparison) -> list:
    return [f for f in c.findings if f.pattern is Pattern.DESCRIBED]


def test_a_caffe_stem_pool_is_one_description_of_the_stem() -> None:
    c = _compare(units.caffe_pool())
    [f] = c.findings
    assert f.pattern is Pattern.DESCRIBED and "the stem" in f.title.lower()
    assert "ceil_mode True where the reference has False" in f.message
    assert "padding (0, 0) where the reference has (1, 1)" in f.message
    assert set(f.mismatches) == set(range(len(c.mismatches))) and c.unexplained == ()
    assert "make ceil_mode False" in (f.suggestion or "") and f.locations == ("maxpool",)


def test_one_edit_with_two_attributes_is_one_finding_at_its_block() -> None:
    c = _compare(units.dilated_conv())
    [f] = c.findings
    assert f.pattern is Pattern.DESCRIBED and "layer3.1" in f.title and c.unexplained == ()
    assert f.locations == ("layer3.1.conv1",) and "make padding (1, 1)" in (f.suggestion or "")


def test_two_blocks_are_never_merged_and_a_single_difference_stays_as_it_is() -> None:
    c = _compare(units.two_blocks())
    [f] = _described(c)
    assert "layer2.1" in f.title
    assert {c.mismatches[i].reference_path for i in c.unexplained} == {"layer3.0.bn1"}


def test_a_single_difference_is_not_described() -> None:
    c = _compare(units.one_edit())
    assert c.findings == () and len(c.mismatches) == 1


def test_with_the_sides_swapped_the_reference_stem_is_described() -> None:
    reference = f"{units.__file__}:caffe_pool"
    c = compare(units.one_edit(), reference, input_size=64, num_classes=10)
    stem = [f for f in _described(c) if "stem" in f.title.lower()]
    assert len(stem) == 1 and "ceil_mode False where the reference has True" in stem[0].message


def test_named_variants_keep_their_mismatches() -> None:
    from torch import nn
    from torchvision.models import resnet18

    c = _compare(resnet18(num_classes=10, norm_layer=lambda width: nn.GroupNorm(32, width)))
    assert not _described(c) and c.findings and all(f.pattern not in DESCRIPTIONS for f in c.findings)


def test_library_blocks_group_by_their_module_without_a_line() -> None:
    timm = pytest.importorskip("timm")
    c = _compare(timm.create_model("legacy_seresnet18", num_classes=10), R18)
    [relu] = [f for f in c.findings if f.pattern is Pattern.REPEATED]
    assert relu.source is None and "8 blocks" in relu.title and "`relu` in each" in relu.message
    [stem] = _described(c)
    assert "ceil_mode" in stem.message and c.unexplained == ()


def test_lists_are_shortened_one_way() -> None:
    assert shorten(["a", "b", "c"]) == "a, b, c"
    assert shorten([str(i) for i in range(9)]) == "0, 1, 2, 3 ... 8"
