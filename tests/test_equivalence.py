"""Numeric equivalence and verified weight porting (equivalence.py, port.py, compare --equivalence).

Fast on 2 cores: resnet18 at 64x64 wherever the defect allows it; resnet50 only where the defect
needs bottlenecks (add before bn3, v1 stride, missing ReLU in layer3.2, narrow layer4).
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
import torch
import torchvision
from fixtures.catalog import MODELS_DIR

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.equivalence import DEFAULT_ATOL, DEFAULT_RTOL, check_equivalence
from resnet_verify.verify.pairing import pair_parameters
from resnet_verify.verify.porting import port
from resnet_verify.verify.records import MismatchKind
from resnet_verify.verify.weights import load_state_file, randomize_batchnorm

K = 7  # classes
SIZE = 64


def _spec(name: str) -> str:
    return f"{MODELS_DIR / name}.py:build"


def _fixture(name: str, num_classes: int = K) -> torch.nn.Module:
    return build_model(_spec(name), num_classes=num_classes)[0]


def _tv(name: str, num_classes: int = K, seed: int = 1) -> torch.nn.Module:
    torch.manual_seed(seed)
    model = getattr(torchvision.models, name)(weights=None, num_classes=num_classes)
    randomize_batchnorm(model, (2, 3, SIZE, SIZE), seed=seed)  # non-identity BN: bugs cannot hide
    return model.eval()


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    # 64x64 forwards gain little from intra-op threads, and lose a lot on 2 busy cores.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def tv18() -> torch.nn.Module:
    return _tv("resnet18")


@pytest.fixture(scope="module")
def weights18(tv18: torch.nn.Module, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("weights") / "resnet18.pt"
    torch.save(tv18.state_dict(), path)
    return path


# ------------------------------------------------------------------------------------- pairing


def test_pairing_is_name_independent_and_covers_every_tensor() -> None:
    model = _fixture("equiv_resnet18_renamed")
    c = compare(model, "resnet18", input_size=SIZE, num_classes=K)
    mapping = pair_parameters(c)
    assert mapping.complete and mapping.reason is None
    assert not mapping.unpaired_reference and not mapping.unpaired_candidate
    ref_names = {k for k in torchvision.models.resnet18(num_classes=K).state_dict()}
    assert {r for r, _ in mapping.pairs} == ref_names  # buffers and num_batches_tracked too
    assert {c_ for _, c_ in mapping.pairs} == set(model.state_dict())
    pairs = dict(mapping.pairs)
    assert pairs["conv1.weight"] == "entry.0.weight"
    assert pairs["bn1.running_var"] == "entry.1.running_var"
    assert pairs["layer2.0.downsample.0.weight"] == "levels.1.cells.0.bypass.0.weight"
    assert pairs["layer2.0.bn1.num_batches_tracked"] == "levels.1.cells.0.norm_a.num_batches_tracked"
    assert pairs["fc.bias"] == "out.bias"


def test_unpairable_parameters_skip_the_numeric_part_with_a_reason() -> None:
    model = _fixture("broken_narrow_layer4")
    report = check_equivalence(model, "resnet50", input_size=SIZE, num_classes=K)
    assert report.equivalent is None and report.mismatches == ()
    assert report.skipped_reason and "layer4.0.conv1.weight" in report.skipped_reason
    assert "[512, 1024, 1, 1] vs" in report.skipped_reason


# ------------------------------------------------------------------------------------ equivalence


def test_equivalent_renamed_model_matches_block_by_block() -> None:
    model = _fixture("equiv_resnet18_renamed")
    before = {k: v.clone() for k, v in model.state_dict().items()}
    report = check_equivalence(model, "resnet18", input_size=SIZE, num_classes=K, batch=1)
    assert report.equivalent is True and report.first_divergent is None
    assert report.mismatches == () and report.skipped_reason is None
    assert [e[0] for e in report.block_errors] == [
        "maxpool",
        "layer1.0",
        "layer1.1",
        "layer2.0",
        "layer2.1",
        "layer3.0",
        "layer3.1",
        "layer4.0",
        "layer4.1",
    ]
    assert report.block_errors[1][1] == "levels.0.cells.0"
    assert [s[0] for s in report.stage_errors] == ["layer1", "layer2", "layer3", "layer4"]
    assert report.output_max_abs is not None and report.output_max_abs <= DEFAULT_ATOL
    assert report.seconds > 0
    # the caller's model is never touched
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_reference_state_is_used(tv18: torch.nn.Module) -> None:
    model = _fixture("equiv_resnet18_renamed")
    state = tv18.state_dict()
    report = check_equivalence(model, "resnet18", input_size=SIZE, num_classes=K, reference_state=state)
    assert report.equivalent is True
    with pytest.raises(UsageError, match="do not fit"):
        check_equivalence(
            _fixture("equiv_resnet18_renamed", K + 1),
            "resnet18",
            input_size=SIZE,
            num_classes=K + 1,
            reference_state=state,
        )


@pytest.mark.parametrize(
    ("name", "block", "candidate_block"),
    [
        ("broken_add_before_bn3", "layer1.0", "layer1.0"),
        ("broken_missing_relu_layer3_2", "layer3.2", "stage3.blocks.2"),
    ],
)
def test_wiring_bugs_are_caught_numerically_at_their_block(
    name: str, block: str, candidate_block: str
) -> None:
    report = check_equivalence(_fixture(name), "resnet50", input_size=SIZE, num_classes=K)
    assert report.equivalent is False and report.first_divergent == block
    (m,) = report.mismatches
    assert m.kind is MismatchKind.NUMERIC
    assert m.reference_path == block and m.candidate_path == candidate_block
    assert block in m.message and "max abs error" in m.message
    errors = {ref: err for ref, _, err, _ in report.block_errors}
    ordered = [ref for ref, *_ in report.block_errors]
    assert all(errors[ref] == 0.0 for ref in ordered[: ordered.index(block)])
    assert errors[block] > 0


def _no_relu_layer3_1(num_classes: int = K) -> torch.nn.Module:
    model = _fixture("equiv_resnet18_renamed", num_classes)
    model.get_submodule("levels.2.cells.1").relu = torch.nn.Identity()  # both ReLUs of torchvision's layer3.1
    return model


def test_tolerance_is_configurable() -> None:
    model = _no_relu_layer3_1()
    strict = check_equivalence(model, "resnet18", input_size=SIZE, num_classes=K, batch=1)
    assert strict.equivalent is False and strict.first_divergent == "layer3.1"
    assert strict.mismatches[0].candidate_path == "levels.2.cells.1"
    loose = check_equivalence(model, "resnet18", input_size=SIZE, num_classes=K, batch=1, atol=1e9, rtol=0.0)
    assert loose.equivalent is True and loose.output_max_abs and loose.output_max_abs > 0
    with pytest.raises(UsageError, match="rtol"):
        check_equivalence(model, "resnet18", input_size=SIZE, num_classes=K, rtol=-1.0)


def test_defaults_are_documented() -> None:
    assert (DEFAULT_ATOL, DEFAULT_RTOL) == (1e-4, 1e-3)


# ------------------------------------------------------------------------------------------- port


def test_port_api_round_trip_into_renamed_model(tv18: torch.nn.Module) -> None:
    import resnet_verify

    candidate = _fixture("equiv_resnet18_renamed")
    result = resnet_verify.port("resnet18", candidate, input_size=SIZE, reference_state=tv18.state_dict())
    assert result.ok, result.message
    assert result.structural is not None and result.structural.equivalent
    assert result.state_dict is not None and "ported" in result.message
    fresh = _fixture("equiv_resnet18_renamed")
    fresh.load_state_dict(result.state_dict, strict=True)
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.no_grad():
        assert torch.allclose(fresh.eval()(x), tv18(x), rtol=1e-4, atol=1e-5)


def test_port_cli_writes_weights_that_reproduce_the_reference(
    tv18: torch.nn.Module, weights18: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ported.pt"
    code = main(
        [
            "port",
            "--from",
            "torchvision:resnet18",
            "--weights",
            str(weights18),
            "--to",
            _spec("equiv_resnet18_renamed"),
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "written to" in capsys.readouterr().out
    state = torch.load(out, weights_only=True)
    model = _fixture("equiv_resnet18_renamed")  # K classes: taken from fc.weight in --weights
    model.load_state_dict(state, strict=True)
    x = torch.randn(1, 3, 96, 96)
    with torch.no_grad():
        assert torch.allclose(model.eval()(x), tv18(x), rtol=1e-4, atol=1e-5)
    assert [p.name for p in tmp_path.iterdir()] == ["ported.pt"]  # no temporary left behind


def test_resnet50_caffe_names_pair_completely() -> None:
    c = compare(_fixture("equiv_renamed_caffe"), "resnet50", input_size=SIZE, num_classes=K)
    mapping = pair_parameters(c)
    assert mapping.complete and len(mapping.pairs) == len(
        torchvision.models.resnet50(num_classes=K).state_dict()
    )
    assert (
        dict(mapping.pairs)["layer2.0.downsample.1.running_mean"] == "stages.1.units.0.branch1.1.running_mean"
    )


def test_port_refuses_v1_stride_and_names_layer2_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "v1.pt"
    code = main(
        [
            "port",
            "--from",
            "torchvision:resnet50",
            "--to",
            "resnet50_v1",
            "--out",
            str(out),
            "--num-classes",
            str(K),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert "refused" in err and "layer2.0" in err


def test_port_refuses_unpairable_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = port("resnet50", _fixture("broken_narrow_layer4"), input_size=SIZE, num_classes=K)
    assert not result.ok and result.state_dict is None
    assert result.message.startswith("refused, 1 blocker:") and "layer4.0.conv1.weight" in result.message
    assert "bottleneck widths" in result.blockers[0].fix


# ----------------------------------------------------------------------- compare --equivalence


def test_compare_equivalence_clean_model(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "compare",
            "--model",
            _spec("equiv_resnet18_renamed"),
            "--reference",
            "resnet18",
            "--input-size",
            str(SIZE),
            "--num-classes",
            str(K),
            "--equivalence",
            "--format",
            "json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert any("numeric equivalence" in n and "equivalent" in n for n in report["notes"])


def test_compare_equivalence_reports_numeric_mismatch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model_file = tmp_path / "no_relu.py"
    model_file.write_text(
        "import torch.nn as nn\nimport torchvision\n\n\n"
        "def build(num_classes=1000):\n"
        "    model = torchvision.models.resnet18(num_classes=num_classes)\n"
        "    model.layer3[1].relu = nn.Identity()\n"
        "    return model\n"
    )
    code = main(
        [
            "compare",
            "--model",
            f"{model_file}:build",
            "--reference",
            "resnet18",
            "--input-size",
            str(SIZE),
            "--num-classes",
            str(K),
            "--equivalence",
            "--format",
            "json",
            "--seed",
            "3",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    numeric = [m for m in report["mismatches"] if m["kind"] == "numeric"]
    assert len(numeric) == 1 and numeric[0]["reference_path"] == "layer3.1"
    assert any("diverge first at layer3.1" in n for n in report["notes"])
    layer3 = next(row for row in report["stages"] if row["name"] == "layer3")
    assert layer3["ok"] is False


def test_compare_equivalence_skip_is_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "compare",
            "--model",
            _spec("broken_resnet18_missing_block"),
            "--reference",
            "resnet18",
            "--input-size",
            str(SIZE),
            "--num-classes",
            str(K),
            "--equivalence",
            "--format",
            "json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # the structural mismatches; the numeric part is skipped, not failed
    assert not any(m["kind"] == "numeric" for m in report["mismatches"])
    assert any("skipped" in n for n in report["notes"])


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_reference_weights_malicious_pickle_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pt"
    torch.save({"conv1.weight": _Evil(marker)}, evil)
    code = main(
        [
            "compare",
            "--model",
            "resnet18",
            "--reference",
            "resnet18",
            "--input-size",
            "64",
            "--equivalence",
            "--reference-weights",
            str(evil),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and not marker.exists()
    assert "weights_only" in err and len(err.strip().splitlines()) == 1
    # the plain pickle protocol too (not a torch zip file)
    raw = tmp_path / "evil.pkl"
    raw.write_bytes(pickle.dumps(_Evil(marker)))
    with pytest.raises(UsageError):
        load_state_file(raw)
    assert not marker.exists()


def test_reference_weights_truncated_or_wrong(
    tmp_path: Path, weights18: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.pt"
    cut.write_bytes(weights18.read_bytes()[: weights18.stat().st_size // 2])
    for path, needle in ((cut, "truncated"), (tmp_path / "missing.pt", "no such file")):
        code = main(
            [
                "compare",
                "--model",
                "resnet18",
                "--reference",
                "resnet18",
                "--input-size",
                "64",
                "--equivalence",
                "--reference-weights",
                str(path),
            ]
        )
        err = capsys.readouterr().err
        assert code == 2 and needle in err and len(err.strip().splitlines()) == 1
    notstate = tmp_path / "list.pt"
    torch.save([1, 2, 3], notstate)
    assert (
        main(
            [
                "port",
                "--from",
                "resnet18",
                "--weights",
                str(notstate),
                "--to",
                "resnet18",
                "--out",
                str(tmp_path / "o.pt"),
            ]
        )
        == 2
    )
    assert "not a state_dict" in capsys.readouterr().err


def test_equivalence_flags_need_equivalence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--model", "resnet18", "--atol", "1"]) == 2
    assert "--atol needs --equivalence" in capsys.readouterr().err


def test_package_exports_are_the_stage_functions() -> None:
    import resnet_verify
    from resnet_verify.report import render
    from resnet_verify.tracing import trace
    from resnet_verify.verify import compare, port

    assert resnet_verify.compare is compare and resnet_verify.port is port
    assert resnet_verify.check_equivalence is check_equivalence
    assert resnet_verify.render is render and resnet_verify.trace is trace
    assert callable(resnet_verify.build_model)
    assert sorted(resnet_verify.__all__) == sorted(
        ["__version__", "build_model", "check_equivalence", "compare", "port", "render", "summarize", "trace"]
    )


def test_extra_conv_bias_is_zero_filled_not_unpaired() -> None:
    c = compare(_fixture("broken_conv_bias"), "resnet50", input_size=SIZE, num_classes=K)
    mapping = pair_parameters(c)
    assert mapping.complete and "conv1.bias" in mapping.zero_candidate
    assert len(mapping.zero_candidate) == 53  # every conv of resnet50
