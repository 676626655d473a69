"""The runs report's recipe labels: runs with overridden hyper-parameters are never pooled."""

from __future__ import annotations

from resnet_verify.train.recipes import RECIPES
from resnet_verify.train.runs_report import recipe_label


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
