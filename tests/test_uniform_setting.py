"""One setting changed alike at many places (an activation's slope at every LeakyReLU) is one
described cause (verify/patterns/uniform_setting.py), read from the activation's own arguments
(tracing/activation_args.py): before them, two LeakyReLUs compared equal whatever their slope."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "leaky_slopes.py"


def _spec(name: str) -> str:
    return f"{FIXTURE}:{name}"


def _compare(candidate: str, reference: str) -> object:
    model = build_model(_spec(candidate), num_classes=6, device="meta")[0]
    return compare(model, _spec(reference), input_size=64, num_classes=6)


@pytest.mark.parametrize(("candidate", "reference", "got", "want"), [
    ("default_slope", "slope_01", 0.01, 0.1),
    ("slope_01", "default_slope", 0.1, 0.01),  # either direction
])  # fmt: skip
def test_a_slope_changed_everywhere_is_one_described_cause(
    candidate: str, reference: str, got: float, want: float
) -> None:
    c = _compare(candidate, reference)
    assert len(c.mismatches) == 17 and {m.field for m in c.mismatches} == {"negative_slope"}  # type: ignore[attr-defined]
    (f,) = c.findings  # type: ignore[attr-defined]
    assert f.pattern is Pattern.DESCRIBED and len(f.mismatches) == 17
    assert f"negative_slope {got} where the reference's have {want}" in f.message
    assert "8 blocks" in f.message and "stem" in f.message


def test_the_default_spelled_as_a_call_is_the_same_slope() -> None:
    c = _compare("functional_default", "default_slope")
    assert not c.mismatches and not c.findings  # type: ignore[attr-defined]


def test_one_place_is_not_a_setting_changed_everywhere() -> None:
    c = _compare("one_slope_changed", "slope_01")
    (m,) = c.mismatches  # type: ignore[attr-defined]
    assert (m.field, m.actual, m.expected) == ("negative_slope", 0.2, 0.1)
    assert not any("places)" in f.title for f in c.findings)  # type: ignore[attr-defined]
