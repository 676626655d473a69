"""Branches mixed by a softmax attention (SKNet, ResNeSt) are one finding, named from the ops."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

REPO = Path(__file__).resolve().parents[1]
FILE = "tests/fixtures/quirky/branch_attention.py"


@pytest.mark.parametrize(
    ("builder", "reference", "name", "blocks"),
    [
        ("sk_resnet18", "resnet18", "selective kernel (SKNet)", 8),
        ("split_resnet50", "resnet50", "split attention (ResNeSt)", 16),
    ],
)
def test_the_unit_is_one_finding(
    builder: str, reference: str, name: str, blocks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    model, label = build_model(f"{FILE}:{builder}", num_classes=10, device="meta")
    c = compare(model, reference, input_size=64, num_classes=10, candidate_name=label)
    assert [f.pattern for f in c.findings] == [Pattern.BRANCH_ATTENTION]
    f = c.findings[0]
    assert name in f.message and f"In {blocks} blocks" in f.message
    assert set(f.mismatches) == set(range(len(c.mismatches)))
    assert not any(p.pattern is Pattern.NOT_RESIDUAL for p in c.findings)


def test_a_softmax_that_weights_no_branches_is_not_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """A global-context block's softmax pools positions (then a matmul): an extra module, not this."""
    monkeypatch.chdir(REPO)
    model, label = build_model("tests/fixtures/quirky/attention_resnets.py:context_resnet18", num_classes=10,
                               device="meta")  # fmt: skip
    c = compare(model, "resnet18", input_size=64, num_classes=10, candidate_name=label)
    assert Pattern.BRANCH_ATTENTION not in [f.pattern for f in c.findings]
