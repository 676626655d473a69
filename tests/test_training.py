"""Training behind the gate: the engine, checkpoints, resume, divergence, evaluate/predict, torchrun.

Everything runs on tiny generated data (3 classes, 32x32, the class is the brightest channel) and a
tiny model file, in-process through ``resnet_verify.cli.main.main``; only the torchrun test spawns.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest
import torch
from PIL import Image

from resnet_verify._io import save_atomic
from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.train.checkpoint import FORMAT, load_checkpoint, rebuild_model

TINY_MODEL = '''
import torch
from torch import nn


class Tiny(nn.Module):
    def __init__(self, num_classes=3, width=8):
        super().__init__()
        self.conv = nn.Conv2d(3, width, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        self.fc = nn.Linear(width, num_classes)
        self.train_calls = 0

    def forward(self, x):
        if self.training:
            self.train_calls += 1
        return self.fc(torch.relu(self.bn(self.conv(x))).mean((2, 3)))


def wide(num_classes=3):
    return Tiny(num_classes, width=12)


class Exploding(Tiny):
    """Finite for the first FINITE_STEPS training steps, NaN afterwards."""

    FINITE_STEPS = 6

    def forward(self, x):
        out = super().forward(x)
        return out * float("nan") if self.train_calls > self.FINITE_STEPS else out


class ExplodingAtOnce(Exploding):
    FINITE_STEPS = 0
'''

TRAIN = 54  # images; 6 held out for validation, 48 left: batch 8 -> 6 steps per epoch
# --image-size 0: the tiny 32 px data at its own size (the default recipe trains at 96 px).
FAST = ["--batch-size", "8", "--lr", "0.02", "--image-size", "0", "--device", "cpu", "--no-progress",
        "--reference", "resnet18"]  # fmt: skip


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signs")
    rng = np.random.default_rng(0)
    for split, n in (("train", TRAIN), ("test", 12)):
        y = (np.arange(n) % 3).astype(np.int64)
        x = rng.integers(0, 60, (n, 32, 32, 3)).astype(np.uint8)
        for i, c in enumerate(y):
            x[i, :, :, c] += 150
        with h5py.File(root / f"{split}_signs.h5", "w") as handle:
            handle[f"{split}_set_x"], handle[f"{split}_set_y"] = x, y
            handle["list_classes"] = np.arange(3)
    return root


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("models") / "tiny.py"
    path.write_text(textwrap.dedent(TINY_MODEL))
    return path


def train(data_dir: Path, out: Path, *extra: str, model: str | None = None) -> int:
    args = ["train", "--data", str(data_dir), "--out", str(out), *FAST, *extra]
    if model is not None:
        args += ["--model", model]
    return main(args)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, model_file: Path) -> Path:
    """A finished 3-epoch run of the tiny model (default recipe, augmentation on)."""
    out = tmp_path_factory.mktemp("runs") / "tiny"
    assert train(data_dir, out, "--epochs", "3", "--allow-mismatch", model=f"{model_file}:Tiny") == 0
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _weights(path: Path) -> dict[str, torch.Tensor]:
    return torch.load(path, weights_only=True)["model"]


# ------------------------------------------------------------------------------------------ train


@pytest.mark.slow
def test_a_run_learns_and_leaves_its_files(trained: Path) -> None:
    for name in ("last.pt", "best.pt", "metrics.csv", "curves.png", "config.json", "result.json",
                 "confusion.png", "confusion_selected.png"):  # fmt: skip
        assert (trained / name).is_file(), name
    rows = _rows(trained / "metrics.csv")
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3]
    losses = [float(r["train_loss"]) for r in rows]
    assert losses[-1] < losses[0]
    assert float(rows[-1]["val_acc"]) >= 0.9
    assert "test_acc" not in rows[0]  # the test split is not scored per epoch
    result = json.loads((trained / "result.json").read_text())
    assert result["selected_on"] == "val" and result["final"]["epoch"] == 3
    assert result["final"]["images"] == 12 and 0.9 <= result["final"]["test_accuracy"] <= 1.0
    config = json.loads((trained / "config.json").read_text())
    assert config["optimizer"] == "adamw" and config["batch_size"] == 8 and config["augment"] is True
    assert config["classes"] == ["0", "1", "2"] and config["input_size"] == [3, 32, 32]
    assert config["selected_on"] == "val" and "stratified 10%" in config["validation"]
    assert config["ema_decay"] == 0.995 and config["tta_flip"] is True  # the default recipe's
    assert Path(config["model"].rpartition(":")[0]).is_absolute()
    assert not list(trained.glob(".*.tmp"))  # atomic writes leave no temporaries


@pytest.mark.slow
def test_loss_goes_down_in_a_few_steps(tmp_path: Path, data_dir: Path, model_file: Path) -> None:
    out = tmp_path / "run"
    code = train(data_dir, out, "--recipe", "seed", "--epochs", "2", "--lr", "0.05", "--allow-mismatch",
                 model=f"{model_file}:Tiny")  # fmt: skip
    assert code == 0
    rows = _rows(out / "metrics.csv")
    assert float(rows[1]["train_loss"]) < float(rows[0]["train_loss"])


@pytest.mark.slow
def test_progress_bar_and_summary(
    tmp_path: Path, data_dir: Path, model_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", "--data", str(data_dir), "--out", str(tmp_path / "r"), "--epochs", "1", "--batch-size", "8",
            "--device", "cpu", "--allow-mismatch", "--model", f"{model_file}:Tiny", "--reference", "resnet18"]  # fmt: skip
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "epoch 1/1:" in captured.err and "0/6" in captured.err  # the tqdm bar
    assert "epoch   1/1" in captured.err and "val loss" in captured.err  # the epoch line
    assert captured.out.strip().startswith(str(tmp_path / "r")) and "selected on validation" in captured.out
    assert "after the last epoch" in captured.out


@pytest.mark.slow
def test_resume_gives_bitwise_identical_weights(tmp_path: Path, data_dir: Path, model_file: Path) -> None:
    spec = f"{model_file}:Tiny"
    full, split = tmp_path / "full", tmp_path / "split"
    assert train(data_dir, full, "--epochs", "2", "--allow-mismatch", model=spec) == 0
    assert train(data_dir, split, "--epochs", "2", "--stop-after", "1", "--allow-mismatch", model=spec) == 0
    assert torch.load(split / "last.pt", weights_only=True)["epoch"] == 1
    assert main(["train", "--resume", "--out", str(split), "--device", "cpu", "--no-progress"]) == 0
    a, b = _weights(full / "last.pt"), _weights(split / "last.pt")
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    opt_a = torch.load(full / "last.pt", weights_only=True)["optimizer"]["state"]
    opt_b = torch.load(split / "last.pt", weights_only=True)["optimizer"]["state"]
    assert all(torch.equal(opt_a[i]["exp_avg"], opt_b[i]["exp_avg"]) for i in opt_a)
    rows_a = [r["train_loss"] for r in _rows(full / "metrics.csv")]
    rows_b = [r["train_loss"] for r in _rows(split / "metrics.csv")]
    assert rows_a == rows_b


@pytest.mark.slow
def test_two_runs_with_one_seed_are_identical(
    tmp_path: Path, data_dir: Path, model_file: Path, trained: Path
) -> None:
    again = tmp_path / "again"
    assert train(data_dir, again, "--epochs", "3", "--allow-mismatch", model=f"{model_file}:Tiny") == 0
    a, b = _weights(trained / "last.pt"), _weights(again / "last.pt")
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_resume_refuses_contradicting_flags_and_reused_folders(
    tmp_path: Path, data_dir: Path, trained: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--resume", "--out", str(trained), "--lr", "0.5", "--no-progress"]) == 2
    assert "--lr 0.5 differs from the run's 0.02" in capsys.readouterr().err
    assert main(["train", "--data", str(data_dir), "--out", str(trained), *FAST]) == 2
    assert "already holds a run" in capsys.readouterr().err
    assert main(["train", "--resume", str(trained / "best.pt"), *FAST]) == 2
    assert "weights only" in capsys.readouterr().err
    assert main(["train", "--resume", *FAST]) == 2


@pytest.mark.parametrize(
    ("model", "kept"), [("Exploding", "keeps epoch 1"), ("ExplodingAtOnce", "no checkpoint")]
)
def test_divergence_stops_and_keeps_the_last_good_checkpoint(
    tmp_path: Path,
    data_dir: Path,
    model_file: Path,
    capsys: pytest.CaptureFixture[str],
    model: str,
    kept: str,
) -> None:
    out = tmp_path / "run"
    assert train(data_dir, out, "--epochs", "3", "--allow-mismatch", model=f"{model_file}:{model}") == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "training diverged: the loss became nan" in err and kept in err
    if model == "Exploding":
        ckpt = torch.load(out / "last.pt", weights_only=True)
        assert ckpt["epoch"] == 1 and all(
            torch.isfinite(v).all() for v in ckpt["model"].values() if v.is_floating_point()
        )
        assert len(_rows(out / "metrics.csv")) == 1
    else:
        assert not (out / "last.pt").exists()


# ------------------------------------------------------------------------------------------- gate


def test_gate_refuses_a_mismatched_model(
    tmp_path: Path, data_dir: Path, model_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert train(data_dir, out, "--epochs", "1", model=f"{model_file}:Tiny") == 1
    err = capsys.readouterr().err
    # the text report (its wording is the renderer's)
    assert "Tiny vs resnet18" in err and "mismatches" in err
    assert "not training" in err and "--allow-mismatch" in err.strip().splitlines()[-1]
    assert not (out / "last.pt").exists() and not (out / "best.pt").exists()


def test_gate_refuses_resnet50_v1(tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    assert train(data_dir, out, "--epochs", "1", model="resnet50_v1") == 1
    assert "does not match torchvision resnet50" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
def test_gate_passes_a_matching_model_and_the_checkpoint_rebuilds_it(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert train(data_dir, out, "--epochs", "1", "--batch-size", "16", model="resnet18") == 0
    assert "gate: resnet18 matches torchvision resnet18 at 3x32x32, 3 classes" in capsys.readouterr().err
    ckpt = load_checkpoint(out / "best.pt")
    model = rebuild_model(ckpt)
    fc = model.get_submodule("fc")
    assert type(model).__name__ == "ResNet" and isinstance(fc, torch.nn.Linear) and fc.out_features == 3


# ------------------------------------------------------------------------------------ checkpoints


def test_checkpoints_load_with_weights_only(trained: Path) -> None:
    last = torch.load(trained / "last.pt", weights_only=True)
    best = torch.load(trained / "best.pt", weights_only=True)
    assert last["format"] == FORMAT and {"optimizer", "rng", "history"} <= last.keys()
    assert "optimizer" not in best and "rng" not in best
    for key in ("model", "num_classes", "input_size", "mean", "std", "classes"):
        assert key in best["config"]
    assert isinstance(last["rng"]["data"], torch.Tensor)


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("command", ["evaluate", "predict"])
def test_a_pickle_that_runs_code_is_refused(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pt"
    torch.save({"format": FORMAT, "payload": _Evil(marker)}, evil)
    args = ["evaluate", "--checkpoint", str(evil), "--data", str(data_dir)]
    if command == "predict":
        args = ["predict", "--checkpoint", str(evil), str(evil)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "refused" in err and "weights_only loading forbids arbitrary code" in err and "evil.pt" in err
    assert not marker.exists()


def test_a_truncated_checkpoint(
    tmp_path: Path, trained: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.pt"
    data = (trained / "best.pt").read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    assert main(["evaluate", "--checkpoint", str(cut), "--data", str(data_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "cut.pt: truncated or corrupt" in err


def test_a_checkpoint_of_another_architecture(tmp_path: Path, trained: Path, model_file: Path) -> None:
    ckpt = torch.load(trained / "best.pt", weights_only=True)
    ckpt["config"]["model"] = f"{model_file}:wide"
    swapped = tmp_path / "swapped.pt"
    save_atomic(ckpt, swapped)
    with pytest.raises(UsageError, match="wrong architecture") as info:
        rebuild_model(load_checkpoint(swapped), source=str(swapped))
    assert "\n" not in str(info.value) and "conv.weight" in str(info.value)


def test_not_a_checkpoint(tmp_path: Path) -> None:
    other = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(2)}, other)
    with pytest.raises(UsageError, match="not a resnet-verify training checkpoint"):
        load_checkpoint(other)
    with pytest.raises(UsageError, match="no such file"):
        load_checkpoint(tmp_path / "missing.pt")


# ------------------------------------------------------------------------------- evaluate, predict


def test_evaluate(tmp_path: Path, trained: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "eval"
    assert (
        main(
            [
                "evaluate",
                "--checkpoint",
                str(trained / "best.pt"),
                "--data",
                str(data_dir),
                "--out",
                str(out),
                "--device",
                "cpu",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "accuracy" in text and "test split: 12 images" in text
    assert (
        "true \\ pred" in text
        and len([line for line in text.splitlines() if line.startswith(("0 ", "1 ", "2 "))]) == 3
    )
    assert (out / "evaluate-best-test-confusion.png").stat().st_size > 0  # never train's confusion.png


def test_predict(tmp_path: Path, trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    red, green = np.zeros((90, 70, 3), np.uint8), np.zeros((40, 40, 3), np.uint8)
    red[..., 0], green[..., 1] = 200, 200
    Image.fromarray(red).save(tmp_path / "red.jpg")
    Image.fromarray(green).save(tmp_path / "green.png")
    args = [
        "predict",
        "--checkpoint",
        str(trained / "best.pt"),
        str(tmp_path / "red.jpg"),
        str(tmp_path / "green.png"),
    ]
    assert main([*args, "--top", "2", "--device", "cpu"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].split()[1] == "0" and lines[1].split()[1] == "1"  # the brightest channel is the class
    assert lines[0].count("%") == 2


def test_predict_on_a_non_image(tmp_path: Path, trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.jpg"
    notes.write_text("not a picture")
    assert main(["predict", "--checkpoint", str(trained / "best.pt"), str(notes)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "notes.jpg: not an image" in err
    assert main(["predict", "--checkpoint", str(trained / "best.pt"), str(tmp_path / "missing.png")]) == 2
    assert "missing.png: no such file" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------- torchrun


@pytest.mark.slow
def test_torchrun_two_cpu_processes(tmp_path: Path, data_dir: Path, model_file: Path) -> None:
    out = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
           "-m", "resnet_verify", "train", "--data", str(data_dir), "--out", str(out), "--epochs", "1",
           "--allow-mismatch", "--model", f"{model_file}:Tiny", *FAST]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("selected on validation") == 1  # rank 0 alone reports
    assert done.stderr.count("epoch   1/1") == 1
    ckpt = torch.load(out / "last.pt", weights_only=True)
    assert ckpt["config"]["world_size"] == 2 and ckpt["epoch"] == 1 and ckpt["step"] == (TRAIN - 6) // 8
