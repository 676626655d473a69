"""Issue 13 catalogue, named variants: ResNet-C deep stem, ResNet-D average-pool shortcut, Keras stem,
TF 'same' padding, squeeze-excitation, dilation (output stride 16 / 8), first-stage downsampling,
ResNetV2's stage-end downsampling.

Each fixture must get its own finding, claiming (nearly) every mismatch, read right in both directions
(fixture as candidate and as reference), and no other fixture may get it. Real timm models are built
with random weights (pretrained=False).
"""

from __future__ import annotations

import pytest
import torch
from fixtures.catalog import BROKEN, BY_NAME, EQUIVALENT, Fixture, path_of

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.align import align_stem_ops
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Comparison, Finding, Pattern

MINE = {
    "broken_deep_stem": Pattern.DEEP_STEM,
    "broken_avg_pool_shortcut": Pattern.AVG_DOWN,
    "broken_keras_stem": Pattern.KERAS_STEM,
    "broken_same_padding": Pattern.SAME_PADDING,
    "broken_squeeze_excitation": Pattern.SQUEEZE_EXCITATION,
    "broken_output_stride16": Pattern.OUTPUT_STRIDE,
    "broken_strided_layer1": Pattern.FIRST_STAGE_STRIDE,
    "broken_stage_end_stride": Pattern.STAGE_END_STRIDE,
}
# ResNet v2 parts with no fixture of their own (tests/test_resnet_v2.py runs them on Keras and timm):
# no fixture may get them either.
NAMED = frozenset(MINE.values()) | {Pattern.PRE_ACTIVATION_STEM, Pattern.CONV_CLASSIFIER}


def _share(c: Comparison, pattern: Pattern) -> float:
    claimed = {i for f in c.findings if f.pattern is pattern for i in f.mismatches}
    return len(claimed) / len(c.mismatches) if c.mismatches else 0.0


def _only(c: Comparison, pattern: Pattern) -> Finding:
    found = [f for f in c.findings if f.pattern is pattern]
    assert len(found) == 1, [f.pattern for f in c.findings]
    return found[0]


@pytest.mark.parametrize("name", sorted(MINE))
def test_variant_gets_its_finding_and_claims_its_mismatches(name: str, build_fixture) -> None:
    c = compare(build_fixture(BY_NAME[name]), "resnet50", input_size=64, num_classes=6)
    finding = _only(c, MINE[name])
    assert _share(c, MINE[name]) >= 0.9
    assert {f.pattern for f in c.findings} & NAMED == {MINE[name]}
    assert finding.suggestion and finding.source is not None
    assert "candidate's" in finding.message or "candidate" in finding.message


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MINE))
def test_variant_as_reference_reads_the_other_way(name: str) -> None:
    from torchvision.models import resnet50

    with torch.device("meta"):
        plain = resnet50(num_classes=6)
    c = compare(plain, f"{path_of(BY_NAME[name])}:build", input_size=64, num_classes=6)
    _only(c, MINE[name])
    assert _share(c, MINE[name]) >= 0.9


def test_fixes_are_the_references_layers(build_fixture) -> None:
    stem = _only(compare(build_fixture(BY_NAME["broken_deep_stem"]), "resnet50", input_size=64, num_classes=6),
                 Pattern.DEEP_STEM)  # fmt: skip
    assert "Conv2d(3, 64, 7, stride=2, padding=3, bias=False)" in (stem.suggestion or "")
    assert "32->32->64" in stem.message and "ResNet-C" in stem.title
    shortcut = _only(
        compare(build_fixture(BY_NAME["broken_avg_pool_shortcut"]), "resnet50", input_size=64, num_classes=6),
        Pattern.AVG_DOWN,
    )
    assert "Conv2d(256, 512, 1, stride=2, bias=False)" in (shortcut.suggestion or "")
    assert shortcut.locations == ("layer2.0", "layer3.0", "layer4.0")
    se = _only(
        compare(
            build_fixture(BY_NAME["broken_squeeze_excitation"]), "resnet50", input_size=64, num_classes=6
        ),
        Pattern.SQUEEZE_EXCITATION,
    )
    assert "Conv2d(256, 16, 1, bias=True)" in se.message and len(se.locations) == 16


