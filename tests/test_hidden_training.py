"""What only a training forward shows, checked by the numbers where the structure finds nothing
(verify/hidden_training.py; #23 heldout102's distil_train_heads_swapped and heldout101's
scratch_bn_biased_moving_var compared clean: a false "no difference")."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.spelled.training_forward import HandNormNet, NoisyHead, TwoHeads

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.hidden_training import FIELD

FILE = Path(__file__).parent / "fixtures" / "spelled" / "training_forward.py"


@pytest.mark.parametrize(
    ("model", "spec"), [(TwoHeads(), "TwoHeads"), (HandNormNet(), "HandNormNet"), (NoisyHead(), "NoisyHead")]
)
def test_the_same_training_forward_compares_clean(model: object, spec: str) -> None:
    c = compare(model, f"{FILE}:{spec}", input_size=16, num_classes=10)  # type: ignore[arg-type]
    assert not c.mismatches and not c.findings


@pytest.mark.parametrize(
    ("model", "spec", "changes", "place"),
    [
        (TwoHeads(swap=True), "TwoHeads", "the outputs", ""),
        (HandNormNet(biased=True), "HandNormNet", "the buffers it leaves (norm.moving_var)", "norm"),
    ],
)
def test_a_training_forward_that_differs_is_found(model: object, spec: str, changes: str, place: str) -> None:
    c = compare(model, f"{FILE}:{spec}", input_size=16, num_classes=10)  # type: ignore[arg-type]
    assert [m.field for m in c.mismatches] == [FIELD]
    assert c.mismatches[0].actual == changes and c.mismatches[0].candidate_path == place
    assert [f.title for f in c.findings] == ["Only training mode differs"]


def test_noise_drawn_again_in_each_training_forward_is_not_the_noise_drawn_once() -> None:
    # the noise buffer starts from the reference's values (hidden_training._same_state): a redraw is then
    # the code's doing, found by the training-mode pass or, where it cannot see it, by the numbers
    c = compare(NoisyHead(resample=True), f"{FILE}:NoisyHead", input_size=16, num_classes=10)
    assert c.mismatches and c.findings
