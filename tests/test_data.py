"""SIGNS loading and validation (resnet_verify.train.data): both layouts, every input error as one line."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

import h5py
import numpy as np
import pytest
import torch
from fixtures.real_signs import find_signs, skip_reason
from PIL import Image

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.train.data import (
    augment,
    batch_indices,
    channel_stats,
    load_signs,
    normalize,
    steps_per_epoch,
)
from resnet_verify.train.splits import stratified_holdout

REAL_DATA = find_signs()  # $RESNET_VERIFY_SIGNS, else ../shared/data/signs


# ------------------------------------------------------------------------------------------ makers


def _images(n: int, size: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 3).astype(np.int64)
    x = rng.integers(0, 255, (n, size, size, 3), dtype=np.uint8)
    return x, y


def write_h5(
    root: Path, *, train: dict | None = None, test: dict | None = None, n_train: int = 9, n_test: int = 6
) -> Path:
    """The Coursera pair; ``train``/``test`` override or (with value None) delete datasets."""
    root.mkdir(parents=True, exist_ok=True)
    for split, n, over in (("train", n_train, train or {}), ("test", n_test, test or {})):
        x, y = _images(n, seed=len(split))
        data = {f"{split}_set_x": x, f"{split}_set_y": y, "list_classes": np.arange(3, dtype=np.int64)}
        data.update(over)
        with h5py.File(root / f"{split}_signs.h5", "w") as handle:
            for key, value in data.items():
                if value is not None:
                    handle[key] = value
    return root


def write_folder(root: Path, counts: dict[str, int] | None = None, size: int = 16) -> Path:
    """``root/64x64_SIGNS/{train,val,test}_signs/{label}_IMG_{id}.jpg``; returns the 64x64_SIGNS folder."""
    folder = root / "64x64_SIGNS"
    counts = counts or {"train_signs": 6, "val_signs": 3, "test_signs": 3}
    rng = np.random.default_rng(1)
    ident = 1000
    for sub, n in counts.items():
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            ident += 1
            pixels = rng.integers(0, 255, (size, size, 3), dtype=np.uint8)
            suffix = " (1)" if i == 0 else ""  # names like the real set's "0_IMG_5975 (1).jpg"
            Image.fromarray(pixels).save(folder / sub / f"{i % 3}_IMG_{ident}{suffix}.jpg", quality=95)
    return folder


# ----------------------------------------------------------------------------------------- loading


def test_loads_the_hdf5_pair(tmp_path: Path) -> None:
    root = write_h5(tmp_path)
    signs = load_signs(root)
    # 3 images per class: one of each is held out for validation (at least one, never all)
    assert signs.train.x.shape == (6, 3, 16, 16) and signs.train.x.dtype == torch.uint8
    assert signs.val.x.shape == (3, 3, 16, 16) and sorted(signs.val.y.tolist()) == [0, 1, 2]
    assert signs.test.x.shape == (6, 3, 16, 16)
    assert signs.train.y.dtype == torch.int64 and sorted(signs.train.y.tolist()) == [0, 0, 1, 1, 2, 2]
    assert signs.classes == ("0", "1", "2") and signs.num_classes == 3 and signs.input_size == (3, 16, 16)
    assert "stratified 10% of train_signs.h5" in signs.validation
    x, _ = _images(9, seed=len("train"))
    everything = torch.cat([signs.train.x, signs.val.x])
    for i in range(9):  # every training image is in exactly one of the two splits
        image = torch.from_numpy(x[i]).permute(2, 0, 1)
        assert sum(torch.equal(image, e) for e in everything) == 1


def test_hdf5_labels_are_mapped_onto_list_classes(tmp_path: Path) -> None:
    classes = np.array([10, 20, 30])
    y = np.array([30, 10, 20, 10, 30, 20, 10, 20, 30])
    root = write_h5(tmp_path, train={"list_classes": classes, "train_set_y": y.reshape(1, -1)},
                    test={"list_classes": classes, "test_set_y": np.array([10, 20, 30, 10, 20, 30])})  # fmt: skip
    signs = load_signs(root)
    assert signs.classes == ("10", "20", "30")
    assert sorted([*signs.train.y.tolist(), *signs.val.y.tolist()]) == [0, 0, 0, 1, 1, 1, 2, 2, 2]


@pytest.mark.parametrize("given", ["parent", "folder"])
def test_loads_the_image_folder(tmp_path: Path, given: str) -> None:
    folder = write_folder(tmp_path)
    signs = load_signs(tmp_path if given == "parent" else folder)
    assert signs.train.x.shape == (6, 3, 16, 16)  # train_signs
    assert signs.val.x.shape == (3, 3, 16, 16)  # val_signs, the release's own validation split
    assert signs.test.x.shape == (3, 3, 16, 16)
    assert signs.classes == ("0", "1", "2")
    assert sorted(signs.train.y.tolist()) == [0, 0, 1, 1, 2, 2]
    assert "image folder" in signs.source and signs.validation.startswith("val_signs/")


def test_a_folder_without_val_signs_holds_out_part_of_train_signs(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, {"train_signs": 12, "test_signs": 3})
    signs = load_signs(folder)
    assert (len(signs.train), len(signs.val)) == (9, 3)
    assert sorted(signs.val.y.tolist()) == [0, 1, 2]
    assert "stratified 10% of train_signs/" in signs.validation


def test_hdf5_is_preferred_over_the_folder(tmp_path: Path) -> None:
    write_folder(tmp_path)
    write_h5(tmp_path, n_train=12)
    signs = load_signs(tmp_path)
    assert len(signs.train) + len(signs.val) == 12 and "HDF5" in signs.source


# -------------------------------------------------------------------------------- validation split


def test_validation_split_is_stratified_deterministic_and_disjoint() -> None:
    y = torch.tensor([0] * 180 + [1] * 180 + [2] * 90 + [3] * 30).roll(7)  # interleaved, unequal classes
    train_idx, val_idx = stratified_holdout(y, 0.1, seed=0)
    assert set(train_idx.tolist()).isdisjoint(val_idx.tolist())
    assert sorted([*train_idx.tolist(), *val_idx.tolist()]) == list(range(len(y)))
    assert torch.bincount(y[val_idx]).tolist() == [18, 18, 9, 3]  # 10% of every class
    again_train, again_val = stratified_holdout(y, 0.1, seed=0)
    assert torch.equal(again_train, train_idx) and torch.equal(again_val, val_idx)
    _, other = stratified_holdout(y, 0.1, seed=1)
    assert not torch.equal(other, val_idx)  # the seed does choose; it is fixed (VAL_SEED) in loading


def test_validation_split_keeps_single_image_classes_in_train() -> None:
    y = torch.tensor([0, 0, 1, 2, 2, 2])
    train_idx, val_idx = stratified_holdout(y, 0.1)
    assert sorted(y[val_idx].tolist()) == [0, 2]  # at least one per class with 2+, never the only one
    assert 1 in y[train_idx].tolist()
    with pytest.raises(ValueError, match="fraction"):
        stratified_holdout(y, 1.0)


def test_a_training_split_too_small_to_validate_is_one_line(tmp_path: Path) -> None:
    root = write_h5(tmp_path, n_train=3)  # one image per class
    with pytest.raises(UsageError, match="too few images to hold out a validation split"):
        load_signs(root)


# -------------------------------------------------------------------------------------- validation


class _Overrides(TypedDict, total=False):
    """``write_h5``'s per-split overrides: dataset name -> contents (None deletes it)."""

    train: dict[str, np.ndarray | None]
    test: dict[str, np.ndarray | None]


