"""Sensible defaults: without ``--num-classes`` the class count is read off the model's head (and
the header says so); one input-size default for compare, summary and port; one input spelling."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from resnet_verify.cli.main import main, main_parser
from resnet_verify.report.formats import render
from resnet_verify.specs.builders import build_model
from resnet_verify.verify.classes import ClassesFrom
from resnet_verify.verify.comparison import compare

CLASSES = Path(__file__).resolve().parent / "fixtures" / "everyday" / "everyday_classes.py"
VS_RESNET18 = ["--reference", "resnet18", "--input-size", "64"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _json_compare(capsys: pytest.CaptureFixture[str], builder: str, *extra: str) -> tuple[int, dict]:
    code, out, err = _run(
        capsys, "compare", "--model", f"{CLASSES}:{builder}", *VS_RESNET18, "--format", "json", *extra
    )
    assert code in (0, 1), err
    return code, json.loads(out)


def test_the_class_count_comes_from_the_head_and_the_header_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(capsys, "compare", "--model", f"{CLASSES}:follows", *VS_RESNET18)
    assert code == 0, err
    assert out.splitlines()[0] == (
        "everyday_classes.py:follows vs resnet18 @ 1x3x64x64, 6 classes, from the model's head: MATCH"
    )


def test_a_head_written_as_six_is_not_a_finding_without_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _json_compare(capsys, "fixed_six")
    assert code == 0 and report["num_classes"] == 6 and report["num_classes_from"] == "head"
    assert report["findings"] == []


def test_a_head_that_ignores_the_flag_keeps_its_finding(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _json_compare(capsys, "fixed_six", "--num-classes", "10")
    assert code == 1 and report["num_classes"] == 10 and report["num_classes_from"] == "given"
    assert [f["pattern"] for f in report["findings"]] == ["hard_coded_class_count"]


def test_a_builder_that_requires_a_count_gets_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _json_compare(capsys, "required")
    assert code == 0 and report["num_classes"] == 1000 and report["num_classes_from"] == "head"


def test_a_convolutional_classifier_counts_its_channels() -> None:
    model, _ = build_model(f"{CLASSES}:conv_head", num_classes=None, device="meta")
    comparison = compare(model, "resnet18", input_size=64, num_classes=None)
    assert comparison.num_classes == 6 and comparison.classes_from is ClassesFrom.HEAD


def test_every_renderer_spells_the_header_the_same_way() -> None:
    model, name = build_model(f"{CLASSES}:follows", num_classes=None, device="meta")
    comparison = compare(model, "resnet18", input_size=64, num_classes=None, candidate_name=name)
    for fmt in ("text", "markdown", "html", "github"):
        text = render(comparison, fmt)
        assert "1x3x64x64" in text, fmt
        assert (
            "6 classes, from the model&#x27;s head" in text or "6 classes, from the model's head" in text
        ), fmt
    assert json.loads(render(comparison, "json"))["input_shape"] == [1, 3, 64, 64]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_summary_header_matches_compare(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = _run(capsys, "summary", "--model", f"{CLASSES}:follows", "--format", fmt, "--depth", "0")
    assert code == 0, err
    assert "everyday_classes.py:follows @ 1x3x64x64, 6 classes, from the model" in out


def test_summary_names_a_head_that_ignores_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys, "summary", "--model", f"{CLASSES}:fixed_six", "--num-classes", "4", "--format", "markdown"
    )
    assert code == 0, err
    assert "6 classes, from the model's head (asked for 4)" in out.splitlines()[0]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_one_input_size_default_stated_in_help() -> None:
    commands = _subparsers(main_parser())
    defaults = set()
    for name in ("compare", "summary", "port"):
        option = next(a for a in commands[name]._actions if "--input-size" in a.option_strings)
        defaults.add(option.default)
        assert f"default {option.default}" in (option.help or ""), name
    assert defaults == {"64"}


def test_port_without_the_flag_fits_the_targets_own_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ported.pt"
    code, stdout, err = _run(
        capsys, "port", "--from", "resnet18", "--to", f"{CLASSES}:fixed_six", "--out", str(out)
    )
    assert code == 0, err
    assert out.is_file() and "written to" in stdout
