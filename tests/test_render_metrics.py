"""The MACs / receptive field / stride columns in every compare format, and the summary formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resnet_verify.cli.main import main
from resnet_verify.report.formats import render
from resnet_verify.report.json_report import SCHEMA_VERSION, STAGE_KEYS, load_report
from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison


@pytest.fixture(scope="module")
def v1_vs_v15() -> Comparison:
    model, _ = build_model("resnet50_v1", num_classes=1000, device="meta")
    return compare(model, "resnet50", input_size=224, num_classes=1000)


def test_json_stage_rows_and_totals_carry_the_metrics(v1_vs_v15: Comparison) -> None:
    data = load_report(render(v1_vs_v15, "json"))
    assert data["schema_version"] == SCHEMA_VERSION >= 2  # 1 had no metrics
    for key in ("reference_macs", "candidate_macs", "reference_receptive_field", "reference_stride"):
        assert key in STAGE_KEYS
    layer4 = data["stages"][-2]
    assert (layer4["reference_receptive_field"], layer4["candidate_receptive_field"]) == (427, 483)
    assert [s["candidate_stride"] for s in data["stages"][:-1]] == [4, 4, 8, 16, 32]
    assert data["stages"][-1]["reference_stride"] is None  # the head has no stage stride
    totals = data["totals"]
    assert totals["reference_macs"] == sum(s["reference_macs"] for s in data["stages"])
    assert totals["candidate_macs"] < totals["reference_macs"]


def test_a_report_without_the_new_stage_keys_is_refused(v1_vs_v15: Comparison) -> None:
    data = json.loads(render(v1_vs_v15, "json"))
    del data["stages"][0]["candidate_receptive_field"]
    with pytest.raises(ValueError, match="candidate_receptive_field"):
        load_report(json.dumps(data))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_human_formats_show_macs_receptive_field_and_stride(v1_vs_v15: Comparison, fmt: str) -> None:
    out = render(v1_vs_v15, fmt)
    assert "Cost and view" in out
    assert "427 px" in out and "483 px" in out and "32 px" in out
    assert "4.089 G" in out and "3.858 G" in out  # the totals of both sides


def test_text_cost_table_fits_the_width(v1_vs_v15: Comparison) -> None:
    lines = render(v1_vs_v15, "text").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Cost and view"))
    assert all(len(line) <= 100 for line in lines[start:])


def _summary(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["summary", "--model", "resnet50_v1", "--input-size", "224", "--depth", "0", *argv])
    return code, capsys.readouterr().out


def test_summary_json_has_schema_stages_and_blocks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _summary(capsys, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1 and data["model"] == "resnet50_v1"
    assert [s["stride"] for s in (data["stem"], *data["stages"])] == [4, 4, 8, 16, 32]
    assert data["stages"][-1]["receptive_field"] == 483
    assert [len(s["blocks"]) for s in data["stages"]] == [3, 4, 6, 3]
    assert data["stages"][-1]["blocks"][-1]["out_shape"] == [1, 2048, 7, 7]
    assert data["totals"]["macs"] == data["stem"]["macs"] + data["head"]["macs"] + sum(
        b["macs"] for s in data["stages"] for b in s["blocks"]
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_summary_human_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out = _summary(capsys, "--format", fmt)
    assert code == 0
    assert "483 px" in out and "layer4.2" in out and "3.858 G" in out
    assert ("Params size (MB)" in out) == (fmt == "text")  # torchinfo's table only in text


def test_summary_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "summary.md"
    code, out = _summary(capsys, "--format", "markdown", "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("# resnet50_v1 @ 1x3x224x224")