_H5_CASES: dict[str, tuple[_Overrides, str, str]] = {
    "missing key": ({"train": {"train_set_y": None}}, "train_signs.h5", "missing dataset 'train_set_y'"),
    "wrong image dtype": ({"train": {"train_set_x": np.zeros((9, 16, 16, 3), np.int32)}}, "train_signs.h5", "dtype int32"),
    "float images": ({"test": {"test_set_x": np.zeros((6, 16, 16, 3), np.float32)}}, "test_signs.h5", "dtype float32"),
    "non-finite images": ({"train": {"train_set_x": np.full((9, 16, 16, 3), np.nan, np.float32)}}, "train_signs.h5", "non-finite"),
    "non-finite labels": ({"train": {"train_set_y": np.array([0, 1, np.inf] * 3)}}, "train_signs.h5", "non-finite"),
    "fractional labels": ({"train": {"train_set_y": np.array([0, 1, 1.5] * 3)}}, "train_signs.h5", "non-integer"),
    "string labels": ({"train": {"train_set_y": np.array([b"a"] * 9)}}, "train_signs.h5", "expected integers"),
    "image rank": ({"train": {"train_set_x": np.zeros((9, 16, 16), np.uint8)}}, "train_signs.h5", "expected N x H x W x 3"),
    "channels": ({"test": {"test_set_x": np.zeros((6, 16, 16, 1), np.uint8)}}, "test_signs.h5", "expected N x H x W x 3"),
    "too small": ({"train": {"train_set_x": np.zeros((9, 4, 4, 3), np.uint8)}}, "train_signs.h5", "smaller than"),
    "label rank": ({"train": {"train_set_y": np.zeros((3, 3), np.int64)}}, "train_signs.h5", "expected (N,)"),
    "count mismatch": ({"train": {"train_set_y": np.zeros(8, np.int64)}}, "train_signs.h5", "has 8 labels for 9 images"),
    "label outside classes": ({"test": {"test_set_y": np.array([0, 1, 2, 7, 0, 1])}}, "test_signs.h5", "labels [7] not in list_classes"),
    "empty split": ({"test": {"test_set_x": np.zeros((0, 16, 16, 3), np.uint8), "test_set_y": np.zeros(0, np.int64)}},
                    "test_signs.h5", "holds no images"),
    "empty class list": ({"train": {"list_classes": np.zeros(0, np.int64)}}, "train_signs.h5", "list_classes is empty"),
    "repeated classes": ({"train": {"list_classes": np.array([0, 1, 1])}}, "train_signs.h5", "repeated"),
    "classes differ": ({"test": {"list_classes": np.arange(4)}}, "test_signs.h5", "differs from train_signs.h5"),
    "sizes differ": ({"test": {"test_set_x": np.zeros((6, 20, 20, 3), np.uint8)}}, "test_signs.h5", "images are 20x20"),
}  # fmt: skip


