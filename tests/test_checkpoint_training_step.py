"""A training step that checkpoints otherwise (verify/hidden_backward.py): stages checkpointed with
``use_reentrant=True`` behind a frozen stem learn nothing, and blocks checkpointed again inside their stage's
checkpoint move their BatchNorm statistics once more per step. Both forwards are the reference's; a stem held
in eval by the model's ``train()`` (a regularizer record that draws nothing) no longer keeps the training-mode
run from being made (heldout134 ckpt_reentrant_frozen_input, ckpt_wrapped_twice, both false 'no difference')."""

from __future__ import annotations

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import MismatchKind, Pattern

FIXTURE = "tests/fixtures/spelled/ckpt_step.py"


def _messages(candidate: str) -> list[str]:
    model, _ = build_model(f"{FIXTURE}:{candidate}", num_classes=10, random_init=False)
    c = compare(model, f"{FIXTURE}:reference", input_size=16, num_classes=10, cache=False)
    assert all(m.kind is MismatchKind.NUMERIC for m in c.mismatches)
    assert [(f.pattern, f.title) for f in c.findings] == (
        [(Pattern.DESCRIBED, "Only the backward differs")] if c.mismatches else []
    )
    return [m.message for m in c.mismatches]


@pytest.mark.filterwarnings("ignore:None of the inputs have requires_grad")
def test_a_reentrant_checkpoint_behind_a_frozen_stem_trains_no_stage() -> None:
    (message,) = _messages("reentrant")
    assert (
        "the gradients of 24 of 26 learned tensors are not" in message
        and "stages.0.0.conv1.weight" in message
    )


@pytest.mark.parametrize(("candidate", "moved"), [("per_block", 12), ("unchecked", 24)])
def test_a_block_recomputed_otherwise_moves_its_statistics_otherwise(candidate: str, moved: int) -> None:
    """Checkpointed twice, the first block of each stage moves its statistics once more (3 tensors each of 2
    norms, 2 stages); not checkpointed, every stage block moves them once less; the frozen stem's never."""
    (message,) = _messages(candidate)
    assert f"other running statistics after one training step for {moved} of 27 BatchNorm buffers" in message
    assert "stages.0.0.bn1.running_mean" in message and "stem_bn" not in message


def test_the_same_recomputation_spelled_otherwise_is_clean() -> None:
    """Must not fire: a wrapper module that checkpoints its stage recomputes what checkpoint(stage) does."""
    assert _messages("wrapped") == []
