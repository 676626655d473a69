"""Golden compare reports under reports/golden/: regenerated here, any drift fails.

Rewrite them with ``python3 -m pytest tests/test_golden.py --update-goldens`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.report.formats import render
from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "reports" / "golden"
# case -> (candidate spec, reference, input size)
CASES = {
    "resnet50": ("resnet50", "resnet50", 64),
    "resnet50_v1": ("resnet50_v1", "resnet50", 64),
    "classic_keras_resnet50": ("tests/fixtures/models/classic_keras_resnet50.py:build", "resnet50", 64),
    # one per named crash cause (verify/crash_causes): a repaired one, and crashes that stop the trace
    "crash_conv_in_channels": ("tests/fixtures/crashes/conv_in_planes.py:build", "resnet18", 64),
    "crash_pool_too_large": ("tests/fixtures/crashes/head_avgpool7.py:build", "resnet18", 64),
    "crash_view_size": ("tests/fixtures/crashes/view_fixed.py:build", "resnet18", 128),
    "crash_size_assert": ("tests/fixtures/crashes/size_assert.py:build", "resnet18", 64),
}
FORMATS = {"txt": "text", "github.txt": "github", "md": "markdown", "json": "json", "html": "html"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_reports(case: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # source locations are relative to the repository
    spec, reference, size = CASES[case]
    model, name = build_model(spec, num_classes=6, device="meta")
    comparison = compare(model, reference, input_size=size, num_classes=6, candidate_name=name)
    update = request.config.getoption("--update-goldens")
    for suffix, fmt in FORMATS.items():
        text = render(comparison, fmt)
        assert str(REPO) not in text and "/tmp" not in text
        path = GOLDEN / f"{case}.{suffix}"
        if update:
            GOLDEN.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            continue
        assert path.exists(), f"{path} missing: run pytest tests/test_golden.py --update-goldens"
        assert text == path.read_text(encoding="utf-8"), (
            f"{path.relative_to(REPO)} drifted; if intended, rerun with --update-goldens and review the diff"
        )
