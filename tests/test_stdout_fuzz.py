"""Fuzz-style: a model that prints random text (partial lines, JSON-looking text, GitHub annotation
syntax, unicode) from its constructor, forward, ``train()`` and ``to()`` must leave every command's
stdout exactly the report it gives for the same model when it is silent."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest

from resnet_verify.cli.main import main

MODEL = """
import json, os, sys

import torchvision
from torchvision.models.resnet import BasicBlock

LOUD = json.loads(os.environ.get("RV_FUZZ_PRINTS", "[]"))


def say(where):
    for text, end in LOUD:
        print(f"{where}: {text}", end=end)
    if LOUD:
        sys.stdout.write("{not json")


class Loud(torchvision.models.ResNet):
    def __init__(self, num_classes=1000):
        say("init")
        super().__init__(BasicBlock, [2, 2, 2, 2], num_classes=num_classes)

    def forward(self, x):
        say("forward")
        return super().forward(x)

    def train(self, mode=True):
        say("train")
        return super().train(mode)

    def to(self, *args, **kwargs):
        say("to")
        return super().to(*args, **kwargs)


def build(num_classes=1000):
    return Loud(num_classes)
"""

ALPHABET = 'ab{}[]":,\n\r ✓é::error '


def _payload(seed: int) -> str:
    import json

    rng = random.Random(seed)
    prints = []
    for _ in range(rng.randint(1, 4)):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        prints.append([text, rng.choice(["\n", "", " ", "\n\n"])])
    return json.dumps(prints)


@pytest.fixture(scope="module")
def model_spec(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fuzz") / "loud.py"
    path.write_text(textwrap.dedent(MODEL))
    return f"{path}:build"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signs")
    rng = np.random.default_rng(0)
    for split, n in (("train", 30), ("test", 6)):
        with h5py.File(root / f"{split}_signs.h5", "w") as handle:
            handle[f"{split}_set_x"] = rng.integers(0, 255, (n, 32, 32, 3)).astype(np.uint8)
            handle[f"{split}_set_y"] = (np.arange(n) % 3).astype(np.int64)
            handle["list_classes"] = np.arange(3)
    return root


def _stdout(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _silent_and_loud(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], seed: int
) -> tuple[str, str, str]:
    monkeypatch.setenv("RV_FUZZ_PRINTS", "[]")
    code_q, quiet, _ = _stdout(capsys, argv)
    monkeypatch.setenv("RV_FUZZ_PRINTS", _payload(seed))
    code_l, loud, err = _stdout(capsys, argv)
    assert code_q == code_l
    assert "Traceback" not in err
    return quiet, loud, err


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("fmt", ["json", "text", "github"])
def test_compare_stdout_is_only_the_report(
    seed: int, fmt: str, model_spec: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["compare", "--model", model_spec, "--reference", "resnet18", "--input-size", "64",
            "--num-classes", "6", "--format", fmt, "--equivalence"]  # fmt: skip
    quiet, loud, err = _silent_and_loud(monkeypatch, capsys, argv, seed)
    assert loud == quiet
    assert "[model] forward: " in err


@pytest.mark.slow
def test_summary_stdout_is_only_the_report(
    model_spec: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("json", "text"):
        argv = ["summary", "--model", model_spec, "--input-size", "64", "--num-classes", "6", "--format", fmt]
        quiet, loud, _ = _silent_and_loud(monkeypatch, capsys, argv, 7)
        assert loud == quiet


@pytest.mark.slow
def test_port_stdout_is_only_the_report(
    tmp_path: Path, model_spec: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["port", "--from", "resnet18", "--to", model_spec, "--out", str(tmp_path / "w.pt"),
            "--input-size", "64", "--num-classes", "6"]  # fmt: skip
    quiet, loud, _ = _silent_and_loud(monkeypatch, capsys, argv, 11)
    assert loud == quiet and quiet.startswith("ported ")


@pytest.mark.slow
def test_train_stdout_is_only_the_summary_line(
    tmp_path: Path,
    model_spec: str,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RV_FUZZ_PRINTS", _payload(13))
    out_dir = tmp_path / "run"
    argv = ["train", "--data", str(data_dir), "--model", model_spec, "--reference", "resnet18",
            "--out", str(out_dir), "--epochs", "1", "--batch-size", "8", "--image-size", "0", "--device", "cpu",
            "--no-progress"]  # fmt: skip
    code, out, err = _stdout(capsys, argv)
    assert code == 0, err
    assert "Traceback" not in err and "[model] forward: " in err and "[model] train: " in err
    lines = out.splitlines()  # the closing table (folder, header, two rows), then the short-run notice
    assert len(lines) == 5 and lines[0].startswith(f"{out_dir}: ") and lines[-1].startswith("short run: ")
