"""1-D and 3-D ResNets: input sizes CxL and CxDxHxW, the same stages, alignment and root causes."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from resnet_verify.cli.main import main
from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.metrics import trace_metrics
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

REPO = Path(__file__).resolve().parents[1]
R3D = "tests/fixtures/dims/resnet3d18.py"
R1D = "tests/fixtures/dims/resnet1d.py"
CLIP = torch.Size([1, 3, 8, 64, 64])
ECG = torch.Size([1, 12, 1000])


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _compare(candidate: str, reference: str, shape: torch.Size) -> Comparison:
    model, name = build_model(candidate, num_classes=10, device="meta")
    return compare(model, reference, input_size=shape, num_classes=10, candidate_name=name)


def test_a_hand_written_3d_resnet18_matches_torchvisions_r3d_18() -> None:
    c = _compare(f"{R3D}:build", "torchvision:r3d_18", CLIP)
    assert c.ok and len(c.candidate.structure.blocks) == 8 and len(c.candidate.structure.stages) == 4
    assert c.candidate.structure.stages[-1].out_shape == (1, 512, 1, 4, 4)
    m = trace_metrics(c.candidate)
    assert m.stages[-1].stride == 16 and m.stages[-1].receptive_field is not None


def test_a_stride_on_the_time_axis_is_named_per_axis() -> None:
    c = _compare(f"{R3D}:build_time_stride", f"{R3D}:build", CLIP)
    assert [f.pattern for f in c.findings] == [Pattern.AXIS_STRIDE]
    f = c.findings[0]
    assert "time (depth) axis" in f.title and set(f.mismatches) == set(range(len(c.mismatches)))
    assert f.source is not None and f.source.line == 68


@pytest.mark.parametrize("swap", [False, True], ids=["candidate", "reference"])
def test_a_factorised_block_is_one_finding_either_way(swap: bool) -> None:
    candidate, reference = f"{R3D}:build_factorised", f"{R3D}:build"
    c = _compare(reference, candidate, CLIP) if swap else _compare(candidate, reference, CLIP)
    assert [f.pattern for f in c.findings] == [Pattern.FACTORISED_CONV]
    assert "1x3x3" in c.findings[0].title and set(c.findings[0].mismatches) == set(range(len(c.mismatches)))


def test_a_2d_network_against_a_3d_reference_is_one_finding_not_a_crash() -> None:
    c = compare(build_model("resnet18", num_classes=10, device="meta")[0], "torchvision:r3d_18",
                input_size=CLIP, num_classes=10)  # fmt: skip
    assert [f.pattern for f in c.findings] == [Pattern.INPUT_DIMENSIONALITY]
    assert "2-D network" in c.findings[0].message


@pytest.mark.parametrize(
    ("builder", "what"), [("build_stride", "stride"), ("build_no_relu", "ReLU missing")], ids=str
)
def test_a_1d_resnet_against_its_edited_copy(builder: str, what: str) -> None:
    c = _compare(f"{R1D}:{builder}", f"{R1D}:build", ECG)
    assert not c.ok and c.findings and what in c.findings[0].message
    assert all(m.reference_path for m in c.mismatches)  # aligned, nothing left unpaired
    assert _compare(f"{R1D}:build", f"{R1D}:build", ECG).ok


def test_1d_receptive_field_and_stride() -> None:
    model, _ = build_model(f"{R1D}:build", num_classes=5)
    m = trace_metrics(trace(model, ECG))
    assert m.stem.stride == 4 and m.stem.receptive_field == 15 + 2 * 2  # 15-wide conv /2, 3-wide pool
    assert m.stages[-1].stride == 16


@pytest.mark.parametrize(
    ("argv", "code", "text"),
    [
        (["compare", "--model", f"{R3D}:build", "--reference", "torchvision:r3d_18", "--input-size", "3x8x64x64",
          "--num-classes", "400"], 0, "MATCH"),
        (["compare", "--model", f"{R1D}:build_no_relu", "--reference", f"{R1D}:build", "--input-size", "12x1000"],
         1, "repeated_in_blocks"),
        (["summary", "--model", f"{R3D}:build", "--input-size", "3x8x64x64", "--format", "markdown"], 0, "1x512x1x4x4"),
    ],
    ids=["compare-3d", "compare-1d", "summary-3d"],
)  # fmt: skip
def test_cli(argv: list[str], code: int, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == code
    assert text in capsys.readouterr().out


def test_monai_resnet_3d_traces() -> None:
    nets = pytest.importorskip("monai.networks.nets")
    model = nets.resnet18(spatial_dims=3, n_input_channels=1, num_classes=2)
    t = trace(model, torch.Size([1, 1, 32, 64, 64]))
    assert t.crash is None and len(t.structure.blocks) == 8


def test_view_and_stride_are_shown_per_axis_where_they_differ(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compare", "--model", f"{R3D}:build_time_stride", "--reference", f"{R3D}:build",
                 "--input-size", "3x8x64x64"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    stem = next(ln for ln in out.splitlines() if ln.strip().startswith("stem") and "px" in ln)
    assert "3x7x7 px" in stem and "1x2x2 px" in stem  # the reference keeps time; the candidate halves it
    layer4 = next(ln for ln in out.splitlines() if ln.strip().startswith("layer4") and "px" in ln)
    assert "8x16x16 px" in layer4 and layer4.rstrip().endswith("16 px")


def test_torchvisions_r2plus1d_against_r3d_is_one_factorisation_stem_included() -> None:
    c = _compare("torchvision:r2plus1d_18", "torchvision:r3d_18", CLIP)
    assert [f.pattern for f in c.findings] == [Pattern.FACTORISED_CONV], [f.title for f in c.findings]
    assert "the stem" in c.findings[0].message
    assert set(c.findings[0].mismatches) == set(range(len(c.mismatches)))
