"""Issue #24's founding case: the blog post's ResNet50 (``padding=True`` 3x3s, v1 stride, a head
sized for 64 px with the width written in ``forward``) gives, in one run, the crash cause at its line
with the int to write, and the model's real differences traced past it; following every fix the
report gives compares clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from torch import nn

from resnet_verify.cli.main import main
from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import MismatchKind, Pattern

POST = Path(__file__).parent / "fixtures" / "quirky" / "blog_post_resnet50.py"


def _line(text: str, source: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), 1) if text in line)


def test_one_run_names_the_crash_cause_and_the_differences_past_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        [
            "compare",
            "--model",
            f"{POST}:build",
            "--input-size",
            "64",
            "--num-classes",
            "6",
            "--format",
            "json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    patterns = {f["pattern"]: f for f in report["findings"]}
    assert set(patterns) == {"bool_argument", "resnet_v1_stride", "fixed_size_head", "conv_bias_before_bn"}
    source = POST.read_text()
    bool_finding = patterns["bool_argument"]
    assert bool_finding["source"]["line"] == _line("nn.Conv2d(a, b, f, padding=True)", source)
    assert "padding=1" in bool_finding["suggestion"]
    assert f":{_line('x.view(x.size(0), 8192)', source)}" in patterns["fixed_size_head"]["suggestion"]
    assert not report["unexplained"] and report["crash"] is None
    assert any("traced with 16 repairs" in n for n in report["notes"])


def test_the_users_model_is_not_changed() -> None:
    model, _ = build_model(f"{POST}:build", num_classes=6)
    trace(model, 64)
    conv = dict(model.named_modules())["s2.0.c2"]
    assert isinstance(conv, nn.Conv2d) and conv.padding == (True, True)


def test_following_every_fix_compares_clean(tmp_path: Path) -> None:
    fixed = (
        POST.read_text()
        .replace("nn.Conv2d(a, b, f, padding=True)", "nn.Conv2d(a, b, f, stride=s, padding=1, bias=False)")
        .replace("nn.Conv2d(cin, a, 1, stride=s)", "nn.Conv2d(cin, a, 1, bias=False)")
        .replace("nn.Conv2d(b, c, 1)", "nn.Conv2d(b, c, 1, bias=False)")
        .replace("nn.Conv2d(cin, c, 1, stride=s)", "nn.Conv2d(cin, c, 1, stride=s, bias=False)")
        .replace(
            "nn.Conv2d(3, 64, 7, stride=2, padding=3)", "nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)"
        )
        .replace("nn.AvgPool2d(2, 2, padding=1)", "nn.AdaptiveAvgPool2d(1)")
        .replace("nn.Linear(8192, classes)", "nn.Linear(2048, classes)")
        .replace("x = x.view(x.size(0), 8192)", "x = torch.flatten(x, 1)")
        .replace("import torch.nn as nn", "import torch\nimport torch.nn as nn")
    )
    (tmp_path / "fixed.py").write_text(fixed)
    c = compare(
        build_model(f"{tmp_path / 'fixed.py'}:build", num_classes=6)[0],
        "resnet50",
        input_size=64,
        num_classes=6,
    )
    assert c.ok, [m.message for m in c.mismatches[:5]]


class _StrideTrue(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=True, padding=1)
        self.fc = nn.Linear(8, 6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.conv(x).mean((2, 3)))


class _BoolAndWrongWidth(_StrideTrue):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(9, 6)  # a second defect, after the conv


class _CrashBeforeTheBool(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.first = nn.Conv2d(4, 8, 3)  # takes 4 channels: fails before the bool conv runs
        self.conv = nn.Conv2d(8, 8, 3, padding=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(self.first(x))


def test_a_stride_bool_is_repaired_too() -> None:
    t = trace(_StrideTrue(), 32)
    assert t.crash is None and [(r.attribute, r.used) for r in t.repairs] == [("stride", (1, 1))]


def test_no_repair_without_a_bool_or_a_width_or_when_it_does_not_get_further() -> None:
    plain = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.AvgPool2d(64), nn.Flatten(), nn.Linear(8, 2))
    t = trace(plain, 32)
    assert t.crash is not None and not t.repairs
    # its first conv reads the model's input: that is the input's channel count, never re-sized; the
    # bool conv after it cannot help, so nothing is repaired
    t = trace(_CrashBeforeTheBool(), 32)
    assert t.crash is not None and t.crash.module_path == "first" and t.repairs == ()


def test_past_the_bool_the_next_repairable_crash_is_repaired() -> None:
    t = trace(_BoolAndWrongWidth(), 32)  # the width past the bool is repaired as well
    assert [r.attribute for r in t.repairs] == ["stride", "in_features"] and t.crash is None


def test_a_model_that_runs_gets_no_repair_mismatch() -> None:
    c = compare(build_model("resnet18", num_classes=6)[0], "resnet18", input_size=64, num_classes=6)
    assert not any(m.kind is MismatchKind.REPAIR for m in c.mismatches)
    assert Pattern.BOOL_ARGUMENT not in {f.pattern for f in c.findings}


def test_summary_says_the_figures_are_the_repaired_models(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["summary", "--model", f"{POST}:build", "--input-size", "64", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["crash"] is None
    assert {r["attribute"] for r in report["repairs"]} == {"padding"} and len(report["repairs"]) == 16
