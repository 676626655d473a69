"""A drop path written as a plain function the blocks call with ``self.training`` (timm's functional
form) returns its input before any torch call in eval mode: the trace saw nothing, so a model with it
and one without compared clean. A training forward shows the per-sample mask it draws and applies
(tracing/drawn_masks.py): stochastic depth at its rate, compared like torchvision's module."""

from __future__ import annotations

import math

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import RegularizerKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = "tests/fixtures/spelled/drop_path_fn.py"


def _compare(candidate: str, reference: str) -> tuple[list[Pattern], list[str]]:
    model, _ = build_model(f"{FIXTURE}:{candidate}", num_classes=10, random_init=False)
    c = compare(model, f"{FIXTURE}:{reference}", input_size=32, num_classes=10)
    return [f.pattern for f in c.findings], [m.message for m in c.mismatches]


def _drop_paths(name: str) -> list[tuple[RegularizerKind, float, str]]:
    model, _ = build_model(f"{FIXTURE}:{name}", num_classes=10, random_init=False)
    return [(r.kind, r.p, r.path) for r in trace(model, 32).regularizers]


def test_a_functional_drop_path_is_read_at_its_rates() -> None:
    found = _drop_paths("functional")
    assert [(k, round(p, 4), path) for k, p, path in found] == [
        (RegularizerKind.DROP_PATH, 0.1, "blocks.1"),
        (RegularizerKind.DROP_PATH, 0.2, "blocks.2"),
    ]


def test_a_draw_without_a_stated_rate_is_a_drop_path_of_unknown_rate() -> None:
    found = _drop_paths("floored")
    assert [k for k, _, _ in found] == [RegularizerKind.DROP_PATH] * 2 and all(
        math.isnan(p) for _, p, _ in found
    )


@pytest.mark.parametrize(
    ("candidate", "reference"), [("rate_zero", "functional"), ("functional", "rate_zero")]
)
def test_a_missing_functional_drop_path_is_named_either_way(candidate: str, reference: str) -> None:
    patterns, mismatches = _compare(candidate, reference)
    assert patterns == [Pattern.STOCHASTIC_DEPTH] and len(mismatches) == 2, (patterns, mismatches)


def test_a_drop_path_moved_after_the_add_is_said() -> None:
    patterns, mismatches = _compare("after_add", "functional")
    assert patterns == [Pattern.STOCHASTIC_DEPTH] and len(mismatches) == 2
    assert all("after the add where the reference's runs before the add" in m for m in mismatches)


def test_the_function_and_torchvisions_module_are_one_drop_path() -> None:
    """Must not fire: the same rates, written as a function or as StochasticDepth modules."""
    assert _compare("module", "functional") == ([], [])


def test_an_element_wise_mask_is_no_drop_path_but_is_seen() -> None:
    """Must not fire: a hand-written dropout (one draw per element) stays what it runs, a training-mode
    branch, described; the same block class without it on the other side does not hide it."""
    assert RegularizerKind.DROP_PATH not in {k for k, _, _ in _drop_paths("elementwise")}
    patterns, mismatches = _compare("elementwise", "rate_zero")
    assert patterns == [Pattern.DESCRIBED] and len(mismatches) == 3, (patterns, mismatches)


def test_one_draw_for_the_batch_is_not_one_per_sample() -> None:
    """A training-only factor drawn once for the batch where the reference draws one per image (Shake-Shake
    with shake_image off): the draw's extent is said, a difference in training only."""
    patterns, mismatches = _compare("jitter_batch", "jitter_sample")
    assert patterns == [Pattern.REPEATED] and len(mismatches) == 3, (patterns, mismatches)
    assert (
        "uniform draw (one for the batch)" in mismatches[0]
        and "uniform draw (one per sample)" in mismatches[0]
    )


def test_one_distribution_drawn_two_ways_is_one_draw() -> None:
    """Must not fire: randn_like(x) and a zero tensor repeated to x's size, filled by normal_()."""
    assert _compare("noise_filled_net", "noise_like_net") == ([], [])
