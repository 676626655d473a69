"""The model the verifier measures is the model plain Python builds (issue #29).

Each builder in tests/fixtures/quirky/as_built.py gives another model when its weights are not the
real ones (pruning by magnitude, a checkpoint round trip, a forward that reads a weight) or when
construction is watched clumsily (attribute machinery). ``compare`` and ``summary`` must report the
parameter count and the output shape that ``build()`` itself gives.
"""

from __future__ import annotations

import importlib.util
import json
import weakref
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import torch
from torch import nn

from resnet_verify.cli.main import main
from resnet_verify.specs.builders import build_model, structure_ignores_values
from resnet_verify.specs.sources import module_sites, record_sources, recorded_site

AS_BUILT = Path(__file__).parent / "fixtures" / "quirky" / "as_built.py"
BUILDERS = [
    "magnitude_pruned",
    "strictly_pruned",
    "compressed_round_trip",
    "with_machinery",
    "reads_its_weights",
]
INPUT = (1, 3, 64, 64)


def _fixture_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_as_built_plain", AS_BUILT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(name: str) -> tuple[int, list[int]]:
    """Parameter count and output shape of the model as plain Python builds and runs it."""
    model = getattr(_fixture_module(), name)(num_classes=6).eval()
    with torch.no_grad():
        out = model(torch.zeros(INPUT))
    return sum(p.numel() for p in model.parameters()), list(out.shape)


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, dict]:
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def _check(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    params, out_shape = _plain(name)
    common = ["--model", f"{AS_BUILT}:{name}", "--input-size", "64", "--num-classes", "6", "--format", "json"]
    code, summary = _json(capsys, ["summary", *common])
    assert code == 0, summary
    assert (summary["totals"]["params"], summary["head"]["out_shape"]) == (params, out_shape)
    code, report = _json(capsys, ["compare", *common, "--reference", "resnet18"])
    head = report["stages"][-1]
    assert (report["totals"]["candidate_params"], head["candidate_shape"]) == (params, out_shape)
    # Each of these models differs from plain resnet18 except the round trip, which is resnet18.
    assert code == (0 if name == "compressed_round_trip" else 1)


@pytest.mark.parametrize("name", BUILDERS)
def test_compare_and_summary_measure_the_model_python_builds(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(name, capsys)


@pytest.mark.slow
def test_torch_pruning_model_is_measured_pruned(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch_pruning")
    _check("torch_pruning_resnet18", capsys)


def test_magnitude_pruned_is_never_reported_identical(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _json(
        capsys,
        ["compare", "--model", f"{AS_BUILT}:magnitude_pruned", "--reference", "resnet18",
         "--input-size", "64", "--num-classes", "6", "--format", "json"],
    )  # fmt: skip
    assert code == 1 and not report["ok"]
    assert report["totals"]["candidate_params"] < report["totals"]["reference_params"]


@pytest.mark.parametrize(
    ("spec", "shortcut"),
    [
        ("resnet50", True),
        ("resnet50_v1", True),
        ("torchvision:resnet18", True),
        ("timm:resnet18", True),
        (f"{AS_BUILT}:magnitude_pruned", False),
        ("some.module:build", False),
        ("keras:ResNet50", False),
        ("torchvision:resnet18:extra", False),
    ],
)
def test_only_library_builders_take_the_shape_only_shortcut(spec: str, shortcut: bool) -> None:
    assert structure_ignores_values(spec) is shortcut


def test_user_builder_gets_real_initialisers_even_when_values_are_not_asked_for() -> None:
    model, _ = build_model(f"{AS_BUILT}:magnitude_pruned", num_classes=6, random_init=False)
    assert all(p.abs().sum() > 0 for p in model.parameters() if p.dim() > 1)


# ---- recording construction sites is invisible -------------------------------------------------


class _LateHash(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self._defaults: dict[str, int] = {}

    def __hash__(self) -> int:
        return hash(tuple(self._defaults))


class _Unhashable(nn.Module):
    __hash__ = None  # type: ignore[assignment]  # a class that defines __eq__ gets this

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)


class _Slotted(nn.Module):
    __slots__ = ("extra",)

    def __init__(self) -> None:
        super().__init__()
        self.extra = 3


class _RaisingGetattr(nn.Module):
    def __getattr__(self, name: str) -> Any:
        if name == "self" or name.startswith("__"):
            raise RuntimeError(f"{name} is not for you")
        return super().__getattr__(name)


def _construct(cls: type[nn.Module], *args: int) -> nn.Module:
    return cls(*args)  # the user's line: record_sources ignores the frame that opened it


@pytest.mark.parametrize("cls", [_LateHash, _Unhashable, _Slotted, _RaisingGetattr])
def test_recording_never_changes_how_a_module_builds(cls: type[nn.Module]) -> None:
    with record_sources():
        module = _construct(cls)
    site = recorded_site(module)
    assert site is not None and site.file.endswith("test_model_as_built.py")


def test_recorded_site_is_forgotten_with_its_module() -> None:
    with record_sources():
        conv = _construct(nn.Conv2d, 3, 4, 1)
    ref = weakref.ref(conv)
    assert recorded_site(conv) is not None
    del conv
    assert ref() is None
    others = [nn.Conv2d(3, 4, 1) for _ in range(20)]  # ids get reused: built unrecorded, no site
    assert all(recorded_site(o) is None for o in others)


def test_torchmetrics_metric_builds_and_gets_a_line() -> None:
    torchmetrics = pytest.importorskip("torchmetrics")

    class Classifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(4, 3)
            self.accuracy = torchmetrics.classification.MulticlassAccuracy(num_classes=3)

    with record_sources():
        model = _construct(Classifier)
    sites = module_sites(model)
    assert sites["fc"].exact and "accuracy" in sites
    # the library's own state, set after our hook ran
    assert getattr(model.accuracy, "_defaults", None) is not None
