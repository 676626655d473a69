"""Each side is fed the input channels its first conv takes; the difference is one finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from torch import nn

from resnet_verify.cli.main import main
from resnet_verify.tracing.input_channels import channels_it_takes
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

REPO = Path(__file__).resolve().parents[1]
GRAY = "tests/fixtures/inputs/grayscale_resnet18.py:build"


def _gray() -> nn.Module:
    from torchvision.models import resnet18

    m = resnet18(num_classes=10)
    m.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    return m


def test_the_channels_a_model_takes_are_read_off_its_first_conv() -> None:
    t = trace(_gray(), 64)
    assert t.crash is not None and channels_it_takes(t) == 1
    assert "expected input[1, 3, 64, 64] to have 1 channels, but got 3 channels instead" in t.crash.message
    assert channels_it_takes(trace(_gray(), (1, 64, 64))) is None  # it ran


def test_a_conv_that_fails_past_the_input_is_not_an_input_channel_count() -> None:
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(16, 8, 3, groups=2))
    assert channels_it_takes(trace(model, 32)) is None


@pytest.mark.parametrize("size", [64, (1, 64, 64), (3, 64, 64)], ids=str)
def test_grayscale_candidate_gets_one_finding(size: object) -> None:
    c = compare(_gray(), "resnet18", input_size=size, num_classes=10)  # type: ignore[arg-type]
    assert c.candidate.crash is None and c.candidate.input_shape[1] == 1 and c.reference.input_shape[1] == 3
    assert [f.pattern for f in c.findings] == [Pattern.INPUT_CHANNELS]
    assert set(c.findings[0].mismatches) == set(range(len(c.mismatches)))
    assert any("fed the input channels" in n for n in c.notes)


def test_either_direction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    c = compare(_rgb(), GRAY, input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.INPUT_CHANNELS]
    assert "3-channel" in c.findings[0].message


def _rgb() -> nn.Module:
    from torchvision.models import resnet18

    return resnet18(num_classes=10)


def test_same_channels_never_fire() -> None:
    c = compare(_rgb(), "resnet18", input_size=64, num_classes=10)
    assert c.ok and not c.findings and not any("fed the input channels" in n for n in c.notes)


def test_cli_exit_code_and_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code = main(
        ["compare", "--model", GRAY, "--reference", "resnet18", "--input-size", "64", "--num-classes", "1000"]
    )
    out = capsys.readouterr().out
    assert code == 1 and "[input_channels]" in out and "grayscale_resnet18.py:10" in out


def test_a_four_band_resnet50_is_one_finding_and_every_stage_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    from resnet_verify.specs.builders import build_model

    model, name = build_model(
        "tests/fixtures/inputs/four_band_resnet50.py:build", num_classes=10, device="meta"
    )
    c = compare(model, "resnet50", input_size=64, num_classes=10, candidate_name=name)
    assert [f.pattern for f in c.findings] == [
        Pattern.INPUT_CHANNELS
    ] and "takes 4-channel input" in c.findings[0].message
    assert [r.ok for r in c.stages] == [False, True, True, True, True, True]  # only the stem differs
    assert c.candidate.input_shape == (1, 4, 64, 64)


CRASH_FIXTURES = sorted((REPO / "tests" / "fixtures" / "crashes").glob("*.py"))


@pytest.mark.parametrize("path", [p for p in CRASH_FIXTURES if p.stem != "__init__"], ids=lambda p: p.stem)
def test_no_crash_record_holds_a_meta_kernel_message(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Traced on meta and on CPU, a crash reads the same: torch's own words either way."""
    monkeypatch.chdir(REPO)
    from resnet_verify.specs.builders import build_model

    model = build_model(f"{path.relative_to(REPO)}:build", num_classes=10)[0]
    for size in (64, 128):
        meta, cpu = trace(model, size, device="meta"), trace(model, size, device="cpu")
        assert (meta.crash is None) == (cpu.crash is None)
        if meta.crash is not None and cpu.crash is not None:
            assert meta.crash.message == cpu.crash.message, path.stem
