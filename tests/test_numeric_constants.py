"""A constant the user wrote as ``0.299`` is one number whether a forward multiplies by the Python
float or a float32 buffer holds it: in float32, the model's precision, they are equal. The numeric
check runs in float64, where the buffer's value is 0.29899999499: read as written (the shortest
decimal of each float32 value), the luma as a fixed 1x1 conv is the luma written out, either way
round. Other coefficients (0.2989) stay another function."""

from __future__ import annotations

from fixtures.spelled.luma_stem import Gray

from resnet_verify.verify.comparison import compare

FIXTURE = "tests/fixtures/spelled/luma_stem.py"


def test_a_float32_constant_is_the_number_written() -> None:
    for cand, ref in ((Gray(conv=True), f"{FIXTURE}:build"), (Gray(), f"{FIXTURE}:build_conv")):
        c = compare(cand, ref, input_size=(3, 16, 16), num_classes=3)
        assert not c.mismatches and any("same function" in note for note in c.notes)


def test_other_coefficients_are_another_function() -> None:
    c = compare(
        Gray(conv=True, coeffs=(0.2989, 0.587, 0.114)),
        f"{FIXTURE}:build",
        input_size=(3, 16, 16),
        num_classes=3,
    )
    assert c.mismatches and not any("same function" in note for note in c.notes)
