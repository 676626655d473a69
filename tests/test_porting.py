"""Porting for real use (issue 17): partial ports, every blocker named, any key naming scheme.

resnet18 at 64x64 wherever possible; resnet50 only where the issue asks for it (the 1000 -> 6
class fine-tuning port, the seed-style model's refusal).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torchvision
from fixtures.catalog import MODELS_DIR

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.specs.builders import build_model
from resnet_verify.verify.blockers import BlockerKind
from resnet_verify.verify.porting import port
from resnet_verify.verify.weights import randomize_batchnorm, source_prefix

SIZE = 64


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _tv(name: str, num_classes: int, seed: int = 1) -> torch.nn.Module:
    torch.manual_seed(seed)
    model = getattr(torchvision.models, name)(weights=None, num_classes=num_classes)
    randomize_batchnorm(model, (2, 3, SIZE, SIZE), seed=seed)  # non-identity BN: bugs cannot hide
    return model.eval()


def _head_input(model: torch.nn.Module, head: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    seen: list[torch.Tensor] = []
    handle = head.register_forward_hook(lambda _m, args, _out: seen.append(args[0].detach()))
    with torch.no_grad():
        model.eval()(x)
    handle.remove()
    return seen[0]


@pytest.fixture(scope="module")
def tv18() -> torch.nn.Module:
    return _tv("resnet18", 1000)


def _logits(output: object) -> torch.Tensor:
    from resnet_verify.tracing.outputs import select_output

    found = select_output(output)
    assert found is not None
    return found


# ------------------------------------------------------------------------------ partial ports


@pytest.mark.slow
def test_partial_port_1000_class_resnet50_into_6_class_head() -> None:
    tv = _tv("resnet50", 1000)
    candidate, _ = build_model("resnet50", num_classes=6)
    init = {k: v.clone() for k, v in candidate.state_dict().items()}
    result = port("resnet50", candidate, input_size=SIZE, reference_state=tv.state_dict(), partial=True)
    assert result.ok and result.state_dict is not None, result.message
    assert result.left_at_init == ("fc.weight", "fc.bias")
    assert set(result.not_ported) == {"fc.weight", "fc.bias"}
    state, ref_state = result.state_dict, tv.state_dict()
    assert result.mapping is not None
    for ref_name, cand_name in result.mapping.pairs:  # backbone: bit for bit
        assert torch.equal(state[cand_name], ref_state[ref_name]), cand_name
    assert len(result.mapping.pairs) == len(ref_state) - 2
    assert torch.equal(state["fc.weight"], init["fc.weight"]) and torch.equal(
        state["fc.bias"], init["fc.bias"]
    )
    assert result.report is not None and result.report.verified_upto == "fc"
    assert "left at their initialisation" in result.message
    fresh, _ = build_model("resnet50", num_classes=6)
    fresh.load_state_dict(state, strict=True)
    x = torch.randn(2, 3, SIZE, SIZE)
    features = _head_input(fresh, fresh.get_submodule("fc"), x)
    assert torch.equal(features, _head_input(tv, tv.get_submodule("fc"), x))


@pytest.mark.slow
def test_partial_port_cli_writes_head_at_init(tv18: torch.nn.Module, tmp_path: Path, capsys) -> None:
    weights, out = tmp_path / "tv18.pt", tmp_path / "ported.pt"
    torch.save(tv18.state_dict(), weights)
    argv = ["port", "--from", "resnet18", "--weights", str(weights), "--to", "resnet18", "--out", str(out)]
    assert main([*argv, "--num-classes", "6"]) == 1  # without --partial: the head blocks, with its fix
    err = capsys.readouterr().err
    assert "1 blocker" in err and "fc: fc.weight, fc.bias cannot be paired" in err and "--partial" in err
    assert not out.exists()
    assert main([*argv, "--num-classes", "6", "--partial"]) == 0, capsys.readouterr().err
    text = capsys.readouterr().out
    assert "left at their initialisation: fc.weight, fc.bias" in text
    model, _ = build_model("resnet18", num_classes=6)
    model.load_state_dict(torch.load(out, weights_only=True), strict=True)
    fc = model.get_submodule("fc")
    assert isinstance(fc, torch.nn.Linear) and fc.weight.shape == (6, 512)


def test_partial_port_of_a_complete_pairing_checks_the_outputs(tv18: torch.nn.Module) -> None:
    candidate = torchvision.models.resnet18(num_classes=1000)
    result = port("resnet18", candidate, input_size=SIZE, reference_state=tv18.state_dict(), partial=True)
    assert result.ok and result.left_at_init == () and result.not_ported == ()
    assert result.report is not None and result.report.verified_upto is None
    assert result.report.output_max_abs is not None and result.report.output_max_abs <= 1e-4


@pytest.mark.slow
def test_partial_port_still_refuses_a_divergent_block(tv18: torch.nn.Module) -> None:
    candidate = torchvision.models.resnet18(num_classes=6)
    candidate.layer3[1].relu = torch.nn.Identity()  # both ReLUs of layer3.1
    result = port("resnet18", candidate, input_size=SIZE, reference_state=tv18.state_dict(), partial=True)
    assert not result.ok and result.state_dict is None
    kinds = [(b.kind, b.where) for b in result.blockers]
    assert kinds == [(BlockerKind.DIVERGENT, "layer3.1")]


# ------------------------------------------------------------------------ every blocker at once


@pytest.mark.slow
def test_seed_style_refusal_names_the_head_and_layer2_0() -> None:
    seed_model, _ = build_model(f"{MODELS_DIR / 'classic_keras_resnet50'}.py:build", num_classes=6)
    result = port("resnet50", seed_model, input_size=SIZE, num_classes=1000)
    assert not result.ok and result.state_dict is None
    by_kind = {b.kind: b for b in result.blockers}
    assert set(by_kind) == {BlockerKind.UNPAIRED, BlockerKind.DIVERGENT}
    head, block = by_kind[BlockerKind.UNPAIRED], by_kind[BlockerKind.DIVERGENT]
    assert head.where == "fc" and "8192" in head.problem and "AdaptiveAvgPool2d(1)" in head.fix
    assert block.where == "layer2.0" and "move stride=2" in block.fix
    assert "fc:" in result.message and "layer2.0:" in result.message


def test_batchnorm_settings_are_a_blocker_with_their_fix(tv18: torch.nn.Module) -> None:
    candidate = torchvision.models.resnet18(num_classes=1000)
    for m in candidate.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.eps = 1e-3
    result = port("resnet18", candidate, input_size=SIZE, reference_state=tv18.state_dict())
    assert not result.ok
    bn = [b for b in result.blockers if b.kind is BlockerKind.BATCHNORM]
    assert len(bn) == 1 and "eps is 0.001 instead of 1e-05 in 20 BatchNorms" in bn[0].problem
    assert "eps=1e-05" in bn[0].fix
    assert all(b.kind is not BlockerKind.UNPAIRED for b in result.blockers)


# ---------------------------------------------------------------------------- key naming schemes


def test_source_prefix_is_found_from_the_key_tree() -> None:
    keys = ["conv1.weight", "bn1.weight", "fc.weight", "fc.bias"]
    state = {f"model.backbone.{k}": torch.zeros(1) for k in keys}
    state["criterion.weight"] = torch.zeros(1)  # another module's tensor in the same file
    assert source_prefix(state, keys) == "model.backbone."
    assert source_prefix({k: torch.zeros(1) for k in keys}, keys) == ""
    twice = {**{f"model.{k}": torch.zeros(1) for k in keys}, **{f"ema.{k}": torch.zeros(1) for k in keys}}
    with pytest.raises(UsageError, match="more than once"):
        source_prefix(twice, keys)


@pytest.mark.parametrize("prefix", ["module.", "backbone."])
def test_prefixed_checkpoint_ports_by_structure(tv18: torch.nn.Module, prefix: str) -> None:
    state = {prefix + k: v for k, v in tv18.state_dict().items()}
    state[prefix.replace(".", "_") + "step"] = torch.tensor(3)  # training bookkeeping beside the model
    candidate = torchvision.models.resnet18(num_classes=1000)
    result = port("resnet18", candidate, input_size=SIZE, reference_state=state)
    assert result.ok and result.source_prefix == prefix, result.message
    assert result.state_dict is not None and set(result.state_dict) == set(candidate.state_dict())


# ------------------------------------------------------------------------------ real-world targets


@pytest.mark.slow
def test_port_into_timm_keeps_timm_names_and_reproduces_logits() -> None:
    import timm

    tv = _tv("resnet18", 6)
    target = timm.create_model("resnet18", pretrained=False, num_classes=6)
    result = port("resnet18", target, input_size=SIZE, reference_state=tv.state_dict())
    assert result.ok and result.state_dict is not None, result.message
    fresh = timm.create_model("resnet18", pretrained=False, num_classes=6)
    assert set(result.state_dict) == set(fresh.state_dict())
    fresh.load_state_dict(result.state_dict, strict=True)
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.no_grad():
        torch.testing.assert_close(fresh.eval()(x), tv(x), rtol=1e-4, atol=1e-5)


@pytest.mark.slow
def test_port_into_transformers_keeps_its_names_and_reproduces_logits() -> None:
    import transformers

    config = transformers.ResNetConfig(
        depths=[2, 2, 2, 2], hidden_sizes=[64, 128, 256, 512], layer_type="basic"
    )
    config.num_labels = 6  # ResNetConfig's typed signature omits it; the property sets id2label
    tv = _tv("resnet18", 6)
    target = transformers.ResNetForImageClassification(config)
    result = port("resnet18", target, input_size=SIZE, reference_state=tv.state_dict())
    assert result.ok and result.state_dict is not None, result.message
    assert all(k.startswith(("resnet.", "classifier.")) for k in result.state_dict)
    fresh = transformers.ResNetForImageClassification(config)
    fresh.load_state_dict(result.state_dict, strict=True)
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.no_grad():
        torch.testing.assert_close(_logits(fresh.eval()(x)), tv(x), rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------------------ train --init-from


@pytest.fixture(scope="module")
def signs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import h5py
    import numpy as np

    root = tmp_path_factory.mktemp("signs")
    rng = np.random.default_rng(0)
    for split, n in (("train", 30), ("test", 6)):
        y = (np.arange(n) % 3).astype(np.int64)
        x = rng.integers(0, 255, (n, 32, 32, 3)).astype(np.uint8)
        with h5py.File(root / f"{split}_signs.h5", "w") as handle:
            handle[f"{split}_set_x"], handle[f"{split}_set_y"] = x, y
            handle["list_classes"] = np.arange(3)
    return root


def _train(signs_dir: Path, out: Path, *extra: str) -> int:
    fast = ["--epochs", "1", "--batch-size", "8", "--lr", "1e-12", "--image-size", "0", "--device", "cpu",
            "--no-progress"]  # fmt: skip
    return main(["train", "--data", str(signs_dir), "--out", str(out), *fast, *extra])


@pytest.mark.slow
def test_train_init_from_a_ddp_checkpoint_starts_from_its_backbone(
    tv18: torch.nn.Module, signs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ckpt = tmp_path / "ddp.pt"
    torch.save({"module." + k: v for k, v in tv18.state_dict().items()}, ckpt)  # 1000 classes, DDP keys
    out = tmp_path / "run"
    assert _train(signs_dir, out, "--model", "resnet18", "--init-from", str(ckpt)) == 0, (
        capsys.readouterr().err
    )
    err = capsys.readouterr().err
    assert err.index("gate:") < err.index("init:")  # the gate still runs first
    assert "left at their initialisation (fc.weight, fc.bias)" in err
    weights = torch.load(out / "last.pt", weights_only=True)["model"]
    assert weights["fc.weight"].shape == (3, 512)
    # lr 1e-12: one epoch leaves the ported convolutions where the checkpoint put them
    torch.testing.assert_close(weights["layer3.1.conv2.weight"], tv18.state_dict()["layer3.1.conv2.weight"])


@pytest.mark.slow
def test_train_init_from_refusals(
    signs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ckpt = tmp_path / "tv50.pt"
    torch.save(torchvision.models.resnet50(num_classes=10).state_dict(), ckpt)
    # the gate runs first: a v1 model is refused before any port
    assert _train(signs_dir, tmp_path / "v1", "--model", "resnet50_v1", "--init-from", str(ckpt)) == 1
    err = capsys.readouterr().err
    assert "gate:" in err and "init:" not in err and "--init-from" not in err
    # a checkpoint of another architecture is bad input: one line, exit 2
    assert _train(signs_dir, tmp_path / "r18", "--model", "resnet18", "--init-from", str(ckpt)) == 2
    lines = capsys.readouterr().err.strip().splitlines()  # the gate's progress line, then the error
    assert "wrong architecture" in lines[-1] and sum("error" in line for line in lines) == 1
    missing = tmp_path / "nope.pt"
    assert _train(signs_dir, tmp_path / "x", "--model", "resnet18", "--init-from", str(missing)) == 2
    assert "no such file" in capsys.readouterr().err
