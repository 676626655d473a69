"""Issue 13 catalogue entries: not-a-ResNet verdict, the CIFAR ResNet family (and stage pairing by
progression), widths, hard-coded class count, functional global pooling, BN folding, pre-activation
transition blocks. Each fixture must get exactly its finding and have its mismatches claimed."""

from __future__ import annotations

import re
import time

import pytest
import torch
from fixtures.catalog import BROKEN, BY_NAME, path_of

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.patterns.family import VERDICT_MISMATCHES
from resnet_verify.verify.records import Comparison, Pattern

# fixture -> the one finding it must get
EXPECTED = {
    "other_cifar_resnet20": Pattern.CIFAR_RESNET,
    "other_vgg_style": Pattern.NOT_RESIDUAL,
    "other_mobilenet_style": Pattern.NOT_RESIDUAL,
    "broken_wide_bottleneck": Pattern.WIDTHS,
    "broken_half_width": Pattern.WIDTHS,
    "broken_narrow_layer4": Pattern.WIDTHS,
    "broken_hardcoded_classes": Pattern.CLASS_COUNT,
    "broken_literal_pool_head": Pattern.FIXED_HEAD,
    "broken_bn_folded": Pattern.BN_FOLDED,
    "broken_preactivation": Pattern.PRE_ACTIVATION,
    "broken_option_a_shortcut": Pattern.OPTION_A_SHORTCUT,
}


def _compare(build_fixture, name: str, reference: str | None = None) -> Comparison:
    f = BY_NAME[name]
    return compare(build_fixture(f), reference or f.reference, input_size=f.input_size, num_classes=6)


def claim_rate(c: Comparison) -> float:
    claimed = {i for f in c.findings for i in f.mismatches}
    return len(claimed) / len(c.mismatches) if c.mismatches else 1.0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gets_exactly_its_finding_and_it_claims_every_mismatch(name: str, build_fixture) -> None:
    c = _compare(build_fixture, name)
    assert [f.pattern for f in c.findings] == [EXPECTED[name]]
    assert claim_rate(c) == 1.0, [c.mismatches[i].message for i in c.unexplained]


@pytest.mark.parametrize("name", ["other_cifar_resnet20", "other_vgg_style", "other_mobilenet_style"])
def test_a_verdict_is_one_finding_over_at_most_twenty_mismatches(name: str, build_fixture) -> None:
    c = _compare(build_fixture, name)
    assert len(c.findings) == 1 and c.findings[0].verdict
    assert 0 < len(c.mismatches) <= VERDICT_MISMATCHES
    assert all(m.cause is None or m.cause < len(c.mismatches) for m in c.mismatches)
    assert any("more mismatches" in n for n in c.notes)


def test_cifar_resnet20_stages_pair_by_progression_and_the_verdict_names_its_depth(build_fixture) -> None:
    c = _compare(build_fixture, "other_cifar_resnet20")
    per_stage = [sum(1 for p in c.blocks if p.stage == s and p.candidate is not None) for s in range(4)]
    assert per_stage == [3, 3, 3, 0]
    missing = [p for p in c.blocks if p.candidate is None]
    assert [p.stage for p in missing] == [3, 3]  # resnet18's layer4 only, not 6 blocks everywhere
    verdict = c.findings[0]
    assert "CIFAR ResNet-20" in verdict.message and "zero-padded (option A)" in verdict.message
    assert "[2, 2, 2, 2] BasicBlocks, 64/128/256/512 wide" in (verdict.suggestion or "")


def test_cifar_resnet_against_itself_is_clean(build_fixture) -> None:
    spec = f"{path_of(BY_NAME['other_cifar_resnet20'])}:build"
    c = _compare(build_fixture, "other_cifar_resnet20", reference=spec)
    assert c.ok and c.findings == ()


def test_a_cifar_stem_on_a_four_stage_resnet_is_not_the_cifar_family(build_fixture) -> None:
    c = _compare(build_fixture, "broken_cifar_stem")
    assert {f.pattern for f in c.findings} == {Pattern.CIFAR_STEM}


def test_resnet_variants_get_no_verdict() -> None:
    import torchvision

    for name in ("wide_resnet50_2", "resnext50_32x4d", "resnet18"):
        with torch.device("meta"):
            model = torchvision.models.get_model(name, num_classes=6)
        c = compare(model, "resnet50", input_size=64, num_classes=6)
        assert not any(f.verdict for f in c.findings), name


def test_width_fixes_name_only_the_reference_widths(build_fixture) -> None:
    c = _compare(build_fixture, "broken_half_width")
    suggestion = c.findings[0].suggestion or ""
    numbers = set(map(int, re.findall(r"\b\d+\b", suggestion.split(": ", 1)[1])))
    assert numbers == {64, 128, 256, 512}
    assert "0.5x" in c.findings[0].message and "whole network" in c.findings[0].message
    wide = _compare(build_fixture, "broken_wide_bottleneck").findings[0]
    assert "bottleneck (inner) widths in every stage are 2x" in wide.message
    assert wide.suggestion is not None and wide.suggestion.endswith("bottleneck widths 64/128/256/512")


