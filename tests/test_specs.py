"""Model spec strings, torchvision references and input sizes; every bad input is a one-line UsageError."""

from __future__ import annotations

import inspect
import sys
import textwrap
from pathlib import Path
from typing import TypeVar

import pytest
import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.models.resnet import ResNet
from resnet_verify.specs.builders import build_model, build_reference, parse_input_size, reference_names

M = TypeVar("M", bound=nn.Module)


def _child(model: nn.Module, name: str, kind: type[M]) -> M:
    """``model.<name>``, checked to be a ``kind``: built models are plain ``nn.Module`` to the type checker."""
    child = model.get_submodule(name)
    assert isinstance(child, kind), type(child)
    return child


TINY = """
import torch
from torch import nn


class Tiny(nn.Module):
    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, num_classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.conv(x)), 1))


class NoArgs(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 2)


class Bare(nn.Module):
    pass


def make(**kwargs):
    return Tiny(**kwargs)


def make_fixed():
    return Tiny(num_classes=5)


def make_plain(width=4):
    return nn.Linear(width, 1)


def needs_depth(depth, num_classes=10):
    return Tiny(num_classes)


def not_a_module(num_classes=10):
    return num_classes


class Broken(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        raise RuntimeError("boom in constructor")


CONSTANT = 3
"""


