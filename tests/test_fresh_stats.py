"""``F.batch_norm`` on statistics made fresh in every call, with ``training=True`` (a few-shot learner's
BatchNorm): the batch's own statistics always, none kept, so a BatchNorm without running statistics
(tracing/fresh_stats.py), named as such against one that keeps them, either way round."""

from __future__ import annotations

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = "tests/fixtures/spelled/fresh_stats.py"


def _compare(candidate: str, reference: str) -> tuple[list[Pattern], int]:
    model, _ = build_model(f"{FIXTURE}:{candidate}", num_classes=10, device="meta")
    c = compare(model, f"{FIXTURE}:{reference}", input_size=32, num_classes=10)
    return [f.pattern for f in c.findings], len(c.mismatches)


def test_fresh_statistics_are_no_running_statistics() -> None:
    assert _compare("fresh", "untracked") == ([], 0)


@pytest.mark.parametrize(("candidate", "reference"), [("fresh", "module"), ("module", "fresh")])
def test_fresh_statistics_are_named_against_kept_ones(candidate: str, reference: str) -> None:
    assert _compare(candidate, reference) == ([Pattern.NORMALIZATION], 3)


def test_a_functional_norm_on_its_own_buffers_is_the_module() -> None:
    """Must not fire: running statistics the module keeps, passed to F.batch_norm, are kept ones."""
    assert _compare("own", "module") == ([], 0)