@pytest.mark.parametrize("name", ["broken_grouped_1x1_layer2", "broken_conv_bias", "broken_cifar_stem"])
def test_widths_do_not_fire_where_channels_match(name: str, build_fixture) -> None:
    assert Pattern.WIDTHS not in {f.pattern for f in _compare(build_fixture, name).findings}


def test_class_count_fix_follows_the_reference(build_fixture) -> None:
    finding = _compare(build_fixture, "broken_hardcoded_classes").findings[0]
    assert "1000 outputs where the reference's has 6" in finding.message
    assert "Linear(512, num_classes)" in (finding.suggestion or "")
    other = _compare(build_fixture, "broken_half_width")  # in_features differ, class count right
    assert Pattern.CLASS_COUNT not in {f.pattern for f in other.findings}


def test_a_literal_pool_that_fits_one_size_stays_a_fixed_head(build_fixture) -> None:
    from resnet_verify.tracing.global_pools import follow_input_size
    from resnet_verify.tracing.records import OpKind
    from resnet_verify.tracing.tracer import trace

    def head_kinds(name: str) -> list[OpKind]:
        model = build_fixture(BY_NAME[name])
        t = follow_input_size(model, trace(model, 64))
        return [t.ops[o].kind for o in t.structure.head]

    assert OpKind.AVG_POOL in head_kinds("broken_literal_pool_head")
    functional = head_kinds("equiv_functional_avgpool_head")
    assert OpKind.GLOBAL_POOL in functional and OpKind.AVG_POOL not in functional


@pytest.mark.parametrize("name", ["broken_conv_bias", "broken_projection_without_bn", "broken_no_relu_bn2"])
def test_bn_folding_needs_biased_convs_and_no_batchnorm(name: str, build_fixture) -> None:
    assert Pattern.BN_FOLDED not in {f.pattern for f in _compare(build_fixture, name).findings}


def test_bn_folded_is_not_told_to_drop_its_biases(build_fixture) -> None:
    finding = _compare(build_fixture, "broken_bn_folded").findings[0]
    assert "keep the biases" in (finding.suggestion or "") and "bias=False" not in finding.message


def test_pre_activation_covers_transition_blocks(build_fixture) -> None:
    c = _compare(build_fixture, "broken_preactivation")
    assert len(c.findings[0].locations) == 8 and "16 blocks" in c.findings[0].message
    assert Pattern.PRE_ACTIVATION not in {
        f.pattern for f in _compare(build_fixture, "broken_add_before_bn3").findings
    }


def _build_torchvision(name: str) -> torch.nn.Module:
    import torchvision
    from torchvision.models import regnet

    if not name.startswith("regnet"):
        with torch.device("meta"):
            return torchvision.models.get_model(name, num_classes=6)
    # RegNet's builder computes its block widths with tensor ops, which cannot run on meta: compute
    # those on the CPU and build the modules on meta.
    original = regnet.BlockParams.__dict__["from_init_params"]

    def on_cpu(cls: type, *args: object, **kwargs: object) -> object:
        with torch.device("cpu"):
            return original.__func__(cls, *args, **kwargs)

    setattr(regnet.BlockParams, "from_init_params", classmethod(on_cpu))  # noqa: B010 (restored below)
    try:
        with torch.device("meta"):
            return torchvision.models.get_model(name, num_classes=6)
    finally:
        setattr(regnet.BlockParams, "from_init_params", original)  # noqa: B010


def _input_size(name: str) -> int:
    if name.startswith(("vit", "swin", "maxvit")):
        return 224  # patch embeddings / window sizes need the size they were built for
    return 299 if name.startswith("inception") else 64


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::FutureWarning")  # googlenet / inception init warnings
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_every_torchvision_classifier_against_resnet50() -> None:
    import torchvision

    names = torchvision.models.list_models(module=torchvision.models)
    assert len(names) == 80
    start, wrong = time.perf_counter(), []
    for name in names:
        c = compare(_build_torchvision(name), "resnet50", input_size=_input_size(name), num_classes=6)
        # RegNets are residual networks of conv blocks (ResNeXt-kind bottlenecks, SE): compared block
        # by block like the ResNets (#23: the verdict is for networks without conv blocks)
        resnet = name.startswith(("resnet", "resnext", "wide_resnet", "regnet"))
        verdict = [f for f in c.findings if f.verdict]
        if resnet and verdict:
            wrong.append(f"{name}: verdict on a ResNet")
        if not resnet and not (len(c.findings) == 1 and verdict and len(c.mismatches) <= VERDICT_MISMATCHES):
            wrong.append(f"{name}: {[f.pattern.value for f in c.findings]}, {len(c.mismatches)} mismatches")
    print(f"80 torchvision models compared with resnet50 in {time.perf_counter() - start:.1f} s")
    assert not wrong, wrong


def _folded_candidate(build_fixture) -> torch.nn.Module:
    return build_fixture(BY_NAME["broken_bn_folded"], device=None)


