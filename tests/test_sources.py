"""Every mismatch points at the line of the user's code that built (or should have built) it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import torch
from fixtures.catalog import BY_NAME, defect_line, path_of

from resnet_verify.cli.main import main
from resnet_verify.models.resnet import resnet18
from resnet_verify.specs.builders import build_model
from resnet_verify.specs.sources import record_sources
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import MismatchKind, Pattern

REPO = Path(__file__).resolve().parents[1]

# One fixture per kind of defect the issue names: its '# DEFECT' line must be reported.
POINTED = {
    "broken_v1_stride_layer3": MismatchKind.ATTRIBUTE,  # conv hyper-parameter
    "broken_dilated_layer4_1": MismatchKind.ATTRIBUTE,
    "broken_projection_without_bn": MismatchKind.MISSING,  # a missing BN
    "broken_no_relu_bn2": MismatchKind.OP,  # a missing ReLU in forward
    "broken_missing_relu_layer3_2": MismatchKind.OP,  # an nn.Identity standing in for the ReLU
    "broken_missing_shortcut_layer3_1": MismatchKind.OP,  # a missing shortcut add
    "broken_add_before_bn3": MismatchKind.OP,  # the add on the wrong side of bn3
    "broken_crash_fc_width": MismatchKind.REPAIR,  # a head sized for another width, traced past
    "broken_crash_value_error": MismatchKind.CRASH,  # user code that raises in forward
    "broken_keras_batchnorm": MismatchKind.ATTRIBUTE,
    "broken_avgpool_stem": MismatchKind.OP,
}


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # locations are reported relative to the current directory


@pytest.mark.parametrize("name", sorted(POINTED))
def test_mismatch_points_at_the_defect_line(name: str) -> None:
    fixture = BY_NAME[name]
    model, _ = build_model(f"{path_of(fixture)}:build", num_classes=6, device="meta")
    c = compare(model, fixture.reference, input_size=fixture.input_size, num_classes=6)
    rel = path_of(fixture).relative_to(REPO).as_posix()
    hits = [
        m
        for m in c.mismatches
        if m.kind is POINTED[name]
        and m.source is not None
        and m.source.file == rel
        and m.source.line == defect_line(fixture)
    ]
    assert hits, [(m.kind.value, str(m.source)) for m in c.mismatches]


def test_head_finding_suggests_the_fix_at_its_line() -> None:
    fixture = BY_NAME["classic_keras_resnet50"]
    model, _ = build_model(f"{path_of(fixture)}:build", num_classes=6, device="meta")
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    lines = path_of(fixture).read_text().splitlines()
    head = next(f for f in c.findings if f.pattern is Pattern.FIXED_HEAD)
    assert head.source is not None and "AvgPool2d(2" in lines[head.source.line - 1]
    assert head.suggestion is not None
    assert str(head.source) in head.suggestion and "AdaptiveAvgPool2d(1)" in head.suggestion
    v1 = next(f for f in c.findings if f.pattern is Pattern.V1_STRIDE)
    assert v1.source is not None and "stride" in lines[v1.source.line - 1]
    assert v1.suggestion is not None and "move stride=2" in v1.suggestion
    fc = next(m for m in c.mismatches if m.reference_path == "fc" and m.field == "in_features")
    assert fc.source is not None and "nn.Linear(8192" in lines[fc.source.line - 1]


def test_keras_batchnorm_suggestion_names_momentum() -> None:
    fixture = BY_NAME["broken_keras_batchnorm"]
    model, _ = build_model(f"{path_of(fixture)}:build", num_classes=6, device="meta")
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    finding = next(f for f in c.findings if f.pattern is Pattern.KERAS_BATCHNORM)
    assert finding.suggestion is not None
    assert f"{path_of(fixture).name}:{defect_line(fixture)}" in finding.suggestion
    assert "momentum=0.01" in finding.suggestion


def test_python_api_instance_gets_class_level_location() -> None:
    # By name: a static import would make mypy check the fixture, which stands for users' code.
    build = importlib.import_module("fixtures.models.broken_dilated_layer4_1").build
    model = build(num_classes=6)  # built outside record_sources: only classes are knowable
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    sources = [m.source for m in c.mismatches if m.source is not None]
    assert sources and all(not s.exact for s in sources)
    with record_sources():
        exact = build(num_classes=6)
    c = compare(exact, "resnet50", input_size=64, num_classes=6)
    assert any(
        m.source.exact and m.source.line == defect_line(BY_NAME["broken_dilated_layer4_1"])
        for m in c.mismatches
        if m.source
    )


def test_record_sources_leaves_modules_untouched() -> None:
    # the __init__ found before, not torch's own: torch._dynamo (a user model calling torch.cond, heldout128)
    # installs its own wrapper for the rest of the process, which record_sources must leave as it found it
    before = torch.nn.Module.__init__
    with record_sources():
        model = resnet18()
    assert torch.nn.Module.__init__ is before
    assert set(vars(model.conv1)) == set(vars(resnet18().conv1))


GITHUB = re.compile(r"^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::.*$")


def test_github_annotations_carry_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = BY_NAME["broken_v1_stride_layer3"]
    rel = path_of(fixture).relative_to(REPO).as_posix()
    code = main(
        [
            "compare",
            "--model",
            f"{rel}:build",
            "--input-size",
            "64",
            "--num-classes",
            "6",
            "--format",
            "github",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    assert all(GITHUB.match(line) for line in lines), lines
    assert f"::error file={rel},line={defect_line(fixture)}," in out
