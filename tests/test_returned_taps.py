"""Features returned beside the prediction are compared where they are read (verify/returned_taps.py; #23
heldout100's repd_preact_inplace_relu: ``preact = out`` then an in-place ReLU returned the activated maps,
a false "no difference" since the logits and every op agree)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.spelled.returned_features import Net

from resnet_verify.verify.comparison import compare

SPEC = f"{Path(__file__).parent / 'fixtures' / 'spelled' / 'returned_features.py'}:Net"


@pytest.mark.parametrize("keep", ["new", "clone"])
def test_the_same_feature_kept_otherwise_compares_clean(keep: str) -> None:
    c = compare(Net(keep), SPEC, input_size=16, num_classes=10)
    assert not c.mismatches and not c.findings


@pytest.mark.parametrize("keep", ["alias", "after"])
def test_a_feature_read_after_its_activation_is_a_difference(keep: str) -> None:
    c = compare(Net(keep), SPEC, input_size=16, num_classes=10)
    returned = [m for m in c.mismatches if m.field == "returned"]
    assert len(returned) == 2, c.mismatches
    assert {m.candidate_path for m in returned} == {"blocks.0.relu", "blocks.1.relu"}
    claimed = {i for f in c.findings for i in f.mismatches}
    assert claimed >= {c.mismatches.index(m) for m in returned}


def test_a_dropout_before_the_tap_is_the_dropout_rule_s_not_a_moved_feature() -> None:
    c = compare(Net("dropped"), SPEC, input_size=16, num_classes=10)
    assert c.mismatches and not any(m.field == "returned" for m in c.mismatches)


def test_an_extra_op_on_a_returned_feature_is_said_once() -> None:
    c = compare(Net("squashed"), SPEC, input_size=16, num_classes=10)
    assert c.mismatches and not any(m.field == "returned" for m in c.mismatches)
