"""--image-size: train, select, resume, evaluate and predict at a size other than the data's."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import torch
from PIL import Image
from test_training import FAST, TINY_MODEL
from test_training_selection import _write_data

from resnet_verify.cli.main import main
from resnet_verify.train.data import load_signs, resize_images
from resnet_verify.train.runs_report import recipe_label


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_data(tmp_path_factory.mktemp("signs"))  # 32 x 32 images


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("models") / "tiny.py"
    path.write_text(textwrap.dedent(TINY_MODEL))
    return f"{path}:Tiny"


def _train(data: Path, out: Path, spec: str, *extra: str) -> int:
    return main(
        ["train", "--data", str(data), "--out", str(out), *FAST, "--allow-mismatch", "--model", spec, *extra]
    )


def test_resize_images_keeps_uint8_and_values() -> None:
    x = torch.full((2, 3, 32, 32), 200, dtype=torch.uint8)
    x[1] = 7
    y = resize_images(x, (48, 40))
    assert y.dtype == torch.uint8 and y.shape == (2, 3, 48, 40)
    assert torch.equal(y[0], torch.full_like(y[0], 200)) and torch.equal(y[1], torch.full_like(y[1], 7))
    assert resize_images(x, (32, 32)) is x


def test_signs_resized_keeps_labels_and_splits(data_dir: Path) -> None:
    signs = load_signs(data_dir)
    big = signs.resized(48)
    assert big.input_size == (3, 48, 48) and signs.input_size == (3, 32, 32)
    for a, b in ((signs.train, big.train), (signs.val, big.val), (signs.test, big.test)):
        assert torch.equal(a.y, b.y) and b.x.shape[2:] == (48, 48)
    assert signs.resized(32) is signs


def test_a_run_at_another_size(
    tmp_path: Path, data_dir: Path, spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert _train(data_dir, out, spec, "--epochs", "2", "--image-size", "40", "--stop-after", "1") == 0
    config = json.loads((out / "config.json").read_text())
    assert config["image_size"] == 40 and config["input_size"] == [3, 40, 40]
    assert "image_size=40" in recipe_label(config)  # never pooled with the data-sized recipe
    assert main(["train", "--resume", "--out", str(out), "--device", "cpu", "--no-progress"]) == 0
    assert json.loads((out / "result.json").read_text())["epochs"] == 2
    capsys.readouterr()
    assert (
        main(["evaluate", "--checkpoint", str(out / "best.pt"), "--data", str(data_dir), "--device", "cpu"])
        == 0
    )
    assert "test split: 12 images" in capsys.readouterr().out
    image = tmp_path / "hand.png"
    Image.new("RGB", (32, 32), (200, 10, 10)).save(image)
    assert main(["predict", "--checkpoint", str(out / "best.pt"), str(image), "--device", "cpu"]) == 0


@pytest.mark.parametrize("side", ["8", "-1"])
def test_too_small_is_one_line_before_any_work(
    tmp_path: Path, data_dir: Path, spec: str, side: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _train(data_dir, tmp_path / "run", spec, "--image-size", side) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--image-size must be 0" in err and not (tmp_path / "run").exists()
