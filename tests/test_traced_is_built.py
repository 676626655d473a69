"""Invariant over every model the suite builds: the model the tool traces is, parameter for parameter,
module for module, the one a plain ``build()`` gives, and its output has the same shape.

"Plain" means what a user's own script does: import the file, call the builder, run a forward. The
tool's side is what ``compare``/``summary`` do: ``build_model(spec, random_init=False)`` (the
shape-only request) and ``trace``.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import pytest
import torch
from conftest import fixture_spec
from fixtures.catalog import FIXTURES, path_of

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import trace

QUIRKY = Path(__file__).parent / "fixtures" / "quirky"
FAST = {"equiv_resnet18_renamed", "broken_resnet18_missing_block", "other_cifar_resnet20"}
AS_BUILT = ["magnitude_pruned", "strictly_pruned", "with_machinery", "reads_its_weights"]


def _plain_builder(path: Path, name: str) -> torch.nn.Module:
    spec = importlib.util.spec_from_file_location(f"_plain_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)(num_classes=6)


def _plain_output_shape(model: torch.nn.Module, size: int) -> tuple[int, ...]:
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(1, 3, size, size))
    return tuple(out.shape)


def _tensors(model: torch.nn.Module) -> dict[str, tuple[int, ...]]:
    named = [*model.named_parameters(), *model.named_buffers()]
    return {name: tuple(t.shape) for name, t in named}


def _agrees(plain: torch.nn.Module, spec: str, size: int) -> None:
    expected_out = _plain_output_shape(plain, size)
    built, _ = build_model(spec, num_classes=6, random_init=False)
    assert _tensors(built) == _tensors(plain)
    assert [(n, type(m).__name__) for n, m in built.named_modules()] == [
        (n, type(m).__name__) for n, m in plain.named_modules()
    ]
    t = trace(built, size)
    assert t.crash is None, t.crash
    assert {p.name: p.shape for p in t.params} == {
        n: s for n, s in _tensors(plain).items() if n in {p.name for p in t.params}
    }
    assert sum(p.numel for p in t.params if not p.is_buffer) == sum(p.numel() for p in plain.parameters())
    assert t.output_shape == expected_out


def _fixture_case(name: str) -> None:
    f = next(f for f in FIXTURES if f.name == name)
    plain = _plain_builder(path_of(f), "build")
    if f.kinds & {"crash", "repair"}:
        pytest.skip("a fixture whose forward crashes by design has no plain output shape")
    _agrees(plain, fixture_spec(f), f.input_size)


@pytest.mark.parametrize("name", sorted(FAST))
def test_fixture_traced_as_built(name: str) -> None:
    _fixture_case(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(f.name for f in FIXTURES if f.name not in FAST))
def test_every_other_fixture_traced_as_built(name: str) -> None:
    _fixture_case(name)


@pytest.mark.parametrize("name", AS_BUILT)
def test_value_dependent_builders_traced_as_built(name: str) -> None:
    _agrees(_plain_builder(QUIRKY / "as_built.py", name), f"{QUIRKY / 'as_built.py'}:{name}", 64)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("spec", "plain"),
    [
        ("resnet50", "resnet_verify.models.resnet:resnet50"),
        ("torchvision:resnet18", "torchvision.models:resnet18"),
        ("timm:resnet18", "timm:resnet18"),
    ],
)
def test_library_builders_traced_as_built(spec: str, plain: str) -> None:
    if plain.startswith("timm:"):
        timm = pytest.importorskip("timm")
        model = timm.create_model(plain[5:], pretrained=False, num_classes=6)
    else:
        module, _, name = plain.partition(":")
        model = getattr(importlib.import_module(module), name)(num_classes=6)
    _agrees(model, spec, 64)
