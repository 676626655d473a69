"""Nothing lost: a training process killed with SIGKILL resumes exactly, and no output is half-written.

* Killed mid-epoch (the tiny model's forward parks itself at a chosen step when the test asks it
  to, so the kill lands at a known point), the run resumes from the last complete checkpoint and
  ends with the same weights, bit for bit, as an uninterrupted run (CPU, one thread, same seed).
* Killed mid-checkpoint-write (``RESNET_VERIFY_TEST_SLOW_SAVE``, a test hook of
  :func:`resnet_verify._io.save_atomic`, holds the finished temporary file before its
  rename), ``last.pt`` is still the previous complete checkpoint, the temporary is never taken for a
  checkpoint, and the resumed run again matches the uninterrupted one.
* ``compare --output``, ``port --out`` and ``save_atomic`` write through a temporary file and
  ``os.replace``: when that fails, the destination is absent or keeps its previous content, and
  no temporary file lingers.
"""

from __future__ import annotations

import csv
import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np
import pytest
import torch

from resnet_verify._io import SLOW_SAVE_ENV, save_atomic, write_text_atomic
from resnet_verify.cli.main import main
from resnet_verify.train.checkpoint import load_checkpoint

TINY_MODEL = '''
import os
import time
from pathlib import Path

import torch
from torch import nn

HANG_AT = int(os.environ.get("TINY_HANG_AT_STEP", "0"))  # test hook: park forever at this training step
MARKER = os.environ.get("TINY_HANG_MARKER", "")


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.conv1 = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(out)) + x)


class Tiny(nn.Module):
    """Two residual blocks at 32x32."""

    def __init__(self, num_classes=3, width=8):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, stride=2, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        self.blocks = nn.Sequential(Block(width), Block(width))
        self.fc = nn.Linear(width, num_classes)
        self.steps = 0

    def forward(self, x):
        if self.training:
            self.steps += 1
            if HANG_AT and self.steps == HANG_AT:
                Path(MARKER).write_text(str(self.steps))
                time.sleep(600)
        x = torch.relu(self.bn(self.stem(x)))
        return self.fc(self.blocks(x).mean((2, 3)))
'''

TRAIN, TEST, BATCH = 54, 12, 8  # 6 of 54 held out for validation: 48 train, 6 steps per epoch
STEPS = (TRAIN - 6) // BATCH
EPOCHS = 3
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
WAIT_S = 150


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signs")
    rng = np.random.default_rng(0)
    for split, n in (("train", TRAIN), ("test", TEST)):
        y = (np.arange(n) % 3).astype(np.int64)
        x = rng.integers(0, 60, (n, 32, 32, 3)).astype(np.uint8)
        for i, c in enumerate(y):
            x[i, :, :, c] += 150
        with h5py.File(root / f"{split}_signs.h5", "w") as handle:
            handle[f"{split}_set_x"], handle[f"{split}_set_y"] = x, y
            handle["list_classes"] = np.arange(3)
    return root


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("models") / "tiny.py"
    path.write_text(textwrap.dedent(TINY_MODEL))
    return f"{path}:Tiny"


def train_argv(data_dir: Path, out: Path, spec: str) -> list[str]:
    return [sys.executable, "-m", "resnet_verify", "train", "--data", str(data_dir), "--out", str(out),
            "--model", spec, "--allow-mismatch", "--epochs", str(EPOCHS), "--batch-size", str(BATCH),
            "--lr", "0.02", "--image-size", "0", "--device", "cpu", "--no-progress"]  # fmt: skip


def run_to_end(argv: list[str], log: Path) -> None:
    with log.open("w") as handle:
        done = subprocess.run(
            argv, stdout=handle, stderr=subprocess.STDOUT, env=ENV, timeout=300, check=False
        )
    assert done.returncode == 0, log.read_text()[-3000:]


def resume(out: Path) -> None:
    argv = [sys.executable, "-m", "resnet_verify", "train", "--resume", "--out", str(out), "--device", "cpu",
            "--no-progress"]  # fmt: skip
    run_to_end(argv, out.parent / f"{out.name}-resume.log")


def kill_when(argv: list[str], log: Path, ready: Callable[[], bool], env: dict[str, str]) -> None:
    """Start ``argv``; SIGKILL it as soon as ``ready()``; fail if it ends or stalls before."""
    with log.open("w") as handle:
        proc = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + WAIT_S
        while not ready():
            assert proc.poll() is None, (
                f"ended before the kill point (exit {proc.returncode}):\n{log.read_text()[-3000:]}"
            )
            assert time.monotonic() < deadline, f"never reached the kill point:\n{log.read_text()[-3000:]}"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def epoch_of(path: Path) -> int | None:
    if not path.exists():
        return None
    return int(torch.load(path, map_location="cpu", weights_only=True)["epoch"])


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, spec: str) -> Path:
    out = tmp_path_factory.mktemp("runs") / "uninterrupted"
    run_to_end(train_argv(data_dir, out, spec), out.parent / "uninterrupted.log")
    return out


