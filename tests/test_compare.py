"""compare(): every broken fixture detected and localized, every equivalent one clean."""

from __future__ import annotations

import pytest
import torch
from fixtures.catalog import BROKEN, BY_NAME, EQUIVALENT, Fixture

from resnet_verify.models.resnet import resnet18, resnet50, resnet50_v1
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import MismatchKind, Pattern


def _under(path: str | None, expected: str) -> bool:
    return path is not None and (path == expected or path.startswith(expected + "."))


@pytest.mark.parametrize("fixture", BROKEN, ids=lambda f: f.name)
def test_broken_fixture_is_detected_and_localized(fixture: Fixture, build_fixture) -> None:
    c = compare(build_fixture(fixture), fixture.reference, input_size=fixture.input_size, num_classes=6)
    assert not c.ok
    kinds = {m.kind.value for m in c.mismatches}
    assert fixture.kinds <= kinds, f"expected kinds {set(fixture.kinds)}, got {kinds}"
    for expected in fixture.reference_paths:
        assert any(_under(m.reference_path, expected) for m in c.mismatches), (
            f"no mismatch at {expected}: {[m.reference_path for m in c.mismatches]}"
        )
    for expected in getattr(fixture, "candidate_paths", frozenset()):
        assert any(_under(m.candidate_path, expected) for m in c.mismatches)
    patterns = {f.pattern.value for f in c.findings}
    assert fixture.patterns <= patterns, f"expected {set(fixture.patterns)}, got {patterns}"
    for finding in c.findings:
        assert all(0 <= i < len(c.mismatches) for i in finding.mismatches)


@pytest.mark.parametrize("fixture", EQUIVALENT, ids=lambda f: f.name)
def test_equivalent_fixture_compares_clean(fixture: Fixture, build_fixture) -> None:
    c = compare(build_fixture(fixture), fixture.reference, input_size=fixture.input_size, num_classes=6)
    assert c.ok, [m.message for m in c.mismatches]
    assert c.findings == ()
    assert all(row.ok for row in c.stages)


def test_broken_fixtures_cover_every_static_kind() -> None:
    covered = set().union(*(f.kinds for f in BROKEN))
    static = {k.value for k in MismatchKind} - {"numeric"}
    assert static <= covered
    assert len(BROKEN) >= 12 and len(EQUIVALENT) >= 5


@pytest.mark.parametrize("size", [64, 224])
def test_project_resnet50_is_clean(size: int) -> None:
    with torch.device("meta"):
        model = resnet50(num_classes=6)
    c = compare(model, "resnet50", input_size=size, num_classes=6)
    assert c.ok and c.findings == ()
    assert [r.name for r in c.stages] == ["stem", "layer1", "layer2", "layer3", "layer4", "head"]


def test_project_v1_reports_only_the_stride_finding() -> None:
    with torch.device("meta"):
        model = resnet50_v1(num_classes=6)
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.V1_STRIDE]
    finding = c.findings[0]
    assert finding.locations == ("layer2.0", "layer3.0", "layer4.0")
    assert set(finding.mismatches) == set(range(len(c.mismatches)))  # nothing unexplained
    assert "parameter counts are identical" in finding.message
    assert {m.kind for m in c.mismatches} == {MismatchKind.ATTRIBUTE, MismatchKind.SHAPE}
    assert all(
        m.reference_path is not None and m.reference_path.split(".")[0] in {"layer2", "layer3", "layer4"}
        for m in c.mismatches
    )


def test_classic_keras_resnet50_is_exactly_v1_plus_fixed_head(build_fixture) -> None:
    c = compare(build_fixture(BY_NAME["classic_keras_resnet50"]), "resnet50", input_size=64, num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.V1_STRIDE, Pattern.FIXED_HEAD]
    explained = {i for f in c.findings for i in f.mismatches}
    assert explained == set(range(len(c.mismatches)))
    assert c.findings[0].locations == ("layer2.0", "layer3.0", "layer4.0")
    head = c.findings[1]
    assert "33-96 px" in head.message  # layer4 is 2x2 or 3x3 only for those sizes


def test_missing_block_is_one_mismatch_not_a_cascade(build_fixture) -> None:
    c = compare(
        build_fixture(BY_NAME["broken_block_counts_layer3"]), "resnet50", input_size=64, num_classes=6
    )
    assert [(m.kind, m.reference_path) for m in c.mismatches] == [(MismatchKind.MISSING, "layer3.5")]
    layer3 = next(r for r in c.stages if r.name == "layer3")
    assert (layer3.reference_blocks, layer3.candidate_blocks) == (6, 5) and not layer3.ok
    assert "[3, 4, 5, 3]" in c.findings[0].message


def test_wrong_num_classes_is_found() -> None:
    c = compare(resnet18(num_classes=7), "resnet18", input_size=64, num_classes=6)
    assert any(m.reference_path == "fc" and m.field == "out_features" for m in c.mismatches)


def test_compare_leaves_the_candidate_alone() -> None:
    model = resnet18(num_classes=6)
    before = [p.clone() for p in model.parameters()]
    compare(model, "resnet18", input_size=64, num_classes=6)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
