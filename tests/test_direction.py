"""Either direction (issue #23): every named fixture, held as the *reference* against the plain
torchvision model it departs from, gets the same names and every mismatch claimed. Findings the
registry made with the sides swapped say that the reference holds the variant."""

from __future__ import annotations

import pytest
from conftest import fixture_spec
from fixtures.catalog import FIXTURES, Fixture

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.flip import flipped
from resnet_verify.verify.records import MismatchKind

NAMED = [f for f in FIXTURES if f.patterns]
FAST = {"broken_conv_bias", "broken_cifar_stem", "broken_softmax_output"}


def _swapped(f: Fixture):
    plain = build_model(f"torchvision:{f.reference}", num_classes=6)[0]
    return compare(plain, fixture_spec(f), input_size=(3, f.input_size, f.input_size), num_classes=6)


@pytest.mark.parametrize(
    "f",
    [pytest.param(f, marks=[] if f.name in FAST else [pytest.mark.slow]) for f in NAMED],
    ids=lambda f: f.name,
)
def test_a_variant_held_by_the_reference_keeps_its_name(f: Fixture) -> None:
    c = _swapped(f)
    assert {x.pattern.value for x in c.findings} == set(f.patterns)
    assert not [i for i in c.unexplained if c.mismatches[i].cause is None]


def test_a_swapped_finding_says_the_reference_holds_it() -> None:
    f = next(f for f in NAMED if f.name == "broken_conv_bias")
    (finding,) = _swapped(f).findings
    assert finding.title.endswith("(in the reference)")
    assert finding.message.startswith("The reference holds this variant")
    assert finding.suggestion is not None and "to match the reference" in finding.suggestion


def test_flipping_swaps_the_sides_and_twice_is_the_identity() -> None:
    f = next(f for f in NAMED if f.name == "broken_projection_without_bn")
    c = _swapped(f)
    ctx = Context(c.reference, c.candidate, c.blocks, c.mismatches)
    once, twice = flipped(ctx), flipped(flipped(ctx))
    assert once.reference is ctx.candidate and once.candidate is ctx.reference
    kinds = {(a.kind, b.kind) for a, b in zip(ctx.mismatches, once.mismatches)}
    assert (MismatchKind.EXTRA, MismatchKind.MISSING) in kinds  # the BN the reference has, seen from it
    fields = ("kind", "reference_path", "candidate_path", "expected", "actual", "block", "reference_op")
    assert [[getattr(m, k) for k in fields] for m in twice.mismatches] == [
        [getattr(m, k) for k in fields] for m in ctx.mismatches
    ]