def _write(directory: Path, name: str, source: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return _write(tmp_path, "tiny_model.py", TINY)


def _usage_error(spec: str, **kwargs: object) -> str:
    kwargs.setdefault("num_classes", 10)
    with pytest.raises(UsageError) as info:
        build_model(spec, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert message and "\n" not in message
    return message


# ---- spec forms that work ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["resnet50", "resnet50_v1", "resnext50_32x4d"])
def test_family_name(name: str) -> None:
    model, display = build_model(name, num_classes=10, device="meta")
    assert isinstance(model, ResNet) and display == name
    assert model.fc.out_features == 10
    assert all(p.is_meta for p in model.parameters())


def test_family_name_on_cpu_by_default() -> None:
    model, display = build_model(" resnet18 ", num_classes=3)
    assert display == "resnet18" and _child(model, "fc", nn.Linear).weight.device.type == "cpu"


@pytest.mark.parametrize(("name", "kind"), [("resnet18", "ResNet"), ("mobilenet_v2", "MobileNetV2")])
def test_torchvision_builder(name: str, kind: str) -> None:
    model, display = build_model(f"torchvision:{name}", num_classes=7, device="meta")
    assert type(model).__name__ == kind and display == f"torchvision:{name}"
    assert all(p.is_meta for p in model.parameters())


def test_file_class_gets_num_classes(tiny: Path) -> None:
    before = list(sys.path)
    model, display = build_model(f"{tiny}:Tiny", num_classes=6)
    assert _child(model, "fc", nn.Linear).out_features == 6 and display == "tiny_model.py:Tiny"
    assert model(torch.randn(1, 3, 8, 8)).shape == (1, 6)
    assert sys.path == before
    # The module stays registered so source locations of user classes resolve.
    assert inspect.getsourcefile(type(model)) == str(tiny)


def test_file_factories(tiny: Path) -> None:
    forwarded = build_model(f"{tiny}:make", num_classes=4)[0]
    assert _child(forwarded, "fc", nn.Linear).out_features == 4  # **kwargs
    fixed = build_model(f"{tiny}:make_fixed", num_classes=4)[0]
    assert _child(fixed, "fc", nn.Linear).out_features == 5  # no num_classes
    assert isinstance(build_model(f"{tiny}:make_plain", num_classes=4)[0], nn.Linear)
    assert isinstance(build_model(f"{tiny}:NoArgs", num_classes=4)[0], nn.Module)
    assert isinstance(build_model(f"{tiny}:Bare", num_classes=4)[0], nn.Module)


def test_relative_file_name(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tiny.parent)
    model, display = build_model("tiny_model.py:Tiny", num_classes=2)
    assert _child(model, "fc", nn.Linear).out_features == 2 and display == "tiny_model.py:Tiny"


def test_file_on_meta(tiny: Path) -> None:
    model, _ = build_model(f"{tiny}:Tiny", num_classes=2, device="meta")
    assert all(p.is_meta for p in model.parameters())


def test_two_files_with_the_same_name_do_not_collide(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _write(tmp_path / "a", "model.py", TINY)
    b = _write(tmp_path / "b", "model.py", TINY.replace("3, 4, 3", "3, 2, 3"))
    ma, _ = build_model(f"{a}:Tiny", num_classes=3)
    mb, _ = build_model(f"{b}:Tiny", num_classes=3)
    assert _child(ma, "conv", nn.Conv2d).out_channels == 4 and _child(mb, "conv", nn.Conv2d).out_channels == 2
    assert type(ma).__module__ != type(mb).__module__


def test_file_with_dataclass_and_sibling_import(tmp_path: Path) -> None:
    _write(tmp_path, "helper_for_spec_test.py", "WIDTH = 8\n")
    path = _write(
        tmp_path,
        "dc_model.py",
        """
        from dataclasses import dataclass

        from torch import nn

        from helper_for_spec_test import WIDTH


        @dataclass(frozen=True)
        class Config:
            width: int = WIDTH


        def build(num_classes: int):
            return nn.Linear(Config().width, num_classes)
        """,
    )
    before = list(sys.path)
    model, _ = build_model(f"{path}:build", num_classes=3)
    assert (model.in_features, model.out_features) == (8, 3)
    assert sys.path == before


def test_module_spec() -> None:
    model, display = build_model("resnet_verify.models.resnet:resnet18", num_classes=9, device="meta")
    assert isinstance(model, ResNet) and model.fc.out_features == 9
    assert display == "resnet_verify.models.resnet:resnet18"


def test_module_spec_with_dotted_attribute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(
        tmp_path,
        "spec_pkg_mod.py",
        """
        from torch import nn


        class Factory:
            @staticmethod
            def create(num_classes):
                return nn.Linear(2, num_classes)
        """,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    model, _ = build_model("spec_pkg_mod:Factory.create", num_classes=5)
    assert model.out_features == 5


# ---- bad specs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "fact"),
    [
        ("", "empty model spec"),
        ("   ", "empty model spec"),
        ("a:b:c", "at most one ':'"),
        (":make", "both sides"),
        ("x.py:", "both sides"),
        ("x.py:not-a-name", "not a Python name"),
        ("not-a-module:f", "neither a .py file nor a dotted module name"),
        ("resnet5", "did you mean resnet50"),
        ("resnet_50", "unknown model 'resnet_50'"),
        ("torchvision:resnet5", "torchvision has no model builder 'resnet5'"),
        ("torchvision:", "give a builder name"),
        ("no_such_module_for_specs:f", "no module named 'no_such_module_for_specs'"),
        ("resnet_verify.models.resnet:nope", "has no attribute 'nope'"),
        ("resnet_verify.models.resnet:MODEL_BUILDERS", "is not callable (it is a dict)"),
        ("does/not/exist.py:f", "model file not found: does/not/exist.py"),
        ("model.py", "names a file but no callable"),
    ],
)
def test_bad_spec(spec: str, fact: str) -> None:
    assert fact in _usage_error(spec)


def test_num_classes_must_be_positive(tiny: Path) -> None:
    assert "num_classes" in _usage_error("resnet18", num_classes=0)
    assert "num_classes" in _usage_error(f"{tiny}:Tiny", num_classes=-1)


def test_directory_spec(tmp_path: Path) -> None:
    (tmp_path / "pkg.py").mkdir()
    assert "is a directory" in _usage_error(f"{tmp_path / 'pkg.py'}:f")
    assert "is a directory" in _usage_error(f"{tmp_path}:f")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad_syntax.py", "import torch\n\ndef f(:\n    pass\n")
    message = _usage_error(f"{path}:f")
    assert f"syntax error in {path}:3" in message


def test_import_error_names_exception(tmp_path: Path) -> None:
    path = _write(tmp_path, "raises.py", "x = 1\nraise ZeroDivisionError('no\\nway')\n")
    before = set(sys.modules)
    message = _usage_error(f"{path}:f")
    assert "ZeroDivisionError: no way" in message and f"{path}:2" in message
    assert set(sys.modules) == before  # a failed import leaves nothing registered


def test_missing_import_inside_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "missing_dep.py", "import definitely_not_installed_pkg\n")
    assert "ModuleNotFoundError" in _usage_error(f"{path}:f")


def test_bad_callables(tiny: Path) -> None:
    assert "has no attribute 'Tine'" in _usage_error(f"{tiny}:Tine")
    assert "did you mean Tiny" in _usage_error(f"{tiny}:Tine")
    assert "is not callable (it is a int)" in _usage_error(f"{tiny}:CONSTANT")
    assert "constructing tiny_model.py:Broken raised RuntimeError: boom in constructor" in _usage_error(
        f"{tiny}:Broken"
    )
    assert "returned int, not a torch.nn.Module" in _usage_error(f"{tiny}:not_a_module")
    assert "needs arguments that cannot be given: depth" in _usage_error(f"{tiny}:needs_depth")


def test_module_import_raising(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "spec_raising_mod.py", "raise ValueError('bad config')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "importing spec_raising_mod raised ValueError: bad config" in _usage_error("spec_raising_mod:f")


# ---- references ----------------------------------------------------------------------------------


def test_reference_names() -> None:
    names = reference_names()
    assert names[:5] == ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152")
    assert {"resnext101_64x4d", "wide_resnet101_2"} <= set(names)


@pytest.mark.parametrize("name", ["resnet152", "resnext101_64x4d", "wide_resnet101_2"])
def test_build_reference_on_meta(name: str) -> None:
    model = build_reference(name, num_classes=12)
    assert _child(model, "fc", nn.Linear).out_features == 12
    assert all(p.is_meta for p in model.parameters())


def test_build_reference_errors() -> None:
    with pytest.raises(
        UsageError, match=r"unknown reference 'resnet5'.*did you mean resnet50.*valid: resnet18"
    ):
        build_reference("resnet5", num_classes=10)
    with pytest.raises(UsageError, match="num_classes"):
        build_reference("resnet18", num_classes=0)


# ---- input sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("224", (3, 224, 224)),
        (64, (3, 64, 64)),
        ("3x64x64", (3, 64, 64)),
        (" 1x32X40 ", (1, 32, 40)),
        ("32", (3, 32, 32)),
        ("12x1000", (12, 1000)),  # 1-D: 12-lead ECG
        ("3x8x64x64", (3, 8, 64, 64)),  # 3-D: an 8-frame clip (depth may be under 32)
    ],
)
def test_parse_input_size(text: str | int, expected: tuple[int, ...]) -> None:
    assert parse_input_size(text) == expected


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("0", "must be positive"),
        (-5, "must be positive"),
        ("0x64x64", "must be positive"),
        ("3x-64x64", "must be positive"),
        ("abc", "malformed input size"),
        ("", "malformed input size"),
        ("3x8x8x64x64", "malformed input size"),
        ("64.5", "malformed input size"),
        (True, "N, CxL, CxHxW or CxDxHxW"),
        ("16", "input size 16 is too small: the network needs at least 32 px"),
        ("3x64x16", "input size 16 is too small"),
        ("12x16", "input size 16 is too small"),
        ("3x8x64x16", "input size 16 is too small"),
    ],
)
def test_parse_input_size_errors(text: str | int, fact: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_input_size(text)
    assert fact in str(info.value) and "\n" not in str(info.value)


def test_parse_input_size_min_size() -> None:
    assert parse_input_size("16", min_size=8) == (3, 16, 16)
    with pytest.raises(UsageError, match="at least 64 px"):
        parse_input_size(32, min_size=64)