def test_keras_stem_says_which_parts_matter(build_fixture) -> None:
    full = _only(compare(build_fixture(BY_NAME["broken_keras_stem"]), "resnet50", input_size=64, num_classes=6),
                 Pattern.KERAS_STEM)  # fmt: skip
    assert "same computation" in full.message and "no ReLU" in full.message and "15x15" in full.message
    assert "MaxPool2d(3, stride=2, padding=1)" in (full.suggestion or "")
    # ZeroPad2d(3) + a padding-0 conv is padding=3 written out: one padded conv, nothing to report
    pad_only = compare(
        build_fixture(BY_NAME["keras_zero_padding_stem"]), "resnet50", input_size=64, num_classes=6
    )
    assert not pad_only.mismatches and not pad_only.findings


def test_dilation_reports_the_output_stride(build_fixture) -> None:
    c = compare(build_fixture(BY_NAME["broken_output_stride16"]), "resnet50", input_size=64, num_classes=6)
    finding = _only(c, Pattern.OUTPUT_STRIDE)
    assert "output stride is 16 where the reference's is 32" in finding.message
    assert "stride=2" in (finding.suggestion or "")


def test_deep_stem_pairs_by_role(build_fixture) -> None:
    """The reference's 7x7 conv pairs with the deep stem's strided first conv, not its last 3x3."""
    ref = trace(__import__("torchvision").models.resnet50(num_classes=6), 64)
    cand = trace(build_fixture(BY_NAME["broken_deep_stem"]), 64)
    conv1 = next(op.id for op in ref.ops if op.module_path == "conv1")
    pair = next(p for p in align_stem_ops(ref, cand) if p.reference == conv1)
    assert pair.candidate is not None and cand.ops[pair.candidate].module_path == "stem.0"


@pytest.mark.slow
@pytest.mark.parametrize("fixture", [f for f in BROKEN if f.name not in MINE], ids=lambda f: f.name)
def test_other_fixtures_get_none_of_these_findings(fixture: Fixture, build_fixture) -> None:
    c = compare(build_fixture(fixture), fixture.reference, input_size=fixture.input_size, num_classes=6)
    assert not {f.pattern for f in c.findings} & NAMED, [f.pattern for f in c.findings]


@pytest.mark.parametrize("fixture", EQUIVALENT, ids=lambda f: f.name)
def test_equivalent_fixtures_get_none_of_these_findings(fixture: Fixture, build_fixture) -> None:
    c = compare(build_fixture(fixture), fixture.reference, input_size=fixture.input_size, num_classes=6)
    assert c.findings == ()


def _timm(name: str, **kwargs: int) -> Comparison:
    timm = pytest.importorskip("timm")
    model = timm.create_model(name, pretrained=False, num_classes=6, **kwargs)
    return compare(model, "resnet50", input_size=64, num_classes=6)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "kwargs", "patterns"),
    [
        ("resnet50d", {}, {Pattern.DEEP_STEM, Pattern.AVG_DOWN}),
        ("resnet50c", {}, {Pattern.DEEP_STEM}),
        ("seresnet50", {}, {Pattern.SQUEEZE_EXCITATION}),
        ("resnet50", {"output_stride": 16}, {Pattern.OUTPUT_STRIDE}),
        ("resnet50", {"output_stride": 8}, {Pattern.OUTPUT_STRIDE}),
    ],
    ids=["resnet50d", "resnet50c", "seresnet50", "resnet50-os16", "resnet50-os8"],
)
def test_timm_variants_are_named(name: str, kwargs: dict[str, int], patterns: set[Pattern]) -> None:
    c = _timm(name, **kwargs)
    assert {f.pattern for f in c.findings} == patterns
    claimed = {i for f in c.findings for i in f.mismatches}
    assert len(claimed) >= 0.9 * len(c.mismatches) > 0


@pytest.mark.slow
def test_timm_resnet50d_as_reference_names_both_parts() -> None:
    timm = pytest.importorskip("timm")
    from torchvision.models import resnet50

    ref = trace(timm.create_model("resnet50d", pretrained=False, num_classes=6), 64)
    c = compare_traces(ref, trace(resnet50(num_classes=6), 64), reference_name="resnet50d",
                       candidate_name="resnet50", num_classes=6)  # fmt: skip
    assert {f.pattern for f in c.findings} == {Pattern.DEEP_STEM, Pattern.AVG_DOWN}
    assert "ResNet-D" in _only(c, Pattern.AVG_DOWN).message
    assert {i for f in c.findings for i in f.mismatches} == set(range(len(c.mismatches)))


@pytest.mark.slow
def test_plain_timm_resnet50_gets_none_of_these_findings() -> None:
    c = _timm("resnet50")
    assert not {f.pattern for f in c.findings} & NAMED
