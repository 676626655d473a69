"""Honest selection: best.pt is chosen on validation, the test split is read only by the final
evaluation; the weight average, mirrored-view evaluation, typed recipes, the gate, and the
training report regenerated from run folders.

Tiny generated data (3 classes, 32x32, the class is the brightest channel) and the tiny model of
tests/test_training.py, in-process through ``resnet_verify.cli.main.main``.
"""

from __future__ import annotations

import csv
import json
import textwrap
from dataclasses import FrozenInstanceError
from pathlib import Path

import h5py
import numpy as np
import pytest
import torch
from test_training import FAST, TINY_MODEL, TRAIN

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.train import evaluation, loop
from resnet_verify.train.config import TrainConfig
from resnet_verify.train.ema import WeightAverage
from resnet_verify.train.evaluation import predict_logits
from resnet_verify.train.recipes import RECIPES, Optimizer, Recipe, Schedule
from resnet_verify.train.runs_report import find_runs, write_report
from resnet_verify.train.runs_report import main as report_main

TEST = 12  # test images; validation is 6: the two splits are told apart by size


def _write_data(root: Path, *, test_labels: np.ndarray | None = None) -> Path:
    rng = np.random.default_rng(0)
    root.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", TRAIN), ("test", TEST)):
        y = (np.arange(n) % 3).astype(np.int64)
        x = rng.integers(0, 60, (n, 32, 32, 3)).astype(np.uint8)
        for i, c in enumerate(y):
            x[i, :, :, c] += 150
        if split == "test" and test_labels is not None:
            y = test_labels
        with h5py.File(root / f"{split}_signs.h5", "w") as handle:
            handle[f"{split}_set_x"], handle[f"{split}_set_y"] = x, y
            handle["list_classes"] = np.arange(3)
    return root


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_data(tmp_path_factory.mktemp("signs"))


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("models") / "tiny.py"
    path.write_text(textwrap.dedent(TINY_MODEL))
    return f"{path}:Tiny"


def _train(data: Path, out: Path, spec: str, *extra: str) -> int:
    return main(
        ["train", "--data", str(data), "--out", str(out), *FAST, "--allow-mismatch", "--model", spec, *extra]
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------------------------ selection


@pytest.mark.slow
def test_the_test_split_is_read_only_after_the_last_epoch(
    tmp_path: Path, data_dir: Path, spec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, int]] = []
    real_split, real_predict = loop.evaluate_split, evaluation.predict_logits

    def spy_split(model, split, config, device):
        events.append(("epoch-eval", len(split)))
        return real_split(model, split, config, device)

    def spy_predict(model, x, *args, **kwargs):
        events.append(("predict", int(x.shape[0])))
        return real_predict(model, x, *args, **kwargs)

    monkeypatch.setattr(loop, "evaluate_split", spy_split)
    monkeypatch.setattr(evaluation, "predict_logits", spy_predict)
    assert _train(data_dir, tmp_path / "run", spec, "--epochs", "3") == 0
    epoch_evals = [i for i, e in enumerate(events) if e[0] == "epoch-eval"]
    test_reads = [i for i, e in enumerate(events) if e == ("predict", TEST)]
    assert [events[i][1] for i in epoch_evals] == [6, 6, 6]  # validation, once per epoch
    assert len(test_reads) == 2 and min(test_reads) > max(epoch_evals)  # final + selected, at the end


@pytest.mark.slow
def test_selection_does_not_depend_on_the_test_labels(tmp_path: Path, data_dir: Path, spec: str) -> None:
    scrambled = _write_data(tmp_path / "scrambled", test_labels=np.zeros(TEST, dtype=np.int64))
    a, b = tmp_path / "a", tmp_path / "b"
    assert _train(data_dir, a, spec, "--epochs", "3") == 0
    assert _train(scrambled, b, spec, "--epochs", "3") == 0
    timing = ("epoch_s", "elapsed_s", "images_per_s")  # wall-clock columns differ between any two runs
    rows_a, rows_b = (
        [{k: v for k, v in r.items() if k not in timing} for r in _rows(p / "metrics.csv")] for p in (a, b)
    )
    assert rows_a == rows_b and len(rows_a) == 3
    best_a, best_b = (torch.load(p / "best.pt", weights_only=True) for p in (a, b))
    assert best_a["epoch"] == best_b["epoch"]
    assert all(torch.equal(best_a["model"][k], best_b["model"][k]) for k in best_a["model"])
    ra, rb = (json.loads((p / "result.json").read_text()) for p in (a, b))
    assert ra["final"]["test_accuracy"] != rb["final"]["test_accuracy"]  # the test labels did change
    assert ra["selected"]["epoch"] == rb["selected"]["epoch"]


