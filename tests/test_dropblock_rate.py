"""A DropBlock given its rate in forward is DropBlock (tracing/train_only.py names the module by its
class, its rate unknown), and a change of dropout for DropBlock names DropBlock either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "dropblock_rate.py"


@pytest.mark.parametrize(
    ("candidate", "reference"), [("with_dropblock", "with_dropout"), ("with_dropout", "with_dropblock")]
)
def test_dropblock_for_dropout_is_drop_block_either_way(candidate: str, reference: str) -> None:
    model = build_model(f"{FIXTURE}:{candidate}", num_classes=6)[0]
    c = compare(model, f"{FIXTURE}:{reference}", input_size=64, num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.DROP_BLOCK], [f.title for f in c.findings]
    assert "DropBlock2D (training mode only, its rate given in forward)" in c.findings[0].message


def test_the_same_dropblock_on_both_sides_is_no_difference() -> None:
    model = build_model(f"{FIXTURE}:with_dropblock", num_classes=6)[0]
    c = compare(model, f"{FIXTURE}:with_dropblock", input_size=64, num_classes=6)
    assert not c.mismatches and not c.findings
