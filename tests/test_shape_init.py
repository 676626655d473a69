"""Building with zeros for torch.nn.init's random initialisers (compare without --equivalence,
summary) traces exactly as building with the real ones, for the library builders it is used on; a
user's builder never gets it (tests/test_model_as_built.py)."""

from __future__ import annotations

import dataclasses

import pytest
import torch
import torch.nn.init as init

from resnet_verify.specs.builders import build_model
from resnet_verify.specs.shape_init import zero_random_init
from resnet_verify.tracing.tracer import trace


def _traces_agree(spec: str, size: int) -> None:
    real = build_model(spec, num_classes=6)[0]
    zeros = build_model(spec, num_classes=6, random_init=False)[0]
    weights = [p for p in zeros.parameters() if p.dim() > 1]
    assert weights and all(not p.any() for p in weights)  # the init was skipped (else this proves nothing)
    a, b = trace(real, size, device="cpu"), trace(zeros, size, device="cpu")
    for field in dataclasses.fields(a):
        assert getattr(a, field.name) == getattr(b, field.name), field.name


@pytest.mark.parametrize("spec", ["resnet18", "resnet50_v1", "torchvision:resnet18"])
def test_library_traces_agree(spec: str) -> None:
    _traces_agree(spec, 64)


@pytest.mark.slow
@pytest.mark.parametrize("spec", ["resnet50", "torchvision:resnext50_32x4d", "timm:resnet26d"])
def test_larger_library_traces_agree(spec: str) -> None:
    _traces_agree(spec, 64)


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