def assert_same_run(run: Path, reference: Path) -> None:
    a = torch.load(run / "last.pt", weights_only=True)
    b = torch.load(reference / "last.pt", weights_only=True)
    assert a["epoch"] == b["epoch"] == EPOCHS and a["step"] == b["step"]
    assert a["model"].keys() == b["model"].keys()
    assert all(torch.equal(a["model"][k], b["model"][k]) for k in a["model"]), "weights differ"
    for i, state in b["optimizer"]["state"].items():
        assert all(
            torch.equal(state[k], a["optimizer"]["state"][i][k])
            for k in state
            if isinstance(state[k], torch.Tensor)
        )
    assert [r["train_loss"] for r in rows(run / "metrics.csv")] == [
        r["train_loss"] for r in rows(reference / "metrics.csv")
    ]
    assert not list(run.glob(".*.tmp"))  # the resumed run cleared what the killed one left


# -------------------------------------------------------------------------------------- SIGKILL


@pytest.mark.slow
def test_killed_mid_epoch_resumes_to_the_same_weights(tmp_path: Path, data_dir: Path, spec: str,
                                                      uninterrupted: Path) -> None:  # fmt: skip
    out, marker = tmp_path / "run", tmp_path / "parked"
    hang_at = STEPS + 3  # epoch 2, step 3 of 6
    env = {**ENV, "TINY_HANG_AT_STEP": str(hang_at), "TINY_HANG_MARKER": str(marker)}
    kill_when(train_argv(data_dir, out, spec), tmp_path / "killed.log", marker.exists, env)

    ckpt = load_checkpoint(out / "last.pt")  # the last complete checkpoint, loadable with weights_only
    assert ckpt["epoch"] == 1 and ckpt["step"] == STEPS
    assert len(rows(out / "metrics.csv")) == 1
    resume(out)
    assert_same_run(out, uninterrupted)


@pytest.mark.slow
def test_killed_mid_checkpoint_write_keeps_the_previous_checkpoint(tmp_path: Path, data_dir: Path, spec: str,
                                                                   uninterrupted: Path) -> None:  # fmt: skip
    out = tmp_path / "run"
    env = {**ENV, SLOW_SAVE_ENV: "2"}  # every save holds its finished temporary file 2 s before the rename

    def writing_epoch_2() -> bool:
        # last.pt only ever appears through the rename, so a .last.pt temporary seen after it is a later save's
        return (out / "last.pt").exists() and bool(list(out.glob(".last.pt.*.tmp")))

    kill_when(train_argv(data_dir, out, spec), tmp_path / "killed.log", writing_epoch_2, env)

    leftovers = list(out.glob(".last.pt.*.tmp"))
    assert len(leftovers) == 1  # killed mid-write: the temporary was never renamed
    ckpt = load_checkpoint(out / "last.pt")
    assert ckpt["epoch"] == 1 and "optimizer" in ckpt and "rng" in ckpt  # the previous, complete checkpoint
    assert {p.name for p in out.glob("*.pt")} <= {"last.pt", "best.pt"}
    if (out / "best.pt").exists():
        load_checkpoint(out / "best.pt")
    resume(out)  # reads last.pt, never the temporary
    assert not leftovers[0].exists()
    assert_same_run(out, uninterrupted)


# ------------------------------------------------------------------------------ atomic outputs


def _failing_replace(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    """``os.replace`` onto ``target`` fails as on a full disk; other renames work."""
    real = os.replace
    calls: list[str] = []

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == target:
            calls.append(str(src))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def _one_line_error(code: int, err: str, needle: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and err.strip().count("\n") == 0
    assert err.startswith("resnet-verify: error: ") and needle in err


@pytest.mark.parametrize("previous", [None, "the previous report\n"])
def test_compare_output_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str], previous: str | None) -> None:  # fmt: skip
    target = tmp_path / "report.json"
    if previous is not None:
        target.write_text(previous)
    calls = _failing_replace(monkeypatch, target)
    code = main(["compare", "--model", "resnet18", "--input-size", "32", "--num-classes", "3", "--format", "json",
                 "--output", str(target)])  # fmt: skip
    out, err = capsys.readouterr()
    _one_line_error(code, err, "report.json: cannot write (No space left on device)")
    assert out == "" and len(calls) == 1
    assert (target.read_text() if target.exists() else None) == previous
    assert [p.name for p in tmp_path.iterdir()] == ([target.name] if previous else [])  # no temporary lingers


def test_port_out_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    target = tmp_path / "ported.pt"
    target.write_bytes(b"previous weights")
    calls = _failing_replace(monkeypatch, target)
    code = main(["port", "--from", "resnet18", "--to", "resnet18", "--out", str(target), "--input-size", "32",
                 "--num-classes", "3"])  # fmt: skip
    out, err = capsys.readouterr()
    _one_line_error(code, err, "ported.pt: cannot write")
    assert out == "" and len(calls) == 1  # the port was verified and got as far as the rename
    assert target.read_bytes() == b"previous weights"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_save_atomic_never_leaves_half_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "last.pt"
    save_atomic({"epoch": 1, "w": torch.ones(3)}, target)

    def dies_half_way(obj, handle, *args, **kwargs):
        handle.write(b"PK\x03\x04 half a zip")
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(torch, "save", dies_half_way)
    with pytest.raises(OSError, match="Input/output error"):
        save_atomic({"epoch": 2, "w": torch.zeros(3)}, target)
    monkeypatch.undo()
    calls = _failing_replace(monkeypatch, target)
    with pytest.raises(OSError, match="No space left"):
        save_atomic({"epoch": 3, "w": torch.zeros(3)}, target)
    with pytest.raises(OSError, match="No space left"):
        write_text_atomic(target, "text")
    assert len(calls) == 2
    kept = torch.load(target, weights_only=True)
    assert kept["epoch"] == 1 and torch.equal(kept["w"], torch.ones(3))
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
