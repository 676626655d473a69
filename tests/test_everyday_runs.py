"""Tidy runs: a short run says why its figures are low (before it starts and last), train ends
with a short table, evaluate never replaces a file train wrote, one-epoch curves show a point."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest

from resnet_verify.cli.main import main
from resnet_verify.train.config import TrainConfig
from resnet_verify.train.recipes import RECIPES
from resnet_verify.train.run_files import curves_figure
from resnet_verify.train.run_summary import Horizon, final_table, short_run

# Two colours of noise: the class is which of two channels is lit. Small enough to train in seconds.
CLASSES = 2
PIXELS = 32
SPOT_MODEL = """
import torch
from torch import nn


class Spot(nn.Module):
    def __init__(self, num_classes=2):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4, num_classes)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean((2, 3)))
"""


def _config(recipe: str, epochs: int) -> TrainConfig:
    return TrainConfig(model="resnet50", num_classes=6, input_size=[3, 64, 64], classes=list("012345"),
                       mean=[0.5] * 3, std=[0.2] * 3, recipe=recipe, **{**RECIPES[recipe].to_dict(), "epochs": epochs})  # fmt: skip


def test_a_one_epoch_default_run_is_short_on_both_horizons() -> None:
    short = short_run(_config("default", 1), train_images=972)  # SIGNS: 1080 less the validation tenth
    assert short is not None
    assert [s.horizon for s in short.shortfalls] == [Horizon.WARMUP, Horizon.WEIGHT_AVERAGE]
    notice = short.notice()
    assert notice.startswith("short run: the run (1 epoch, 40 steps)")
    assert "warm-up (1 epoch)" in notice and "~200 steps, 5 epochs" in notice
    assert "--warmup-epochs 0 --ema-decay 0" in notice


def test_full_runs_and_the_seed_recipe_are_not_short() -> None:
    assert short_run(_config("default", 30), train_images=972) is None
    assert short_run(_config("seed", 1), train_images=972) is None  # no warm-up, no average
    only_average = short_run(_config("default", 3), train_images=972)
    assert only_average is not None and [s.horizon for s in only_average.shortfalls] == [
        Horizon.WEIGHT_AVERAGE
    ]


def test_the_final_table_is_short_lines() -> None:
    history = [
        {"epoch": 1, "val_acc": 0.5, "elapsed_s": 3.0},
        {"epoch": 2, "val_acc": 0.75, "elapsed_s": 6.0},
    ]
    final = {k: {"test_accuracy": 0.7, "correct": 7, "images": 10} for k in ("final", "selected")}
    lines = final_table(Path("runs/x"), history, {"epoch": 2, "val_acc": 0.75}, final).splitlines()
    assert lines[0] == "runs/x: 2 epochs, 6 s of training"
    assert lines[2].split() == ["after", "the", "last", "epoch", "2", "75.00%", "70.00%", "(7/10)"]
    assert max(map(len, lines)) < 80


def test_a_single_epoch_plots_as_points() -> None:
    row = {"epoch": 1, "train_loss": 1.0, "val_loss": 2.0, "train_acc": 0.5, "val_acc": 0.4}
    figure = curves_figure([row])
    assert {line.get_marker() for ax in figure.axes for line in ax.lines} == {"o"}
    assert list(figure.axes[0].get_xticks()) == [1]


# ----------------------------------------------------------------------------- a real (tiny) run


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(data folder, model file, run folder) of a finished one-epoch default-recipe run."""
    root = tmp_path_factory.mktemp("everyday-runs")
    rng = np.random.default_rng(1)
    for split, n in (("train", 40), ("test", 8)):
        y = (np.arange(n) % CLASSES).astype(np.int64)
        x = rng.integers(0, 40, (n, PIXELS, PIXELS, 3)).astype(np.uint8)
        x[np.arange(n), :, :, y] += 180
        with h5py.File(root / f"{split}_signs.h5", "w") as handle:
            handle[f"{split}_set_x"], handle[f"{split}_set_y"] = x, y
            handle["list_classes"] = np.arange(CLASSES)
    model = root / "spot.py"
    model.write_text(textwrap.dedent(SPOT_MODEL))
    return root, model, root / "run"


def _train(data: Path, model: Path, out: Path) -> int:
    return main(["train", "--data", str(data), "--model", f"{model}:Spot", "--reference", "resnet18",
                 "--allow-mismatch", "--epochs", "1", "--batch-size", "8", "--image-size", "0",
                 "--device", "cpu", "--no-progress", "--out", str(out)])  # fmt: skip


@pytest.fixture(scope="module")
def trained(tiny_run: tuple[Path, Path, Path]) -> tuple[Path, Path, Path]:
    assert _train(*tiny_run) == 0
    return tiny_run


def test_a_short_run_says_so_first_and_last(
    tiny_run: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data, model, _ = tiny_run
    out = tmp_path / "short"
    assert _train(data, model, out) == 0
    captured = capsys.readouterr()
    err = captured.err
    assert "short run:" in err and err.index("short run:") < err.index("epoch   1/1")  # before it starts
    lines = captured.out.strip().splitlines()
    assert lines[-1].startswith("short run: the run (1 epoch, 4 steps)")
    assert lines[0].startswith(f"{out}: 1 epoch")
    assert any(line.split()[:3] == ["selected", "on", "validation"] for line in lines)
    assert all(
        len(line) < 100 for line in lines[1:-1]
    )  # a table, not one long line (the first names the run's path)


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


def test_evaluate_leaves_the_runs_files_as_train_wrote_them(
    trained: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, _, run = trained
    written = _digests(run)
    assert {"confusion.png", "confusion_selected.png", "curves.png", "result.json"} <= set(written)
    base = ["evaluate", "--checkpoint", str(run / "best.pt"), "--data", str(data), "--device", "cpu"]
    assert main(base) == 0
    assert main([*base, "--out", str(run), "--split", "val"]) == 0  # even pointed at the run itself
    out = capsys.readouterr().out
    after = _digests(run)
    assert {name: after[name] for name in written} == written
    assert {"evaluate-best-test-confusion.png", "evaluate-best-val-confusion.png"} == set(after) - set(
        written
    )
    assert f"confusion matrix: {run / 'evaluate-best-test-confusion.png'}" in out
