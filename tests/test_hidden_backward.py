"""What only the backward shows (verify/hidden_backward.py): a gradient reversal whose sign was lost, a
backward that forgot to negate, a tensor hook, a checkpoint that cuts the gradient while training, each
with every op, shape and forward value the reference's, compared clean before. With the same weights the
gradients of the trunk's tensors differ: one mismatch for the model, naming them."""

from __future__ import annotations

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import MismatchKind, Pattern

FIXTURE = "tests/fixtures/spelled/grad_tricks.py"


def _mismatches(candidate: str, device: str = "cpu") -> list[str]:
    kw = {"device": "meta"} if device == "meta" else {"random_init": False}
    model, _ = build_model(f"{FIXTURE}:{candidate}", num_classes=10, **kw)
    c = compare(model, f"{FIXTURE}:function", input_size=32, num_classes=10)
    assert all(m.kind is MismatchKind.NUMERIC for m in c.mismatches)
    # one finding says it (patterns/backward_only.py), no variant named
    assert [(f.pattern, f.title) for f in c.findings] == (
        [(Pattern.DESCRIBED, "Only the backward differs")] if c.mismatches else []
    )
    return [m.message for m in c.mismatches]


@pytest.mark.filterwarnings("ignore:None of the inputs have requires_grad")
@pytest.mark.parametrize("candidate", ["sign", "no_negation", "hook", "checkpointed"])
def test_a_backward_of_its_own_is_a_difference(candidate: str) -> None:
    (message,) = _mismatches(candidate)
    assert "the gradients of 9 of 13 learned tensors are not the reference's" in message
    assert "trunk.stem.0.weight" in message and "classifier" not in message


@pytest.mark.parametrize("candidate", ["module", "frozen_stem", "probe"])
def test_the_same_gradients_or_frozen_layers_are_clean(candidate: str) -> None:
    """Must not fire: a module wrapping the same Function computes the same gradients; a stem frozen for
    fine-tuning gets none, a training choice (as frozen layers are everywhere in this tool)."""
    assert _mismatches(candidate) == []


def test_a_model_of_shapes_alone_is_the_traces_to_judge() -> None:
    assert _mismatches("sign", device="meta") == []


def test_the_check_runs_only_where_code_can_shape_a_gradient() -> None:
    """A model whose own source holds no backward, hook, checkpoint, detach or gradient code cannot differ
    in the backward alone: the check's seconds are not spent (torchvision's classes are a library's)."""
    from fixtures.spelled.fresh_stats import module
    from fixtures.spelled.grad_tricks import function
    from torchvision.models import resnet18

    from resnet_verify.verify.hidden_backward import _shapes_gradients

    assert _shapes_gradients(function(10)) and not _shapes_gradients(module(10))
    assert not _shapes_gradients(resnet18()) and not _shapes_gradients("resnet18")