@pytest.mark.slow
def test_stop_after_defers_the_test_evaluation_to_the_resumed_run(
    tmp_path: Path, data_dir: Path, spec: str
) -> None:
    out = tmp_path / "run"
    assert _train(data_dir, out, spec, "--epochs", "2", "--stop-after", "1") == 0
    assert not (out / "result.json").exists()
    assert main(["train", "--resume", "--out", str(out), "--device", "cpu", "--no-progress"]) == 0
    assert json.loads((out / "result.json").read_text())["final"]["epoch"] == 2


# ----------------------------------------------------------------------------- average and flip


def test_weight_average_moves_towards_the_weights_and_copies_integer_buffers() -> None:
    lin, bn = torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2)
    model = torch.nn.Sequential(lin, bn)
    ema = WeightAverage(model, decay=0.5)
    avg_lin, avg_bn = ema.model.get_submodule("0"), ema.model.get_submodule("1")
    assert isinstance(avg_lin, torch.nn.Linear) and isinstance(avg_bn, torch.nn.BatchNorm1d)
    assert bn.num_batches_tracked is not None and avg_bn.num_batches_tracked is not None  # tracked by default
    before = avg_lin.weight.clone()
    with torch.no_grad():
        lin.weight.add_(1.0)
        bn.num_batches_tracked.fill_(7)
    ema.update()  # first update: decay min(0.5, 1/10) = 0.1, so 90% of the way
    assert torch.allclose(avg_lin.weight, before + 0.9)
    assert int(avg_bn.num_batches_tracked) == 7
    assert not torch.equal(avg_lin.weight, lin.weight)  # not a plain copy
    with pytest.raises(ValueError, match="decay"):
        WeightAverage(model, decay=1.0)


@pytest.mark.slow
def test_runs_with_and_without_the_average(tmp_path: Path, data_dir: Path, spec: str) -> None:
    assert _train(data_dir, tmp_path / "ema", spec, "--epochs", "1") == 0
    assert _train(data_dir, tmp_path / "plain", spec, "--epochs", "1", "--ema-decay", "0") == 0
    with_ema = torch.load(tmp_path / "ema" / "last.pt", weights_only=True)
    plain = torch.load(tmp_path / "plain" / "last.pt", weights_only=True)
    assert "ema" in with_ema and "ema" not in plain
    best = torch.load(tmp_path / "ema" / "best.pt", weights_only=True)
    assert all(
        torch.equal(best["model"][k], with_ema["ema"]["model"][k]) for k in best["model"]
    )  # the average is saved
    assert main(["train", "--data", str(data_dir), "--out", str(tmp_path / "bad"), "--ema-decay", "1.5"]) == 2


def test_flip_averages_the_softmax_of_both_views() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3), torch.nn.Flatten(), torch.nn.Linear(72, 3))
    x = torch.randint(0, 255, (4, 3, 8, 8), dtype=torch.uint8)
    mean, std, cpu = [0.5] * 3, [0.25] * 3, torch.device("cpu")
    plain = predict_logits(model, x, mean, std, cpu)
    mirrored = predict_logits(model, x.flip(3), mean, std, cpu)
    both = predict_logits(model, x, mean, std, cpu, flip=True)
    expected = ((plain.softmax(1) + mirrored.softmax(1)) / 2).log()
    assert torch.allclose(both, expected, atol=1e-6)
    assert not torch.allclose(plain, both, atol=1e-4)  # the flip does change the prediction


# ---------------------------------------------------------------------------------- typed recipes


