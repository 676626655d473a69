"""User code runs as Python runs it: a model file's folder stays importable for the whole command,
and the warnings the model raises are shown like its prints (marked ``[model]``), never raised."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pytest

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.specs.builders import build_model
from resnet_verify.specs.usercode import MODEL_MARK, model_output

EVERYDAY = Path(__file__).resolve().parent / "fixtures" / "everyday"
LAZY = EVERYDAY / "everyday_lazy_import.py"
WARNS = EVERYDAY / "everyday_warnings.py"
SMALL = ["--reference", "resnet18", "--input-size", "64", "--num-classes", "6"]


@pytest.fixture
def fresh_siblings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sibling modules not yet imported, as in a new process (sys.modules would hide a missing
    folder: a cached module imports without any path)."""
    for name in ("everyday_parts", "everyday_late"):
        monkeypatch.delitem(sys.modules, name, raising=False)


def _compare(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["compare", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("fresh_siblings")
def test_a_builder_that_imports_a_sibling_when_called(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _compare(capsys, "--model", f"{LAZY}:build", *SMALL)
    assert code == 0, err
    assert "MATCH" in out.splitlines()[0]


@pytest.mark.usefixtures("fresh_siblings")
def test_a_forward_that_imports_a_sibling_after_the_build(capsys: pytest.CaptureFixture[str]) -> None:
    before = list(sys.path)
    code, out, err = _compare(capsys, "--model", f"{LAZY}:LateImports", *SMALL)
    assert code == 0, err
    assert "MATCH" in out.splitlines()[0]
    assert sys.path == before  # the command's folders come off when it ends


@pytest.mark.usefixtures("fresh_siblings")
def test_the_api_still_leaves_sys_path_as_it_found_it() -> None:
    before = list(sys.path)
    model, _ = build_model(f"{LAZY}:build", num_classes=3, device="meta")
    assert model.get_submodule("fc").out_features == 3
    assert sys.path == before


def _not_model_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip() and not line.startswith(MODEL_MARK)]


def test_model_warnings_are_marked_lines_not_errors(capsys: pytest.CaptureFixture[str]) -> None:
    # pytest runs with filterwarnings=error: a warning that escaped would fail the build.
    code, out, err = _compare(capsys, "--model", f"{WARNS}:build", *SMALL, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["ok"] is True  # stdout is the report and nothing else
    assert _not_model_lines(err) == []
    assert any("FutureWarning" in line and "kaiming_normal" in line for line in err.splitlines())
    assert any("UserWarning: everyday: forward saw a batch" in line for line in err.splitlines())
    assert "everyday_warnings.py:" in err  # where the model raised it, as Python shows it


def test_a_warning_then_an_error_keeps_the_error_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _compare(capsys, "--model", f"{WARNS}:build_dict_output", *SMALL)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    errors = _not_model_lines(err)
    assert len(errors) == 1 and "returns no tensor" in errors[0], err
    assert f"{MODEL_MARK}" in err and "FutureWarning" in err


def test_summary_shows_model_warnings_too(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["summary", "--model", f"{WARNS}:build", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["model"] == "everyday_warnings.py:build"
    assert _not_model_lines(err) == [] and "UserWarning" in err


def test_our_own_warnings_keep_their_filters() -> None:
    # Only the model's warnings are diverted: one attributed to this package still meets the test
    # suite's "error" filter, so a deprecation in our code cannot hide behind [model].
    with model_output(), pytest.raises(UserWarning, match="ours"):
        warnings.warn_explicit("ours", UserWarning, "recorder.py", 1, module="resnet_verify.tracing.recorder")


def test_a_builder_scripting_its_blocks_is_read_from_their_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """TorchScript compiles the module's own Python: the builder runs again with torch.jit off and the
    blocks are traced from that source. A model object already holding scripted blocks (the Python
    API, nothing to build again) is refused with one line naming them."""
    model = tmp_path / "scripted.py"
    model.write_text(
        "import torch\nfrom torchvision.models import resnet18\n\n\n"
        "def build(num_classes=1000):\n"
        "    m = resnet18(num_classes=num_classes)\n"
        "    m.layer1[0] = torch.jit.script(m.layer1[0])\n"
        "    return m\n"
    )
    assert main(["compare", "--model", f"{model}:build", "--reference", "resnet18", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["mismatches"] == []
    import torch
    from torchvision.models import resnet18

    from resnet_verify.verify.comparison import compare

    scripted = resnet18(num_classes=10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # (torch 2.x deprecates torch.jit.script)
        scripted.layer1[0] = torch.jit.script(scripted.layer1[0])
    with pytest.raises(UsageError, match=r"ResNet holds TorchScript submodules \(layer1.0\)"):
        compare(scripted, "resnet18", input_size=64, num_classes=10)


def test_a_scripting_builder_whose_second_build_differs_keeps_its_script_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The model as built, parameter for parameter: a builder that builds another network the second
    time (pruning by what it reads, a counter) is not traced from the rebuild; its script model stands
    and is refused with the hint."""
    model = tmp_path / "scripted_twice.py"
    model.write_text(
        "import pathlib\nimport torch\nfrom torch import nn\n\nCOUNT = pathlib.Path(__file__).with_suffix('.count')\n\n\n"
        "def build(num_classes=10):\n"
        "    calls = int(COUNT.read_text()) + 1 if COUNT.exists() else 1\n"
        "    COUNT.write_text(str(calls))\n"
        "    width = 8 * calls\n"
        "    m = nn.Sequential(nn.Conv2d(3, width, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),\n"
        "                      nn.Linear(width, num_classes))\n"
        "    m[0] = torch.jit.script(m[0])\n"
        "    return m\n"
    )
    assert (
        main(["compare", "--model", f"{model}:build", "--reference", "resnet18", "--num-classes", "10"]) == 2
    )
    assert "TorchScript submodules" in capsys.readouterr().err
