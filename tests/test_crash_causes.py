"""Named crash causes (verify/crash_causes): each fixture gets its finding at the user's line, and
the same model where it runs (or a model without the defect) gets none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from torch import nn

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.crashes import real_message
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.crash_causes import diagnose
from resnet_verify.verify.records import Comparison, Pattern

REPO = Path(__file__).resolve().parents[1]
CRASHES = REPO / "tests" / "fixtures" / "crashes"


def _line(path: Path, marker: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if marker in ln)


def _compare(name: str, reference: str, size: int, monkeypatch: pytest.MonkeyPatch) -> Comparison:
    monkeypatch.chdir(REPO)
    model, label = build_model(f"tests/fixtures/crashes/{name}.py:build", num_classes=1000, device="meta")
    return compare(model, reference, input_size=size, num_classes=1000, candidate_name=label)


# fixture, reference, input size where it crashes, pattern, a marker on the line the finding points at
CASES = [
    ("conv_in_planes", "resnet18", 64, Pattern.CONV_IN_CHANNELS, "DEFECT: planes, planes"),
    ("head_avgpool7", "resnet18", 64, Pattern.POOL_TOO_LARGE, "x = self.pool(self.blocks"),
    ("view_fixed", "resnet18", 128, Pattern.HARD_CODED_VIEW, "x = x.view(x.size(0), 512)"),
    ("size_assert", "resnet18", 64, Pattern.INPUT_SIZE_ASSERT, "assert x.shape[-2:]"),
    ("fixed_device", "resnet18", 64, Pattern.FIXED_DEVICE, 'device="cuda"'),
]


@pytest.mark.parametrize(("name", "reference", "size", "pattern", "marker"), CASES, ids=[c[0] for c in CASES])
def test_each_crash_cause_is_named_at_its_line(
    name: str, reference: str, size: int, pattern: Pattern, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = _compare(name, reference, size, monkeypatch)
    named = [f for f in c.findings if f.pattern is pattern]
    assert len(named) == 1, [f.pattern for f in c.findings]
    finding = named[0]
    assert finding.source is not None and finding.source.line == _line(CRASHES / f"{name}.py", marker)
    assert finding.suggestion
    crash = [i for i, m in enumerate(c.mismatches) if m.kind.value == "crash"]
    assert set(crash) <= set(finding.mismatches)  # the crash is explained, not left over
    assert not any(f.pattern is Pattern.NOT_RESIDUAL for f in c.findings)


@pytest.mark.parametrize(
    ("name", "size"), [("head_avgpool7", 224), ("view_fixed", 64), ("size_assert", 224)], ids=str
)
def test_no_crash_cause_where_the_model_runs(name: str, size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    c = _compare(name, "resnet18", size, monkeypatch)
    assert c.candidate.crash is None and not c.candidate.repairs
    assert not diagnose(c.candidate)


def test_conv_in_channels_is_repaired_and_the_rest_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    c = _compare("conv_in_planes", "resnet18", 64, monkeypatch)
    assert c.candidate.crash is None
    assert [(r.module_path, r.given[0], r.used[0]) for r in c.candidate.repairs] == [
        ("layers.1.0.conv2", 64, 128),
        ("layers.2.0.conv2", 128, 256),
        ("layers.3.0.conv2", 256, 512),
    ]
    (finding,) = c.findings  # one line, one cause: one finding for the three blocks it breaks
    assert finding.pattern is Pattern.CONV_IN_CHANNELS and "layers.1.0.conv1" in finding.message
    assert "in_channels=128, 256, 512" in (finding.suggestion or "")
    assert set(finding.mismatches) == set(range(len(c.mismatches)))
    # the parameter count is the model's as written, not the re-sized copy's
    assert c.candidate.total_params == sum(
        p.numel()
        for p in build_model("tests/fixtures/crashes/conv_in_planes.py:build", num_classes=1000)[
            0
        ].parameters()
    )


class _WideHead(nn.Module):
    """Linear written for a 7x7 flatten after a global pool: built for 25088, 512 arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 512, 3, 2, 1)
        self.fc = nn.Linear(512 * 7 * 7, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(self.conv(x), 1), 1)
        return self.fc(x)


def test_linear_in_features_names_the_flatten_and_the_width() -> None:
    t = trace(_WideHead(), 64)
    assert t.crash is None and t.output_shape == (1, 10)
    (cause,) = diagnose(t)
    assert cause.pattern is Pattern.LINEAR_WIDTH and cause.repaired
    assert "in_features=25088" in cause.message and "512 features" in cause.message
    assert "1x512x1x1 flattened at" in cause.message
    assert cause.fix.endswith("Linear(512, 10)")
    assert t.total_params == 512 * 3 * 9 + 512 + 25088 * 10 + 10  # as written


