"""Residual MLPs on feature vectors: an input of one vector (``torch.Size([1, F])``) is traced as
(N, F), its blocks found, and a dropout moved across the residual add is a difference in training
(verify/regularizer_diff.py), named dropout, either way; a hidden width changed in every block is
widths, a head's hidden layer narrowed is not."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import normalize_input_shape, trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "residual_mlp.py"
VECTOR = torch.Size([1, 24])


def test_one_feature_vector_is_traced_as_n_by_f() -> None:
    assert normalize_input_shape(VECTOR) == (1, 24)
    t = trace(build_model(f"{FIXTURE}:residual_mlp", num_classes=3, device="meta")[0], VECTOR)
    assert t.crash is None and len(t.structure.blocks) == 3 and t.output_shape == (1, 3)


@pytest.mark.parametrize(("candidate", "reference"), [
    ("dropout_after_add", "residual_mlp"), ("residual_mlp", "dropout_after_add"),
])  # fmt: skip
def test_a_dropout_moved_across_the_add_is_named(candidate: str, reference: str) -> None:
    model = build_model(f"{FIXTURE}:{candidate}", num_classes=3, device="meta")[0]
    c = compare(model, f"{FIXTURE}:{reference}", input_size=VECTOR, num_classes=3)
    assert [f.pattern for f in c.findings] == [Pattern.DROPOUT], [f.title for f in c.findings]
    assert "other side of the residual add" in c.findings[0].title and len(c.mismatches) == 3


def test_the_same_mlp_compares_clean() -> None:
    model = build_model(f"{FIXTURE}:residual_mlp", num_classes=3, device="meta")[0]
    c = compare(model, f"{FIXTURE}:residual_mlp", input_size=VECTOR, num_classes=3)
    assert not c.mismatches and not c.findings


def _compare(candidate: str, reference: str) -> set[Pattern]:
    model = build_model(f"{FIXTURE}:{candidate}", num_classes=3, device="meta")[0]
    c = compare(model, f"{FIXTURE}:{reference}", input_size=VECTOR, num_classes=3)
    assert c.mismatches and not c.unexplained, [c.mismatches[i].message for i in c.unexplained[:4]]
    return {f.pattern for f in c.findings}


@pytest.mark.parametrize(("candidate", "reference"), [
    ("hidden_halved", "residual_mlp"), ("residual_mlp", "hidden_halved"),
])  # fmt: skip
def test_a_hidden_width_changed_in_every_block_is_widths(candidate: str, reference: str) -> None:
    assert _compare(candidate, reference) == {Pattern.WIDTHS}


def test_a_heads_hidden_layer_is_no_network_width() -> None:
    assert Pattern.WIDTHS not in _compare("mlp_head_narrow", "mlp_head")
