"""One line of block code, the same difference in many blocks: one finding that names the line.
Differences in one block only, or already explained by a named variant, are left alone."""

from __future__ import annotations

import pytest
from fixtures.catalog import BROKEN, BY_NAME, Fixture

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern


def _compare(build_fixture, name: str) -> Comparison:
    f = BY_NAME[name]
    return compare(build_fixture(f), f.reference, input_size=f.input_size, num_classes=6)


@pytest.mark.parametrize(("name", "line"), [("broken_no_relu_bn2", 26), ("broken_add_before_bn3", 26)])
def test_a_block_defect_is_one_finding_with_its_line(build_fixture, name: str, line: int) -> None:
    c = _compare(build_fixture, name)
    assert [f.pattern for f in c.findings] == [Pattern.REPEATED] and c.unexplained == ()
    finding = c.findings[0]
    assert "16 blocks" in finding.title and finding.source is not None and finding.source.line == line
    assert f"{name}.py:{line}" in (finding.suggestion or "")


def test_missing_relu_says_what_to_add_from_the_reference(build_fixture) -> None:
    finding = _compare(build_fixture, "broken_no_relu_bn2").findings[0]
    assert "ReLU missing in the candidate (main path)" in finding.message
    assert "add the ReLU the reference has (layer1.0.relu)" in (finding.suggestion or "")


@pytest.mark.parametrize(
    "name", ["broken_missing_relu_layer3_2", "broken_dilated_layer4_1", "broken_missing_shortcut_layer3_1"]
)
def test_a_difference_in_one_block_is_not_grouped(build_fixture, name: str) -> None:
    c = _compare(build_fixture, name)
    assert Pattern.REPEATED not in {f.pattern for f in c.findings} and c.mismatches


@pytest.mark.slow
@pytest.mark.parametrize(
    "f", [f for f in BROKEN if f.patterns - {"repeated_in_blocks"}], ids=lambda f: f.name
)
def test_named_variants_keep_their_mismatches(build_fixture, f: Fixture) -> None:
    """Repeated across blocks too, a named variant's mismatches stay with its own finding."""
    c = compare(build_fixture(f), f.reference, input_size=f.input_size, num_classes=6)
    assert Pattern.REPEATED not in {x.pattern for x in c.findings}