def test_a_head_sized_for_one_resolution_is_not_a_linear_width_cause() -> None:
    class FixedPool(_WideHead):
        def forward(self, x: torch.Tensor) -> torch.Tensor:  # 2x2 map flattened: a fixed-size head
            return self.fc(torch.flatten(self.conv(x)[:, :, :2, :2], 1))

    t = trace(FixedPool(), 64)
    assert t.repairs and not [c for c in diagnose(t) if c.pattern is Pattern.LINEAR_WIDTH]


def test_the_crash_message_is_the_one_python_shows() -> None:
    """Re-run on CPU: torch's own words, never the meta kernel's ("Invalid channel dimensions")."""
    model = nn.Sequential(nn.Conv2d(3, 6, 3), nn.Conv2d(8, 8, 3, groups=2))  # grouped: not re-sized
    for device in ("meta", "cpu"):
        t = trace(model, 32, device=device)
        assert t.crash is not None and not t.repairs
        assert t.crash.message == (
            "Given groups=2, weight of size [8, 4, 3, 3], expected input[1, 6, 30, 30] to have 8 channels, "
            "but got 6 channels instead"
        )
    meta = torch.empty(1, 8, device="meta"), torch.empty(2, 4, device="meta")
    assert (
        real_message(nn.functional.linear, meta, {})
        == "mat1 and mat2 shapes cannot be multiplied (1x8 and 4x2)"
    )
    assert real_message(nn.functional.linear, (torch.zeros(1, 8), torch.zeros(2, 4)), {}) is None  # not meta


def test_an_argument_parser_error_keeps_the_line_that_says_why() -> None:
    class Strided(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)
            self.conv.padding = ("same", 1)  # type: ignore[assignment]  # neither a str nor ints: no repair

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv(x)

    t = trace(Strided(), 32)
    assert t.crash is not None
    lines = t.crash.message.splitlines()
    assert lines[0].startswith("conv2d() received an invalid combination of arguments")
    assert any("didn't match because" in ln for ln in lines) and len(lines) == 2


def test_a_crash_in_the_first_block_is_not_counted_in_the_stem() -> None:
    class FirstBlockFails(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1), nn.ReLU())
            self.layer1 = nn.Sequential(nn.Conv2d(8, 8, 3, 1, 1), nn.ReLU(), nn.AvgPool2d(64))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.layer1(self.stem(x))

    t = trace(FirstBlockFails(), 32)
    assert t.crash is not None and t.crash.module_path == "layer1.2"
    stem_paths = {t.ops[o].module_path for o in t.structure.stem}
    assert stem_paths == {"stem.0", "stem.1"}
    assert {t.ops[o].module_path for o in t.structure.partial} == {"layer1.0", "layer1.1"}


def test_a_crash_in_the_root_forward_has_the_models_input_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    c = _compare("size_assert", "resnet18", 64, monkeypatch)
    assert c.candidate.crash is not None and c.candidate.crash.in_shapes == ((1, 3, 64, 64),)


@pytest.mark.parametrize(
    ("name", "size", "pattern"), [("head_avgpool7", "64", "pool_larger_than_feature_map")]
)
def test_json_and_exit_code(name: str, size: str, pattern: str, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(REPO)
    code = main(["compare", "--model", f"tests/fixtures/crashes/{name}.py:build", "--reference", "resnet18",
                 "--input-size", size, "--num-classes", "1000", "--format", "json"])  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and [f["pattern"] for f in report["findings"]] == [pattern]
    assert report["crash"]["module_type"] == "AvgPool2d"


def test_the_block_a_forward_crashed_in_is_not_read_as_a_block_without_its_add() -> None:
    # The ops after the last completed add are the crashed block's (partial), not a last block that
    # lost its addition (structure.py reads those only for a forward that ran).
    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.comparison import compare

    model = build_model("tests/fixtures/models/broken_crash_shortcut_stride.py:build", num_classes=10)[0]
    c = compare(model, "resnet50", input_size=64, num_classes=10)
    assert [m.kind.value for m in c.mismatches] == ["crash"]


def test_a_reference_that_crashes_is_one_line_naming_its_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    """Either direction: yesterday's version as the reference may be the one that cannot run; the error
    names why (a hard-coded view at its line), not "too small"."""
    monkeypatch.chdir(REPO)
    with pytest.raises(UsageError) as raised:
        compare(build_model("resnet18", num_classes=1000, device="meta")[0], "tests/fixtures/crashes/view_fixed.py:build",
                input_size=128, num_classes=1000)  # fmt: skip
    text = str(raised.value)
    assert "cannot run on 3x128x128 inputs" in text and "view" in text and "\n" not in text
    assert f"view_fixed.py:{_line(CRASHES / 'view_fixed.py', 'x = x.view(x.size(0), 512)')}" in text
