"""Constants the trace cannot compare are compared by the numbers where the structure finds nothing
(verify/hidden_constants.py; #23 heldout59's gcmr_adjacency_unnormalized and heldout53's dp_meshgrid_ij:
a 64 x 64 adjacency left unnormalised, a keypoint grid built in the other order, compared clean)."""

from __future__ import annotations

import torch
from fixtures.spelled.graph import GraphNet

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, MismatchKind

SIZE = torch.Size([1, 3, 32])  # three features on each of 32 nodes
FILE = "tests/fixtures/spelled/graph.py"


def _compare(model: torch.nn.Module, reference: str) -> Comparison:
    return compare(model, f"{FILE}:{reference}", input_size=SIZE, num_classes=10)


def test_a_constant_with_other_values_is_a_mismatch_where_it_is_read_either_way() -> None:
    for model, reference in ((GraphNet(normalized=False), "build"), (GraphNet(), "build_unnormalized")):
        c = _compare(model, reference)
        assert [m.field for m in c.mismatches] == ["values"], c.mismatches
        m = c.mismatches[0]
        assert m.kind is MismatchKind.ATTRIBUTE and (m.candidate_path or "").startswith("blocks.0.conv1"), m
        assert (
            "adj" in m.message and "128 of 1024 entries" in m.message
        )  # the ring's 64 links, read unnormalised


def test_the_same_constants_and_a_constant_drawn_at_random_are_no_difference() -> None:
    c = _compare(GraphNet(), "build")  # its projection is another draw than the reference's
    assert not c.mismatches and not c.findings


def test_a_model_built_on_meta_holds_no_values_to_compare() -> None:
    with torch.device("meta"):
        model = GraphNet(normalized=False)
    assert not _compare(model, "build").mismatches  # nothing measured, nothing claimed (as documented)


def test_other_outputs_from_constants_of_other_names_are_one_mismatch_for_the_model() -> None:
    c = _compare(GraphNet(normalized=False, buffer="adjacency"), "build")
    assert [(m.kind, m.field) for m in c.mismatches] == [(MismatchKind.NUMERIC, "outputs")], c.mismatches
    message = c.mismatches[0].message  # the constants it computes with are named, not the one drawn at random
    assert "adjacency" in message and "projection" not in message, message


def test_layers_frozen_for_fine_tuning_are_no_constant() -> None:
    model = GraphNet()
    for p in model.blocks.parameters():
        p.requires_grad_(False)  # a training choice: their values are the reference's to copy, not constants
    assert not _compare(model, "build").mismatches
