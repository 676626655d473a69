"""``--reference SPEC`` takes any model spec; stage rows carry MACs, receptive field and stride."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resnet_verify.cli.main import main
from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern
from resnet_verify.verify.stage_metrics import receptive_field_note

# A user's own two-stage ResNet (not torchvision's): the kind of model one diffs against its last
# version in CI.
_TINY = """
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + (x if self.proj is None else self.proj(x)))


class Tiny(nn.Module):
    def __init__(self, num_classes=10, stride=STRIDE):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.s1 = nn.Sequential(Block(16, 16, 1), Block(16, 16, 1))
        self.s2 = nn.Sequential(Block(16, 32, stride), Block(32, 32, 1))
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x):
        x = self.s2(self.s1(self.stem(x)))
        return self.fc(x.mean((2, 3)))


def build(num_classes=10):
    return Tiny(num_classes)
"""


def _tiny(tmp_path: Path, name: str = "tiny.py", stride: int = 2) -> str:
    path = tmp_path / name
    path.write_text(_TINY.replace("STRIDE", str(stride)), encoding="utf-8")
    return f"{path}:build"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_self_compare_of_a_users_model_as_the_reference_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _tiny(tmp_path)
    args = ("compare", "--model", spec, "--reference", spec, "--input-size", "32", "--num-classes", "10")
    code, out, err = _run(capsys, *args, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["ok"] and report["reference"] == spec
    assert report["totals"]["reference_macs"] == report["totals"]["candidate_macs"] > 0
    stages = report["stages"]
    assert [s["reference_stride"] for s in stages[:-1]] == [1, 1, 2]
    assert all(s["reference_receptive_field"] == s["candidate_receptive_field"] for s in stages)


def test_two_versions_of_a_users_model_differ(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _tiny(tmp_path, "old.py"), _tiny(tmp_path, "new.py", stride=1)
    code, out, _ = _run(
        capsys, "compare", "--model", new, "--reference", old, "--input-size", "32", "--format", "json"
    )
    assert code == 1
    last = json.loads(out)["stages"][-2]
    assert (last["reference_stride"], last["candidate_stride"]) == (2, 1)
    assert last["candidate_macs"] > last["reference_macs"]  # stride 1 keeps the map 4x larger


def test_a_bad_reference_spec_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "compare", "--model", "resnet18", "--reference", "nope.py:build")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_stage_rows_carry_metrics_and_the_receptive_field_note() -> None:
    model, _ = build_model("resnet50_v1", num_classes=10, device="meta")
    c = compare(model, "resnet50", input_size=224, num_classes=10)
    layer4 = c.stages[-2]
    assert (layer4.reference_receptive_field, layer4.candidate_receptive_field) == (427, 483)
    assert (layer4.reference_stride, layer4.candidate_stride) == (32, 32)
    assert layer4.candidate_macs is not None and layer4.reference_macs is not None
    assert layer4.candidate_macs < layer4.reference_macs  # the strided 1x1 convolves a 4x smaller map
    note = receptive_field_note(c.reference, c.candidate, c.blocks)
    assert note == "layer4 sees 483 px of the input in the candidate, 427 px in the reference"


def test_no_receptive_field_note_when_both_sides_see_the_same() -> None:
    model, _ = build_model("resnet50", num_classes=10, device="meta")
    c = compare(model, "resnet50", input_size=64, num_classes=10)
    assert receptive_field_note(c.reference, c.candidate, c.blocks) is None


def test_v15_candidate_against_a_v1_reference_gets_the_finding() -> None:
    model, _ = build_model("resnet50", num_classes=10, device="meta")
    c = compare(model, "resnet50_v1", input_size=64, num_classes=10)
    assert c.reference_name == "resnet50_v1"
    v1 = [f for f in c.findings if f.pattern is Pattern.V1_STRIDE]
    assert v1 and set(v1[0].mismatches) == set(range(len(c.mismatches)))
    assert "layer4 sees 427 px of the input in the candidate, 483 px in the reference" in v1[0].message


def test_v1_finding_says_what_layer4_sees() -> None:
    model, _ = build_model("resnet50_v1", num_classes=10, device="meta")
    c = compare(model, "resnet50", input_size=224, num_classes=10)
    v1 = next(f for f in c.findings if f.pattern is Pattern.V1_STRIDE)
    assert "layer4 sees 483 px of the input in the candidate, 427 px in the reference" in v1.message


_TIMM = """
import timm


def build(num_classes=1000):
    return timm.create_model("resnet50", pretrained=False, num_classes=num_classes)
"""


@pytest.mark.slow
def test_v1_candidate_against_a_timm_reference_gets_the_v1_finding(tmp_path: Path) -> None:
    pytest.importorskip("timm")
    path = tmp_path / "timm_ref.py"
    path.write_text(_TIMM, encoding="utf-8")
    model, _ = build_model("resnet50_v1", num_classes=10, device="meta")
    c = compare(model, f"{path}:build", input_size=64, num_classes=10)
    v1 = [f for f in c.findings if f.pattern is Pattern.V1_STRIDE]
    assert v1, [f.title for f in c.findings]
    assert {"layer2.0", "layer3.0", "layer4.0"} <= set(v1[0].locations)
    assert c.stages[-2].reference_receptive_field == 427 and c.stages[-2].candidate_receptive_field == 483


def test_an_edited_reference_file_is_traced_again(tmp_path: Path) -> None:
    spec = _tiny(tmp_path)
    model, _ = build_model(spec, num_classes=10)
    assert compare(model, spec, input_size=32, num_classes=10).ok
    (tmp_path / "tiny.py").write_text(_TINY.replace("STRIDE", "1"), encoding="utf-8")
    assert not compare(model, spec, input_size=32, num_classes=10).ok  # no stale in-process memo
