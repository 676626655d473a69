"""Multi-sample dropout (several dropout masks of one feature through one shared Linear, averaged) is
in eval mode the Linear once: the mean of n runs of one computation on one input is that computation
(tracing/averages.py). What differs is the dropouts, read where the forward runs them, also when only
the training forward does (tracing/train_only.py). An average of heads with weights of their own is
no such thing."""

from __future__ import annotations

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = "tests/fixtures/spelled/multi_sample.py"


def _compare(candidate: str, reference: str) -> tuple[list[Pattern], list[str]]:
    model, _ = build_model(f"{FIXTURE}:{candidate}", num_classes=10, random_init=False)
    c = compare(model, f"{FIXTURE}:{reference}", input_size=32, num_classes=10)
    return [f.pattern for f in c.findings], [m.message for m in c.mismatches]


def test_the_mean_of_equal_terms_is_the_term() -> None:
    t = trace(build_model(f"{FIXTURE}:always", num_classes=10)[0], 32)
    assert sum(op.kind is OpKind.LINEAR for op in t.ops) == 1


@pytest.mark.parametrize(("candidate", "reference"), [("plain", "always"), ("always", "plain")])
def test_a_plain_head_lacks_the_dropouts_only(candidate: str, reference: str) -> None:
    patterns, mismatches = _compare(candidate, reference)
    assert patterns == [Pattern.DROPOUT] and len(mismatches) == 4, (patterns, mismatches)


def test_samples_averaged_only_while_training_are_the_same_head() -> None:
    """Eval answers the Linear once, training averages the dropout samples: the builder's network."""
    assert _compare("train_only", "always") == ([], [])


def test_heads_of_their_own_are_not_one_head() -> None:
    """Must not fire: four Linear heads averaged are four layers, whatever the dropouts."""
    patterns, mismatches = _compare("own_heads", "plain")
    assert Pattern.DROPOUT in patterns and sum("extra Linear" in m for m in mismatches) == 3
