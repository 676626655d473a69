"""The numeric check that clears a difference the trace shows must not be fooled by one draw of the
weights: ``abs`` against a ReLU after a bias drawn positive agree there, and differ on a second draw
(the learned tensors negated). A spelling that computes the same function for every
draw (``torch.lerp`` for the blend) is still cleared, and a forward that raises a warning gets the same
answer under ``-W error`` (pytest's filter here) as without."""

from __future__ import annotations

from fixtures.spelled.density_head import Head

from resnet_verify.verify.comparison import compare

REF = "tests/fixtures/spelled/density_head.py:build"


def test_abs_for_relu_is_a_difference_though_one_draw_agrees() -> None:
    c = compare(Head(act="abs"), REF, input_size=(3, 16, 16), num_classes=1)
    assert c.mismatches and not any("same function" in note for note in c.notes)


def test_a_spelling_equal_for_every_draw_is_cleared_under_an_error_filter() -> None:
    c = compare(Head(lerp=True, warn=True), REF + "_warning", input_size=(3, 16, 16), num_classes=1)
    assert not c.mismatches and any("same function" in note for note in c.notes)