def test_a_bn_folded_model_is_equivalent_to_the_reference_folded_the_same_way(build_fixture) -> None:
    from resnet_verify.verify.equivalence import check_equivalence

    model = _folded_candidate(build_fixture)
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    report = check_equivalence(model, "resnet18", comparison=c)
    assert report.equivalent is True, report
    assert any("20 BatchNorms folded" in n for n in report.notes)


@pytest.mark.slow
def test_a_bn_folded_model_with_a_real_defect_is_not_equivalent(build_fixture) -> None:
    from resnet_verify.verify.equivalence import check_equivalence

    model = _folded_candidate(build_fixture)
    model.get_submodule(
        "layer2.1"
    ).relu = torch.nn.Identity()  # no ReLU anywhere in that block: same shapes, other values
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    assert Pattern.BN_FOLDED in {f.pattern for f in c.findings}
    report = check_equivalence(model, "resnet18", comparison=c)
    assert report.equivalent is False and report.output_max_abs is not None and report.output_max_abs > 0


@pytest.mark.slow
def test_fold_batchnorm_keeps_the_reference_outputs() -> None:
    import torchvision

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.folding import fold_batchnorm
    from resnet_verify.verify.weights import randomize_batchnorm

    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=6).eval()
    randomize_batchnorm(model, (2, 3, 64, 64), seed=0)
    folded, count = fold_batchnorm(model, trace(model, 64))
    assert count == 20 and not any(isinstance(m, torch.nn.BatchNorm2d) for m in folded.modules())
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(folded(x), model(x), rtol=1e-4, atol=1e-4)


def test_blocks_are_checked_one_by_one_when_the_stem_cannot_be_paired(build_fixture) -> None:
    from resnet_verify.verify.equivalence import check_equivalence

    model = build_fixture(BY_NAME["broken_cifar_stem"], device=None)
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    report = check_equivalence(model, "resnet50", comparison=c)
    assert report.equivalent is True and len(report.block_errors) == 16
    assert any("checked one by one" in n for n in report.notes)


def test_block_by_block_equivalence_localizes_a_numeric_difference(build_fixture) -> None:
    from resnet_verify.verify.equivalence import check_equivalence

    model = build_fixture(BY_NAME["broken_cifar_stem"], device=None)
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    pair = c.blocks[5]
    assert pair.candidate is not None and pair.reference is not None
    block = c.candidate.structure.blocks[pair.candidate]
    bn = next(m for m in model.get_submodule(block.path).modules() if isinstance(m, torch.nn.BatchNorm2d))
    bn.eps = 0.5  # same shapes and parameters, other values: only this block may diverge
    report = check_equivalence(model, "resnet50", comparison=c)
    assert report.equivalent is False
    assert report.first_divergent == c.reference.structure.blocks[pair.reference].path


@pytest.mark.slow
def test_blocks_that_cannot_be_paired_leave_no_verdict(build_fixture) -> None:
    from resnet_verify.verify.equivalence import check_equivalence

    model = build_fixture(BY_NAME["broken_narrow_layer4"], device=None)
    report = check_equivalence(model, "resnet50", input_size=64, num_classes=6)
    assert report.equivalent is None and len(report.block_errors) == 13  # layer1-3; layer4 is narrower
    assert report.skipped_reason is not None and "3 could not" in report.skipped_reason


@pytest.mark.parametrize(
    "name", ["broken_projection_without_bn", "equiv_resnet18_renamed", "other_cifar_resnet20"]
)
def test_option_a_needs_a_conv_projection_in_the_reference_and_none_in_the_candidate(
    name: str, build_fixture
) -> None:
    assert Pattern.OPTION_A_SHORTCUT not in {f.pattern for f in _compare(build_fixture, name).findings}


@pytest.mark.parametrize("f", BROKEN, ids=lambda f: f.name)
def test_every_fixture_gets_exactly_its_catalogued_findings(f, build_fixture) -> None:
    """The catalogue's ``patterns`` are the whole truth: no other detector may fire on a fixture
    (each detector's must-not-fire case, over every other fixture), and a fixture with no named
    variant (a missing ReLU in one block, a crash) gets no finding and keeps its mismatches."""
    c = compare(build_fixture(f), f.reference, input_size=f.input_size, num_classes=6)
    assert {x.pattern.value for x in c.findings} == set(f.patterns)
    assert c.mismatches and all(x.mismatches for x in c.findings)


def test_a_feature_linear_before_another_head_is_no_class_count() -> None:
    """DUQ: ``resnet18(num_classes=512)`` as the feature layer, an RBF head to the classes after it:
    the prediction has the asked classes, so the 512 is a feature width, not a hard-coded class count."""
    from torch import nn
    from torchvision.models import resnet18

    class Rbf(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = resnet18(num_classes=32)
            self.centroids = nn.Parameter(torch.zeros(16, 6, 32))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            z = torch.einsum("ij,mnj->imn", self.body(x), self.centroids)
            return (-(z**2).mean(1)).exp()

    with torch.device("meta"):
        model = Rbf()
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    assert c.mismatches and Pattern.CLASS_COUNT not in {f.pattern for f in c.findings}
