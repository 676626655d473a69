"""Quirky-but-valid user code (tests/fixtures/quirky): prints, overrides that return None, instance
forwards, wrappers, non-tensor outputs, transformers and timm ResNets. Each is compared with resnet50
in the JSON, text and GitHub formats: a valid report on stdout, no traceback, the right exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import torchvision
from torch import nn

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.specs.usercode import MODEL_MARK, copy_model, model_output, set_training, unwrap
from resnet_verify.tracing.outputs import select_output

QUIRKY = Path(__file__).parent / "fixtures" / "quirky"

# spec (relative to QUIRKY, or a timm: spec), expected exit code
CORPUS = [
    ("prints.py:build", 0),
    ("overrides.py:train_returns_none", 0),
    ("overrides.py:train_is_a_loop", 0),
    ("overrides.py:to_returns_none", 0),
    ("overrides.py:repr_fails", 0),
    ("overrides.py:no_grad_forward", 0),
    ("overrides.py:inference_forward", 0),
    ("wrappers.py:data_parallel", 0),
    ("wrappers.py:compiled", 0),
    # a parametrized weight is traced as the plain layer and reported as computed in forward (1)
    ("wrappers.py:weight_norm", 1),
    ("wrappers.py:spectral_norm", 1),
    ("wrappers.py:quantizable", 0),
    # torch.jit.script in a builder: built again with torch.jit off, traced from the same source
    ("wrappers.py:scripted", 0),
    ("outputs.py:tuple_out", 0),
    ("outputs.py:named_out", 0),
    ("outputs.py:dict_out", 0),
    ("hf_resnet.py:build", 0),
]


def _spec(spec: str) -> str:
    return spec if spec.startswith("timm:") else f"{QUIRKY / spec.split(':')[0]}:{spec.split(':')[1]}"


def _compare(spec: str, fmt: str, *extra: str) -> list[str]:
    return [
        "compare",
        "--model",
        _spec(spec),
        "--input-size",
        "64",
        "--num-classes",
        "6",
        "--format",
        fmt,
        *extra,
    ]


def _check_report(fmt: str, out: str, code: int) -> None:
    if fmt == "json":
        report = json.loads(out)  # nothing but the report on stdout
        assert report["ok"] is (code == 0)
        assert report["input_shape"] == [1, 3, 64, 64]
    elif fmt == "text":
        assert " vs resnet50 @ 1x3x64x64, 6 classes: " in out.splitlines()[0]
    else:
        assert out.strip() and all(line.startswith("::") for line in out.strip().splitlines())


@pytest.mark.slow
@pytest.mark.parametrize(("spec", "code"), CORPUS, ids=[c[0] for c in CORPUS])
def test_quirky_model_gets_a_clean_report_in_every_format(
    spec: str, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("json", "text", "github"):
        assert main(_compare(spec, fmt)) == code, fmt
        out, err = capsys.readouterr()
        assert "Traceback" not in err and "Traceback" not in out
        if code == 2:
            assert out == ""
            assert err.strip().splitlines()[-1].startswith("resnet-verify: error: ")
            assert len(err.strip().splitlines()) == 1
        else:
            _check_report(fmt, out, code)


@pytest.mark.slow
def test_torchscript_read_from_a_file_is_refused_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    """A script module loaded with torch.jit.load has no Python source to build again."""
    assert main(_compare("wrappers.py:loaded_script", "text")) == 2
    assert "pass the eager nn.Module" in capsys.readouterr().err


@pytest.mark.slow
def test_the_models_prints_go_to_stderr_marked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_compare("prints.py:build", "json")) == 0
    out, err = capsys.readouterr()
    json.loads(out)
    assert f"{MODEL_MARK}Depth: 50" in err and f"{MODEL_MARK}input (1, 3, 64, 64)" in err
    assert f"{MODEL_MARK}building\n" in err  # the open line was closed before anything else


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "text", "github"])
def test_transformers_and_timm_resnets_compare(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("timm")
    pytest.importorskip("transformers")
    for spec in ("hf_resnet.py:build", "timm:resnet50"):
        code = main(_compare(spec, fmt))
        out, err = capsys.readouterr()
        assert code in (0, 1), (spec, err)
        assert "Traceback" not in err
        _check_report(fmt, out, code)


@pytest.mark.slow
def test_output_key_picks_the_prediction(capsys: pytest.CaptureFixture[str]) -> None:
    # Without a key the first tensor (the 2048 features) is taken as the output: a head mismatch.
    assert main(_compare("outputs.py:second_out", "json")) == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert main(_compare("outputs.py:second_out", "json", "--output-key", "1")) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    assert main(_compare("outputs.py:dict_out", "json", "--output-key", "logits")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "keys aux, out" in err


@pytest.mark.slow
def test_output_key_in_equivalence(capsys: pytest.CaptureFixture[str]) -> None:
    args = _compare("outputs.py:second_out", "json", "--output-key", "1", "--equivalence")
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert any("equivalent" in note for note in report.get("notes", []))


def test_timm_spec_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("timm")
    assert main(["compare", "--model", "timm:resnet5", "--input-size", "64"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "timm has no model 'resnet5'" in err and "resnet50" in err
    assert main(["compare", "--model", "timm:", "--input-size", "64"]) == 2
    assert "give a model name" in capsys.readouterr().err


def test_timm_missing_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "timm", None)  # import timm -> ImportError
    assert main(["compare", "--model", "timm:resnet50", "--input-size", "64"]) == 2
    assert "pip install 'resnet-verify[timm]'" in capsys.readouterr().err


# ---- units -------------------------------------------------------------------------------------


class _Pair(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(2, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lin(x)


def test_select_output_rules() -> None:
    a, b = torch.zeros(1), torch.ones(2)
    assert select_output(a) is a
    assert select_output((b, a)) is b
    assert select_output({"aux": a, "out": b}) is b
    assert select_output({"aux": a, "logits": b, "out": a}) is b
    assert select_output({"aux": a, "z": b}) is a  # no known key: the first tensor
    assert select_output([[], (None, b)]) is b
    assert select_output(([a, a], b)) is b  # features list, then the prediction (RepDistiller's is_feat)
    assert select_output((a, b), "1") is b
    assert select_output({"aux": a, "out": b}, "aux") is a
    assert select_output("text") is None
    with pytest.raises(UsageError, match="no tensor 'logits'"):
        select_output({"out": b}, "logits")
    with pytest.raises(UsageError):
        select_output((a,), "3")


def test_select_output_reads_model_output_logits() -> None:
    transformers = pytest.importorskip("transformers")
    out = transformers.modeling_outputs.ImageClassifierOutputWithNoAttention(
        logits=torch.ones(1, 3), hidden_states=(torch.zeros(1, 8),)
    )
    assert select_output(out) is out.logits
    assert select_output(out, "logits") is out.logits


def test_model_output_marks_every_line_and_is_reentrant(capsys: pytest.CaptureFixture[str]) -> None:
    with model_output():
        print("a\nb", end="")
        with model_output():
            print(" c")
    print("report")
    out, err = capsys.readouterr()
    assert out == "report\n"
    assert err == f"{MODEL_MARK}a\n{MODEL_MARK}b c\n"


def test_set_training_ignores_overrides() -> None:
    class NoMode(_Pair):
        def train(self):  # type: ignore[override]
            raise AssertionError("must not be called")

    model = NoMode()
    set_training(model, False)
    assert not any(m.training for m in model.modules())


def test_copy_model_rebinds_instance_forwards() -> None:
    model = _Pair()
    original = model.forward
    model.forward = torch.no_grad()(original)  # type: ignore[method-assign]
    copied = copy_model(model)
    assert isinstance(copied, _Pair)
    with torch.no_grad():
        copied.lin.weight.zero_()
        copied.lin.bias.fill_(1.0)
    assert torch.equal(copied(torch.ones(1, 2)), torch.ones(1, 3))  # the copy's weights, not the original's
    assert not torch.equal(model(torch.ones(1, 2)), torch.ones(1, 3))


def test_unwrap_peels_wrappers_and_leaves_plain_models() -> None:
    inner = torchvision.models.resnet18(num_classes=3)
    assert unwrap(nn.DataParallel(inner)) is inner
    compiled = torch.compile(inner)  # an OptimizedModule, though torch annotates a plain callable
    assert isinstance(compiled, nn.Module) and unwrap(compiled) is inner
    assert unwrap(inner) is inner
    seq = nn.Sequential(inner)  # a container is not a wrapper
    assert unwrap(seq) is seq


@pytest.mark.parametrize(
    ("spec", "transform", "layers"),
    [("wrappers.py:weight_norm", "weight_norm", 53), ("wrappers.py:spectral_norm", "spectral_norm", 1)],
)
def test_parametrized_weights_are_one_finding_never_clean(spec: str, transform: str, layers: int) -> None:
    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.comparison import compare
    from resnet_verify.verify.records import Pattern

    model, _ = build_model(_spec(spec), num_classes=6, device="meta")
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.PARAM_OPS] and not c.unexplained
    # one mismatch per layer; a spectral norm's power iteration (state_updates) follows from it (its cause)
    assert (
        f"({transform}" in c.findings[0].message
        and len([m for m in c.mismatches if m.cause is None]) == layers
    )
    swapped = compare(torchvision.models.resnet50(num_classes=6), _spec(spec), input_size=64, num_classes=6)
    assert [f.pattern for f in swapped.findings] == [Pattern.PARAM_OPS]
    assert "torch.nn.utils.parametrizations." + transform in (swapped.findings[0].suggestion or "")
