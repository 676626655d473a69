"""A left pad then an unpadded conv and a padded conv then a chomp are one causal conv
(tracing/chomp.py); a chomp at the wrong end is not."""

from __future__ import annotations

from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "causal.py"


def _compare(candidate: str, reference: str) -> object:
    model = build_model(f"{FIXTURE}:{candidate}", num_classes=4, device="meta")[0]
    return compare(model, f"{FIXTURE}:{reference}", input_size=(2, 64), num_classes=4)


def test_two_spellings_of_one_causal_conv_compare_clean_either_way() -> None:
    for candidate, reference in (("left_pad", "chomp"), ("chomp", "left_pad")):
        c = _compare(candidate, reference)
        assert not c.mismatches, [m.message for m in c.mismatches]  # type: ignore[attr-defined]


def test_a_chomp_at_the_wrong_end_is_a_difference() -> None:
    c = _compare("wrong_end", "chomp")
    assert c.mismatches  # type: ignore[attr-defined]