def test_recipes_are_typed_records_with_cli_spellings() -> None:
    assert all(isinstance(r, Recipe) for r in RECIPES.values())
    default = RECIPES["default"]
    assert default.optimizer is Optimizer.ADAMW and default.schedule is Schedule.COSINE
    assert default.to_dict()["optimizer"] == "adamw" and type(default.to_dict()["optimizer"]) is str
    assert RECIPES["seed"].ema_decay == 0 and RECIPES["seed"].tta_flip is False
    with pytest.raises(FrozenInstanceError):
        default.lr = 1.0  # type: ignore[misc]
    config = TrainConfig(model="m", num_classes=3, input_size=[3, 8, 8], classes=["a", "b", "c"], mean=[0.0] * 3,
                         std=[1.0] * 3, **RECIPES["seed"].to_dict())  # fmt: skip
    assert config.optimizer is Optimizer.SGD and config.to_dict()["schedule"] == "constant"
    with pytest.raises(UsageError, match="optimizer must be one of"):
        TrainConfig.from_dict({**config.to_dict(), "optimizer": "lamb"})


# -------------------------------------------------------------------------------------------- gate


def test_gate_is_verifys_one_door() -> None:
    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.gate import GateResult, gate

    good = gate(build_model("resnet18", num_classes=3)[0], "resnet18", (3, 32, 32), 3)
    assert isinstance(good, GateResult) and good.ok and good.mismatch_count == 0 and not good.crashed
    bad = gate(build_model("resnet18", num_classes=4)[0], "resnet18", (3, 32, 32), 3)
    assert not bad.ok and bad.mismatch_count > 0 and bad.comparison.mismatches


# ------------------------------------------------------------------------------------------ report


@pytest.mark.slow
def test_report_from_tiny_runs(
    tmp_path: Path, data_dir: Path, spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "runs"
    for seed in (0, 1, 2):
        assert _train(data_dir, runs / f"default-seed{seed}", spec, "--epochs", "2", "--seed", str(seed)) == 0
    assert _train(data_dir, runs / "seed-seed0", spec, "--epochs", "2", "--recipe", "seed") == 0
    assert _train(data_dir, runs / "unfinished", spec, "--epochs", "2", "--stop-after", "1") == 0
    capsys.readouterr()
    out = tmp_path / "reports"
    assert report_main([str(runs), "--out", str(out), "--note", "tiny test runs"]) == 0
    captured = capsys.readouterr()
    # FAST overrides lr, batch size and image size, so the recipes carry those in their labels.
    default, seed_recipe = "default lr=0.02 batch_size=8 image_size=0", "seed lr=0.02 batch_size=8"
    assert "unfinished is not finished" in captured.err and f"{default}: 3 runs" in captured.out
    report = json.loads((out / "training.json").read_text())
    assert report["schema_version"] == 1 and len(report["runs"]) == 4
    for run in report["runs"]:
        result = json.loads((runs / run["run"] / "result.json").read_text())
        assert run["final_test_accuracy"] == result["final"]["test_accuracy"] <= 1.0
        assert (
            run["selected_on"] == "val"
            and run["epochs"] == 2
            and run["wall_s"] > 0
            and run["images_per_s"] > 0
        )
    finals = sorted(r["final_test_accuracy"] for r in report["runs"] if r["recipe"] == default)
    assert report["recipes"][default]["median_final_test_accuracy"] == finals[1]
    assert report["recipes"][seed_recipe]["runs"] == 1
    text = (out / "training.md").read_text()
    assert f"| default-seed1 | {default} | 1 | 2 |" in text and "tiny test runs" in text
    assert (out / "training" / "default-seed0-confusion.png").stat().st_size > 0
    assert (out / "training" / "validation_accuracy.png").stat().st_size > 0


def test_report_without_finished_runs_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert report_main([str(tmp_path / "empty"), "--out", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    assert report_main([str(tmp_path / "missing")]) == 2
    assert find_runs([tmp_path / "empty"]) == ([], [])
    with pytest.raises(UsageError, match="no finished training run"):
        write_report([], tmp_path / "r")
