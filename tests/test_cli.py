"""The CLI contract: stdout carries only the report, exit 0 / 1 / 2, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.catalog import BY_NAME, path_of

from resnet_verify.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_compare_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "compare", "--model", "resnet50", "--input-size", "64", "--num-classes", "6")
    assert code == 0, err
    assert "resnet50" in out and "\x1b[" not in out


def test_v1_compare_exits_1_with_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "compare",
        "--model",
        "resnet50_v1",
        "--reference",
        "resnet50",
        "--input-size",
        "3x64x64",
        "--num-classes",
        "6",
        "--format",
        "json",
    )
    assert code == 1
    report = json.loads(out)  # stdout is the report and nothing else
    assert report["schema_version"] >= 1 and report["ok"] is False
    assert report["input_shape"] == [1, 3, 64, 64]
    assert {m["reference_path"] for m in report["mismatches"]} >= {"layer2.0.conv1", "layer3.0.conv2"}
    assert [f["pattern"] for f in report["findings"]] == ["resnet_v1_stride"]
    for key in ("kind", "reference_path", "candidate_path", "field", "expected", "actual", "message"):
        assert key in report["mismatches"][0]


def test_crashing_candidate_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    spec = f"{path_of(BY_NAME['broken_crash_fc_width'])}:build"
    code, out, _ = run(
        capsys, "compare", "--model", spec, "--input-size", "64", "--num-classes", "6", "--format", "markdown"
    )
    assert code == 1
    assert "crash" in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html", "github"])
def test_output_file_written_atomically(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"report.{fmt}"
    code, out, _err = run(
        capsys,
        "compare",
        "--model",
        "resnet18",
        "--input-size",
        "64",
        "--num-classes",
        "6",
        "--format",
        fmt,
        "--output",
        str(target),
    )
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left behind


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["compare", "--model", "resnet50", "--input-size", "0"], "positive"),
        (["compare", "--model", "resnet50", "--input-size", "-3"], "input size"),
        (["compare", "--model", "resnet50", "--input-size", "16"], "too small"),
        (["compare", "--model", "resnet50", "--input-size", "3x64x64x64x64"], "malformed"),
        (["compare", "--model", "resnet50", "--reference", "vgg16"], "unknown reference"),
        (["compare", "--model", "resnet50", "--format", "pdf"], "invalid choice"),
        (["compare", "--model", "resnet50", "--num-classes", "0"], "num-classes"),
        (["compare", "--model", "resnet5O"], "resnet5O"),
        (["compare", "--model", "nowhere.py:build"], "nowhere.py"),
        (["compare", "--model", "resnet50", "--output", "/nonexistent/dir/r.txt"], "does not exist"),
        (["compare"], "--model"),
        (["frobnicate"], "invalid choice"),
        (["summary", "--model", "resnet18", "--depth", "-1"], "depth"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert needle in err and "Traceback" not in err


def test_summary_has_structure_and_torchinfo_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "summary", "--model", "resnet18", "--input-size", "64", "--depth", "1")
    assert code == 0
    assert "layer4" in out and "total params: 11,689,512" in out
    assert "Total params: 11,689,512" in out  # torchinfo's own table


@pytest.mark.slow
def test_python_dash_m_entry_point() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "resnet_verify",
            "compare",
            "--model",
            "resnet18",
            "--input-size",
            "32",
            "--num-classes",
            "3",
            "--format",
            "github",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("::")