def _one_line_error(call, *names: str) -> str:
    with pytest.raises(UsageError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    for name in names:
        assert name in message, message
    return message


@pytest.mark.parametrize("case", sorted(_H5_CASES))
def test_hdf5_problems_are_one_line_naming_the_file(tmp_path: Path, case: str) -> None:
    overrides, file_name, needle = _H5_CASES[case]
    root = write_h5(tmp_path, **overrides)
    _one_line_error(lambda: load_signs(root), file_name, needle)


def test_a_file_that_is_not_hdf5(tmp_path: Path) -> None:
    root = write_h5(tmp_path)
    (root / "test_signs.h5").write_text("just some text\n")
    _one_line_error(lambda: load_signs(root), "test_signs.h5", "not an HDF5 file")


def test_a_truncated_hdf5_file(tmp_path: Path) -> None:
    root = write_h5(tmp_path, n_train=200)
    path = root / "train_signs.h5"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _one_line_error(lambda: load_signs(root), "train_signs.h5")


def test_an_unreadable_hdf5_path(tmp_path: Path) -> None:
    root = write_h5(tmp_path)
    (root / "test_signs.h5").unlink()
    (root / "test_signs.h5").mkdir()  # exists, but cannot be opened as a file
    _one_line_error(lambda: load_signs(root), "test_signs.h5")


def test_a_missing_half_of_the_pair(tmp_path: Path) -> None:
    root = write_h5(tmp_path)
    (root / "test_signs.h5").unlink()
    _one_line_error(lambda: load_signs(root), "test_signs.h5", "missing")


def test_folder_badly_named_file(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    Image.new("RGB", (16, 16)).save(folder / "train_signs" / "hand.jpg")
    _one_line_error(lambda: load_signs(tmp_path), "train_signs/hand.jpg", "badly named")


def test_folder_file_that_is_not_an_image(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    (folder / "val_signs" / "2_IMG_9999.jpg").write_text("not a picture")
    _one_line_error(lambda: load_signs(tmp_path), "val_signs/2_IMG_9999.jpg", "not a readable image")


def test_folder_without_images(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, {"train_signs": 6, "test_signs": 0})
    (folder / "test_signs" / "notes.txt").write_text("nothing here")
    _one_line_error(lambda: load_signs(tmp_path), "test_signs/", "no images")


def test_folder_image_of_another_size(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    Image.new("RGB", (20, 16)).save(folder / "test_signs" / "1_IMG_7.jpg")
    _one_line_error(lambda: load_signs(tmp_path), "test_signs/1_IMG_7.jpg", "16x20")


def test_folder_test_label_unknown_to_training(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    Image.new("RGB", (16, 16)).save(folder / "test_signs" / "9_IMG_7.jpg")
    _one_line_error(lambda: load_signs(tmp_path), "test_signs/", "['9']")


def test_folder_missing_test_split(tmp_path: Path) -> None:
    write_folder(tmp_path, {"train_signs": 6})
    _one_line_error(lambda: load_signs(tmp_path), "test_signs")


def test_no_data_at_all(tmp_path: Path) -> None:
    _one_line_error(lambda: load_signs(tmp_path), str(tmp_path), "found neither")
    _one_line_error(lambda: load_signs(tmp_path / "nope"), "no such folder")


def test_cli_reports_a_data_error_as_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_h5(tmp_path / "d", train={"train_set_y": np.zeros(8, np.int64)})
    assert main(["train", "--data", str(root), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "train_signs.h5: train_set_y has 8 labels for 9 images" in err
    assert not (tmp_path / "run").exists()


# ----------------------------------------------------------------------------------- batch helpers


def test_normalize_uses_the_training_statistics() -> None:
    x = torch.randint(0, 256, (10, 3, 8, 8), dtype=torch.uint8)
    mean, std = channel_stats(x)
    z = normalize(x, mean, std)
    assert z.dtype == torch.float32
    assert torch.allclose(z.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-5)
    assert torch.allclose(z.std(dim=(0, 2, 3)), torch.ones(3), atol=1e-3)


def test_batches_cover_a_permutation() -> None:
    gen = torch.Generator().manual_seed(0)
    batches = list(batch_indices(10, 4, gen))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(torch.cat(batches).tolist()) == list(range(10))
    dropped = list(batch_indices(10, 4, gen, drop_last=True))
    assert [len(b) for b in dropped] == [4, 4] and steps_per_epoch(10, 4) == 2
    assert torch.equal(torch.cat(list(batch_indices(5, 2, None, shuffle=False))), torch.arange(5))


def test_augment_is_reproducible_and_shards_agree() -> None:
    x = torch.randn(6, 3, 16, 16)
    a = augment(x, torch.Generator().manual_seed(3))
    b = augment(x, torch.Generator().manual_seed(3))
    assert a.shape == x.shape and torch.equal(a, b) and not torch.equal(a, x)
    rows = torch.tensor([1, 3, 5])  # rank 1 of 2: same parameters as the full batch, for its rows
    shard = augment(x[rows], torch.Generator().manual_seed(3), batch_size=6, rows=rows)
    assert torch.allclose(shard, a[rows], atol=1e-6)


# ---------------------------------------------------------------------------------------- real data


@pytest.mark.data
@pytest.mark.skipif(REAL_DATA is None, reason=skip_reason())
def test_the_real_signs_files() -> None:
    assert REAL_DATA is not None
    h5 = load_signs(REAL_DATA)
    folder = load_signs(REAL_DATA / "64x64_SIGNS")
    assert (len(h5.train), len(h5.val)) == (972, 108)  # a stratified 10% of the 1080
    assert h5.val.y.bincount().tolist() == [18] * 6
    assert (len(folder.train), len(folder.val)) == (864, 216)  # the release's train / val folders
    for signs in (h5, folder):
        assert len(signs.train) + len(signs.val) == 1080 and len(signs.test) == 120
        assert signs.classes == ("0", "1", "2", "3", "4", "5") and signs.input_size == (3, 64, 64)
        assert (signs.train.y.bincount() + signs.val.y.bincount()).tolist() == [180] * 6
        assert signs.test.y.bincount().tolist() == [20] * 6
    # the JPG test folder holds the same pictures as test_signs.h5, up to JPEG noise
    assert abs(h5.test.x.float().mean().item() - folder.test.x.float().mean().item()) < 2.0
