"""Building with zeros for torch.nn.init's random initialisers (compare without --equivalence,
summary) traces exactly as building with the real ones: every fixture, every record."""

from __future__ import annotations

import dataclasses

import pytest
import torch
import torch.nn.init as init
from conftest import fixture_spec
from fixtures.catalog import FIXTURES, Fixture

from resnet_verify.specs.builders import build_model
from resnet_verify.specs.shape_init import zero_random_init
from resnet_verify.tracing.tracer import trace


def _traces_agree(f: Fixture) -> None:
    real = build_model(fixture_spec(f), num_classes=6)[0]
    zeros = build_model(fixture_spec(f), num_classes=6, random_init=False)[0]
    weights = [p for p in zeros.parameters() if p.dim() > 1]
    assert weights and all(not p.any() for p in weights)  # the init was skipped (else this proves nothing)
    a, b = trace(real, f.input_size, device="cpu"), trace(zeros, f.input_size, device="cpu")
    for field in dataclasses.fields(a):
        assert getattr(a, field.name) == getattr(b, field.name), field.name


@pytest.mark.parametrize("f", FIXTURES[:3], ids=lambda f: f.name)
def test_fixture_traces_agree(f: Fixture) -> None:
    _traces_agree(f)


@pytest.mark.slow
@pytest.mark.parametrize("f", FIXTURES[3:], ids=lambda f: f.name)
def test_every_other_fixture_agrees(f: Fixture) -> None:
    _traces_agree(f)


def test_initialisers_are_restored_even_on_error() -> None:
    before = init.kaiming_uniform_
    with pytest.raises(RuntimeError), zero_random_init():
        assert init.kaiming_uniform_ is not before
        raise RuntimeError("the user's constructor failed")
    assert init.kaiming_uniform_ is before
    conv = torch.nn.Conv2d(3, 4, 3)
    assert conv.weight.abs().sum() > 0  # real initialisers again
    bn = next(m for m in build_model("resnet18", num_classes=3, random_init=False)[0].modules()
              if isinstance(m, torch.nn.BatchNorm2d))  # fmt: skip
    assert torch.equal(bn.weight, torch.ones_like(bn.weight))  # constant initialisers untouched
