"""The runs report: recipe labels (runs with overridden hyper-parameters are never pooled), and runs
kept from an earlier report by `--keep`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resnet_verify.errors import UsageError
from resnet_verify.train.recipes import RECIPES
from resnet_verify.train.runs_report import load_kept, recipe_label, write_report
from resnet_verify.train.runs_report import main as report_main


def test_a_run_of_the_recipe_as_defined_is_labelled_by_its_name() -> None:
    config = {"recipe": "default", **RECIPES["default"].to_dict()}
    assert recipe_label(config) == "default"
    assert recipe_label({**config, "epochs": 99}) == "default"  # epochs are a column of their own


def test_overrides_are_part_of_the_label() -> None:
    config = {"recipe": "default", **RECIPES["default"].to_dict(), "mixup_alpha": 0.2, "cutmix_alpha": 1.0}
    assert recipe_label(config) == "default mixup_alpha=0.2 cutmix_alpha=1.0"
    seed = {"recipe": "seed", **RECIPES["seed"].to_dict(), "lr": 0.1}
    assert recipe_label(seed) == "seed lr=0.1"


def test_runs_from_before_a_field_existed_and_unknown_recipes() -> None:
    old = {
        k: v for k, v in {"recipe": "default", **RECIPES["default"].to_dict()}.items() if k != "mixup_alpha"
    }
    assert recipe_label(old) == "default"
    assert recipe_label({"recipe": "mine", "lr": 1.0}) == "mine"


def _finished_run(root: Path, name: str, seed: int, final_correct: int) -> Path:
    """A run folder as `train` leaves it, written by hand: the report reads only these three files."""
    run = root / name
    run.mkdir(parents=True)
    config = {**RECIPES["default"].to_dict(), "recipe": "default", "seed": seed, "model": "resnet50",
              "validation": "stratified 10% of train (seed 0)"}  # fmt: skip
    (run / "config.json").write_text(json.dumps(config))
    (run / "metrics.csv").write_text("epoch,val_acc\n1,0.5\n2,0.9\n")
    final = {"test_accuracy": final_correct / 120, "images": 120, "correct": final_correct}
    selected = {**final, "epoch": 2, "val_accuracy": 0.9}
    result = {"epochs": 2, "final": final, "selected": selected, "selected_on": "val", "wall_s": 10.0,
              "images_per_s": 50.0}  # fmt: skip
    (run / "result.json").write_text(json.dumps(result))
    return run


def test_keep_carries_earlier_runs_and_a_given_folder_replaces_its_entry(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    a = _finished_run(tmp_path / "old", "a", 0, 118)
    b = _finished_run(tmp_path / "old", "b", 1, 117)
    write_report([a, b], out)
    earlier = json.loads((out / "training.json").read_text())
    assert earlier["kept_runs"] == []
    for r in earlier["runs"]:  # an older report's runs did not list every hyper-parameter of today
        del r["hyperparameters"]["image_size"]
    (out / "training.json").write_text(json.dumps(earlier))
    b2 = _finished_run(tmp_path / "new", "b", 1, 120)  # b rerun: its folder wins over the kept entry
    c = _finished_run(tmp_path / "new", "c", 2, 119)
    assert report_main([str(b2), str(c), "--out", str(out), "--keep", str(out / "training.json")]) == 0
    report = json.loads((out / "training.json").read_text())
    by_run = {r["run"]: r for r in report["runs"]}
    assert sorted(by_run) == ["a", "b", "c"] and report["kept_runs"] == ["a"]
    before = next(r for r in earlier["runs"] if r["run"] == "a")
    assert {k: v for k, v in by_run["a"].items() if k not in ("recipe", "hyperparameters")} == {
        k: v for k, v in before.items() if k not in ("recipe", "hyperparameters")
    }
    # No image_size listed: a run from before the field, at the data's own size (not today's 96 px).
    assert by_run["a"]["hyperparameters"]["image_size"] is None
    assert by_run["a"]["recipe"] == "default image_size=0"
    assert by_run["b"]["final_correct"] == 120
    assert report["recipes"]["default"]["runs"] == 2  # a is pooled apart (its own image size)
    assert report["recipes"]["default"]["median_final_test_accuracy"] == (120 / 120 + 119 / 120) / 2
    text = (out / "training.md").read_text()
    assert "| a (kept) | default image_size=0 |" in text and "| b | default |" in text and "*kept*" in text


@pytest.mark.parametrize("content", ["{not json", '{"schema_version": 99, "runs": []}', '{"schema_version": 1, '
                                     '"runs": [{"run": "x"}]}', "[]"])  # fmt: skip
def test_keep_of_a_file_that_is_not_a_report_is_one_line(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _finished_run(tmp_path, "a", 0, 118)
    bad = tmp_path / "earlier.json"
    bad.write_text(content)
    assert report_main([str(run), "--out", str(tmp_path / "r"), "--keep", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a training report" in err
    assert not (tmp_path / "r" / "training.json").exists()
    with pytest.raises(UsageError):
        load_kept(tmp_path / "missing.json")


def test_a_run_from_before_the_recipe_changed_keeps_its_own_settings_in_the_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 64 px run from before ``image_size`` existed is not pooled into a recipe that now trains at
    96 px: the missing field means the old behaviour (the data's own size), today's recipe or not."""
    import dataclasses

    run = _finished_run(tmp_path, "old", 0, 118)
    config = json.loads((run / "config.json").read_text())
    del config["image_size"]
    (run / "config.json").write_text(json.dumps(config))
    out = tmp_path / "reports"
    monkeypatch.setitem(RECIPES, "default", dataclasses.replace(RECIPES["default"], image_size=0))
    write_report([run], out)  # labelled when the recipe trained at the data's size
    assert json.loads((out / "training.json").read_text())["runs"][0]["recipe"] == "default"
    monkeypatch.setitem(RECIPES, "default", dataclasses.replace(RECIPES["default"], image_size=96))
    assert recipe_label(config) == "default image_size=0"
    (kept,) = load_kept(out / "training.json")  # an earlier report's label is recomputed too
    assert kept.recipe == "default image_size=0"
