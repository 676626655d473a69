"""Every root cause the tool can name is emitted by some detector and exercised by some test or
corpus entry (#23: "a check that every pattern has a detector, a fixture and a must-not-fire case");
a name nothing emits, or nothing tests, is dead or untested wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.verify.records import Pattern

ROOT = Path(__file__).resolve().parents[1]
VERIFY = ROOT / "resnet_verify" / "verify"


def _text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.py")))


SOURCE = _text(VERIFY)
TESTS = _text(ROOT / "tests")


@pytest.mark.parametrize("pattern", list(Pattern), ids=lambda p: p.value)
def test_every_pattern_is_emitted_by_a_detector(pattern: Pattern) -> None:
    emitted = SOURCE.count(f"Pattern.{pattern.name}")
    assert emitted >= 1, f"no detector under resnet_verify/verify emits Pattern.{pattern.name}"


@pytest.mark.parametrize("pattern", list(Pattern), ids=lambda p: p.value)
def test_every_pattern_is_exercised_by_a_test_or_fixture(pattern: Pattern) -> None:
    assert f"Pattern.{pattern.name}" in TESTS or f'"{pattern.value}"' in TESTS, pattern.value
