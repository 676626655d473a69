"""A multiply by a one-value constant is one spelling (tracing/constant_operands.py): a residual gain
held in a registered buffer or a tensor made in forward compares equal to the Python float it holds,
also by the numbers, where float32 rounds ``2 ** -0.5`` (verify/hidden_constants.py's rounding
tolerance). A buffer holding another number, even 1e-4 away, and a learned gain stay differences."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "gain_buffer.py"


def _compare(candidate: str, reference: str) -> Comparison:
    model = build_model(f"{FIXTURE}:{candidate}", num_classes=6)[0]
    return compare(model, f"{FIXTURE}:{reference}", input_size=32, num_classes=6, cache=False)


@pytest.mark.parametrize("spelling", ["buffer_gain", "made_gain"])
def test_a_constant_operand_is_the_number_it_holds(spelling: str) -> None:
    for candidate, reference in ((spelling, "python_gain"), ("python_gain", spelling)):
        c = _compare(candidate, reference)
        assert not c.mismatches and not c.findings, [m.message for m in c.mismatches[:4]]


@pytest.mark.parametrize("other", ["other_buffer_gain", "near_buffer_gain"])
def test_a_buffer_holding_another_number_is_a_difference(other: str) -> None:
    c = _compare(other, "python_gain")
    assert c.mismatches
    assert {m.candidate_path for m in c.mismatches} <= {"layer1.0", "layer1.1", "layer1.2", ""}


def test_a_learned_gain_is_not_a_constant() -> None:
    c = _compare("learned_gain", "python_gain")
    assert any(m.field == "op" for m in c.mismatches)
    assert any("learned" in f.message for f in c.findings)


def test_a_buffer_built_on_meta_is_still_a_multiply_by_a_number() -> None:
    # no value on meta to compare, but the same op: the gain folds into the scaled add either way
    model = build_model(f"{FIXTURE}:buffer_gain", num_classes=6, device="meta")[0]
    for reference in ("python_gain", "other_buffer_gain"):
        c = compare(model, f"{FIXTURE}:{reference}", input_size=32, num_classes=6, cache=False)
        assert not c.mismatches, [m.message for m in c.mismatches[:3]]


def test_a_buffer_built_on_meta_is_called_a_constant_not_learned() -> None:
    # must not fire: a gain the reference lacks is still a difference, said as the buffer it is
    model = build_model(f"{FIXTURE}:buffer_gain", num_classes=6, device="meta")[0]
    c = compare(model, f"{FIXTURE}:no_gain", input_size=32, num_classes=6, cache=False)
    text = " ".join(f.message for f in c.findings)
    assert c.mismatches and "learned" not in text
    assert "constant 1-value buffer (layer1.0.res_scale)" in text, text


def test_a_buffer_built_on_meta_is_not_compared_with_the_number_it_would_hold() -> None:
    model = build_model(f"{FIXTURE}:head_buffer", num_classes=6, device="meta")[0]
    c = compare(model, f"{FIXTURE}:head_buffer", input_size=32, num_classes=6, cache=False)
    assert not c.mismatches, [m.message for m in c.mismatches[:3]]
