"""The SIGNS hand-sign data: loading, validation, and tensor-side batching, normalisation, augmentation.

Two layouts are understood, and :func:`load_signs` takes whichever it finds (HDF5 first):

* the Coursera HDF5 pair ``train_signs.h5`` (``train_set_x`` uint8 N x H x W x 3, ``train_set_y``,
  ``list_classes``) and ``test_signs.h5`` (``test_set_x``, ``test_set_y``, ``list_classes``);
* the CS230 folder ``64x64_SIGNS/{train,val,test}_signs/{label}_IMG_{id}.jpg``; the label is the
  file name's prefix.

Every load has three splits: train, validation and test. The validation split is the CS230
``val_signs`` folder when there is one, else a fixed, stratified 10% of the training images
(:func:`resnet_verify.train.splits.stratified_holdout`); ``Signs.validation`` says which. Selection
(the best epoch) reads validation only; the test split is for the final evaluation.

Everything is checked before anything trains, and each problem is one :class:`UsageError` line that
names the file. The whole set (13 MB) then lives in memory as tensors: :class:`SplitTensors` holds
uint8 images N x 3 x H x W and int64 class indices. Batches are index permutations of those tensors
(no per-sample ``DataLoader``); normalisation and augmentation run on whole batches, on the device.

Augmentation is a random resized crop (scale 0.75-1, aspect 0.85-1.18), a rotation of at most 12
degrees and a small brightness/contrast jitter, done as one affine ``grid_sample`` per batch. A
horizontal flip is also drawn (p = 0.5): it turns a right hand into a left hand showing the same
number of fingers, so the label still holds for this finger-counting data set.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F

from resnet_verify.errors import UsageError
from resnet_verify.train.splits import VAL_FRACTION, VAL_SEED, stratified_holdout

if TYPE_CHECKING:
    import h5py  # imported where the files are read; only annotations need it here

H5_FILES = {"train": "train_signs.h5", "test": "test_signs.h5"}
FOLDER_NAME = "64x64_SIGNS"
FOLDER_SPLITS = {"train": ("train_signs",), "val": ("val_signs",), "test": ("test_signs",)}
OPTIONAL_SPLITS = ("val",)  # without a val_signs folder, validation is held out of train_signs
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
_IMAGE_NAME = re.compile(r"^(?P<label>[^_]+)_IMG_(?P<id>.+)\.(?:jpe?g|png)$", re.IGNORECASE)
MIN_SIDE = 8


@dataclass(frozen=True, slots=True)
class SplitTensors:
    """One split in memory: ``x`` uint8 N x 3 x H x W, ``y`` int64 class indices (N,)."""

    x: torch.Tensor
    y: torch.Tensor

    def __len__(self) -> int:
        return int(self.y.shape[0])


@dataclass(frozen=True, slots=True)
class Signs:
    """Train, validation and test splits plus the class names (``y`` indexes ``classes``)."""

    train: SplitTensors
    val: SplitTensors
    test: SplitTensors
    classes: tuple[str, ...]
    source: str = ""  # what was loaded, for messages and the run config
    validation: str = ""  # where the validation split came from, for config.json

    @property
    def input_size(self) -> tuple[int, int, int]:
        _, c, h, w = self.train.x.shape
        return (int(c), int(h), int(w))

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    def resized(self, side: int) -> Signs:
        """Every split at ``side`` x ``side`` (``resize_images``); the same object when already so."""
        if self.input_size[1:] == (side, side):
            return self
        hw = (side, side)
        return replace(
            self,
            train=replace(self.train, x=resize_images(self.train.x, hw)),
            val=replace(self.val, x=resize_images(self.val.x, hw)),
            test=replace(self.test, x=resize_images(self.test.x, hw)),
        )


def resize_images(x: torch.Tensor, hw: tuple[int, int]) -> torch.Tensor:
    """uint8 images N x C x H x W resized to ``hw``: bilinear with antialiasing, rounded back to uint8.

    Once, before training, rather than inside the model or per batch: the network stays the plain
    ResNet the gate checked, at the input size recorded in the run's config, and the cost is paid once.
    """
    if tuple(x.shape[2:]) == hw:
        return x
    y = F.interpolate(x.float(), size=hw, mode="bilinear", antialias=True, align_corners=False)
    return y.round().clamp(0, 255).to(torch.uint8)


# ----------------------------------------------------------------------------------------- loading


def load_signs(data_dir: str | Path) -> Signs:
    """Load SIGNS from ``data_dir``: the HDF5 pair if present, else the CS230 image folder.

    ``data_dir`` may hold the HDF5 files and/or ``64x64_SIGNS``, or be the image folder itself.
    """
    root = Path(data_dir)
    if not root.exists():
        raise UsageError(f"data folder {root}: no such folder")
    if not root.is_dir():
        raise UsageError(f"data folder {root}: not a folder")
    if any((root / name).exists() for name in H5_FILES.values()):
        return _load_h5_pair(root)
    for folder in (root, root / FOLDER_NAME):
        if any((folder / sub).is_dir() for subs in FOLDER_SPLITS.values() for sub in subs):
            return _load_folder(folder)
    raise UsageError(
        f"data folder {root}: found neither {H5_FILES['train']} + {H5_FILES['test']} "
        f"nor a {FOLDER_NAME}/{{train,val,test}}_signs image folder"
    )


def _load_h5_pair(root: Path) -> Signs:
    import h5py

    splits: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
    for split, name in H5_FILES.items():
        path = root / name
        if not path.exists():
            raise UsageError(
                f"{name}: missing from {root} (the HDF5 layout needs both {H5_FILES['train']} and {H5_FILES['test']})"
            )
        try:
            if not h5py.is_hdf5(path):
                raise UsageError(f"{name}: not an HDF5 file")
            with h5py.File(path, "r") as handle:
                splits[split] = _read_h5_split(handle, name, split)
        except UsageError:
            raise
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise UsageError(f"{name}: cannot be read ({_first_line(exc)})") from None
    train_classes, test_classes = splits["train"][2], splits["test"][2]
    if train_classes != test_classes:
        raise UsageError(
            f"{H5_FILES['test']}: list_classes {test_classes} differs from {H5_FILES['train']}'s {train_classes}"
        )
    tensors = {split: _to_split(x, y) for split, (x, y, _) in splits.items()}
    _check_same_size(tensors["train"], tensors["test"], H5_FILES["train"], H5_FILES["test"])
    train, val, how = _hold_out(tensors["train"], H5_FILES["train"])
    return Signs(train, val, tensors["test"], tuple(train_classes), source=f"{root} (HDF5)", validation=how)


def _hold_out(train: SplitTensors, name: str) -> tuple[SplitTensors, SplitTensors, str]:
    """Training split without validation, the validation split, and how it was drawn."""
    train_idx, val_idx = stratified_holdout(train.y, VAL_FRACTION, VAL_SEED)
    if val_idx.numel() == 0:
        raise UsageError(f"{name}: too few images to hold out a validation split (every class has one image)")
    how = f"stratified {VAL_FRACTION:.0%} of {name} (seed {VAL_SEED}): {val_idx.numel()} images"
    return _rows(train, train_idx), _rows(train, val_idx), how


def _rows(split: SplitTensors, idx: torch.Tensor) -> SplitTensors:
    return SplitTensors(x=split.x[idx].contiguous(), y=split.y[idx].contiguous())


def _read_h5_split(handle: h5py.Group, name: str, split: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    x_key, y_key = f"{split}_set_x", f"{split}_set_y"
    for key in (x_key, y_key, "list_classes"):
        if key not in handle:
            found = ", ".join(sorted(handle.keys())) or "nothing"
            raise UsageError(f"{name}: missing dataset '{key}' (found {found})")
    x = np.asarray(handle[x_key][()])
    y = np.asarray(handle[y_key][()])
    class_values = np.asarray(handle["list_classes"][()]).reshape(-1)

    if x.ndim != 4 or x.shape[-1] != 3:
        raise UsageError(f"{name}: {x_key} has shape {tuple(x.shape)}, expected N x H x W x 3")
    if x.shape[0] == 0:
        raise UsageError(f"{name}: {x_key} holds no images")
    if x.shape[1] < MIN_SIDE or x.shape[2] < MIN_SIDE:
        raise UsageError(
            f"{name}: {x_key} images are {x.shape[1]}x{x.shape[2]}, smaller than {MIN_SIDE}x{MIN_SIDE}"
        )
    if x.dtype != np.uint8:
        if not np.issubdtype(x.dtype, np.floating):
            raise UsageError(f"{name}: {x_key} has dtype {x.dtype}, expected uint8")
        if not np.isfinite(x).all():
            raise UsageError(f"{name}: {x_key} holds non-finite values (NaN or inf)")
        raise UsageError(f"{name}: {x_key} has dtype {x.dtype}, expected uint8 (0-255)")

    if y.ndim == 2 and 1 in y.shape:  # the original files store (1, N) in places
        y = y.reshape(-1)
    if y.ndim != 1:
        raise UsageError(f"{name}: {y_key} has shape {tuple(y.shape)}, expected (N,)")
    if y.shape[0] != x.shape[0]:
        raise UsageError(f"{name}: {y_key} has {y.shape[0]} labels for {x.shape[0]} images")
    y = _integer_labels(y, name, y_key)

    if class_values.size == 0:
        raise UsageError(f"{name}: list_classes is empty")
    if np.issubdtype(class_values.dtype, np.floating):
        class_values = _integer_labels(class_values, name, "list_classes")
    if class_values.dtype.kind in "SO":
        names = [v.decode() if isinstance(v, bytes) else str(v) for v in class_values.tolist()]
        if not np.issubdtype(y.dtype, np.integer):
            raise UsageError(f"{name}: {y_key} must hold integers")
        keys = list(range(len(names)))  # byte-string class names: labels are indices
    elif np.issubdtype(class_values.dtype, np.integer):
        keys = [int(v) for v in class_values.tolist()]
        names = [str(k) for k in keys]
    else:
        raise UsageError(f"{name}: list_classes has dtype {class_values.dtype}, expected integers or strings")
    if len(set(keys)) != len(keys):
        raise UsageError(f"{name}: list_classes has repeated entries {keys}")
    index = {k: i for i, k in enumerate(keys)}
    unknown = sorted({int(v) for v in np.unique(y)} - set(index))
    if unknown:
        raise UsageError(f"{name}: {y_key} has labels {unknown[:5]} not in list_classes {keys}")
    y_idx = np.vectorize(index.__getitem__, otypes=[np.int64])(y) if y.size else y.astype(np.int64)
    return x, y_idx, names


def _integer_labels(values: np.ndarray, name: str, key: str) -> np.ndarray:
    if np.issubdtype(values.dtype, np.integer) or values.dtype == np.bool_:
        return values.astype(np.int64)
    if np.issubdtype(values.dtype, np.floating):
        if not np.isfinite(values).all():
            raise UsageError(f"{name}: {key} holds non-finite values (NaN or inf)")
        if not np.all(values == np.round(values)):
            raise UsageError(f"{name}: {key} holds non-integer values")
        return values.astype(np.int64)
    raise UsageError(f"{name}: {key} has dtype {values.dtype}, expected integers")


def _to_split(x_nhwc: np.ndarray, y: np.ndarray) -> SplitTensors:
    x = torch.from_numpy(np.ascontiguousarray(x_nhwc)).permute(0, 3, 1, 2).contiguous()
    return SplitTensors(x=x, y=torch.from_numpy(np.ascontiguousarray(y, dtype=np.int64)))


def _check_same_size(train: SplitTensors, test: SplitTensors, train_name: str, test_name: str) -> None:
    if train.x.shape[1:] != test.x.shape[1:]:
        t, s = tuple(train.x.shape[2:]), tuple(test.x.shape[2:])
        raise UsageError(f"{test_name}: images are {s[0]}x{s[1]} but {train_name}'s are {t[0]}x{t[1]}")


class _CommonSize:
    """Every image must have the height and width of the first one read."""

    def __init__(self) -> None:
        self.size: tuple[int, int] | None = None
        self.first = ""  # the first image's name, for messages

    def check(self, array: np.ndarray, rel: str) -> None:
        hw = (int(array.shape[0]), int(array.shape[1]))
        if self.size is None:
            self.size, self.first = hw, rel
        elif hw != self.size:
            raise UsageError(
                f"{rel}: image is {hw[0]}x{hw[1]} but {self.first} is {self.size[0]}x{self.size[1]}"
            )


def _read_image(path: Path, rel: str) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("RGB"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UsageError(f"{rel}: not a readable image ({_first_line(exc)})") from None


def _read_image_folder(sub: Path, sizes: _CommonSize) -> tuple[list[np.ndarray], list[str]]:
    """The images of one split folder and the labels their names start with, in name order."""
    files = sorted(p for p in sub.iterdir() if not p.name.startswith("."))
    if not any(p.suffix.lower() in IMAGE_SUFFIXES for p in files):
        raise UsageError(f"{sub.name}/: no images ({', '.join(IMAGE_SUFFIXES)}) in {sub}")
    images: list[np.ndarray] = []
    labels: list[str] = []
    for path in files:
        rel = f"{sub.name}/{path.name}"
        if path.is_dir():
            raise UsageError(f"{rel}: unexpected folder inside {sub.name}/")
        match = _IMAGE_NAME.match(path.name)
        if match is None:
            raise UsageError(f"{rel}: badly named file (expected {{label}}_IMG_{{id}}.jpg)")
        array = _read_image(path, rel)
        sizes.check(array, rel)
        images.append(array)
        labels.append(match.group("label"))
    return images, labels


def _load_folder(folder: Path) -> Signs:
    loaded: dict[str, tuple[list[np.ndarray], list[str]]] = {}
    sizes = _CommonSize()
    for split, subs in FOLDER_SPLITS.items():
        images: list[np.ndarray] = []
        labels: list[str] = []
        present = [folder / sub for sub in subs if (folder / sub).is_dir()]
        if not present and split in OPTIONAL_SPLITS:
            continue
        if not present:
            raise UsageError(f"{folder}: no {' or '.join(subs)} folder (the {split} split)")
        for sub in present:
            sub_images, sub_labels = _read_image_folder(sub, sizes)
            images += sub_images
            labels += sub_labels
        loaded[split] = (images, labels)
    size = sizes.size
    assert size is not None
    if min(size) < MIN_SIDE:
        raise UsageError(f"{sizes.first}: images are {size[0]}x{size[1]}, smaller than {MIN_SIDE}x{MIN_SIDE}")

    classes = sorted(set(loaded["train"][1]), key=_label_key)
    index = {c: i for i, c in enumerate(classes)}
    for split, (_, labels) in loaded.items():
        unknown = sorted(set(labels) - set(index), key=_label_key)
        if unknown:
            raise UsageError(
                f"{FOLDER_SPLITS[split][0]}/: labels {unknown[:5]} do not occur in the training images {classes}"
            )
    splits = {
        split: _to_split(np.stack(images), np.array([index[label] for label in labels], dtype=np.int64))
        for split, (images, labels) in loaded.items()
    }
    source = f"{folder} (image folder)"
    if "val" in splits:
        how = f"{FOLDER_SPLITS['val'][0]}/: {len(splits['val'])} images"
        return Signs(splits["train"], splits["val"], splits["test"], tuple(classes), source, how)
    train, val, how = _hold_out(splits["train"], f"{FOLDER_SPLITS['train'][0]}/")
    return Signs(train, val, splits["test"], tuple(classes), source, how)


def _label_key(label: str) -> tuple[int, int | str]:
    return (0, int(label)) if label.isdigit() else (1, label)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# ------------------------------------------------------------------------------ batches and tensors


def channel_stats(x: torch.Tensor) -> tuple[list[float], list[float]]:
    """Per-channel mean and std of uint8 images N x C x H x W, on the 0-1 scale."""
    flat = x.permute(1, 0, 2, 3).reshape(x.shape[1], -1).to(torch.float64) / 255.0
    mean = flat.mean(dim=1)
    std = flat.std(dim=1).clamp_min(1e-3)
    return [float(v) for v in mean], [float(v) for v in std]


def normalize(x: torch.Tensor, mean: list[float], std: list[float]) -> torch.Tensor:
    """uint8 (or 0-255 float) N x C x H x W -> float32 normalised with the training statistics."""
    m = torch.tensor(mean, dtype=torch.float32, device=x.device).view(1, -1, 1, 1)
    s = torch.tensor(std, dtype=torch.float32, device=x.device).view(1, -1, 1, 1)
    return (x.to(torch.float32) / 255.0 - m) / s


def batch_indices(
    n: int,
    batch_size: int,
    generator: torch.Generator | None,
    *,
    shuffle: bool = True,
    drop_last: bool = False,
) -> Iterator[torch.Tensor]:
    """Index batches over ``n`` samples: a permutation drawn from ``generator`` (or 0..n-1)."""
    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
    stop = n - n % batch_size if drop_last and n >= batch_size else n
    for start in range(0, stop, batch_size):
        yield order[start : min(start + batch_size, stop)]


def steps_per_epoch(n: int, batch_size: int, drop_last: bool = True) -> int:
    if drop_last and n >= batch_size:
        return n // batch_size
    return math.ceil(n / batch_size)


def augment(
    x: torch.Tensor,
    generator: torch.Generator,
    *,
    batch_size: int | None = None,
    rows: torch.Tensor | None = None,
) -> torch.Tensor:
    """Light augmentation of a normalised float batch N x C x H x W (see the module docstring).

    The random numbers come from ``generator`` (a CPU generator, so runs replay exactly); the
    warp itself runs on ``x``'s device. Under data parallelism every rank draws the parameters for
    the whole global batch (``batch_size``) and applies ``rows`` of them to its shard ``x``, so all
    ranks' generators stay in step.
    """
    n = x.shape[0] if batch_size is None else batch_size
    if n == 0 or x.shape[0] == 0:
        return x

    def uniform(lo: float, hi: float) -> torch.Tensor:
        return lo + (hi - lo) * torch.rand(n, generator=generator, dtype=torch.float32)

    area = uniform(0.75, 1.0)
    log_aspect = uniform(math.log(0.85), math.log(1.0 / 0.85))
    aspect = torch.exp(log_aspect)
    sx = torch.sqrt(area * aspect).clamp(max=1.0)  # crop width / image width
    sy = torch.sqrt(area / aspect).clamp(max=1.0)
    tx = (1.0 - sx) * uniform(-1.0, 1.0)  # crop centre, in -1..1 coordinates
    ty = (1.0 - sy) * uniform(-1.0, 1.0)
    angle = uniform(-12.0, 12.0) * (math.pi / 180.0)
    flip = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0)
    gain = uniform(0.85, 1.15)  # contrast
    bias = uniform(-0.15, 0.15)  # brightness, in normalised units
    if rows is not None:
        sx, sy, tx, ty, angle, flip, gain, bias = (t[rows] for t in (sx, sy, tx, ty, angle, flip, gain, bias))
    m = x.shape[0]
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack(
        [
            torch.stack([cos * sx * flip, -sin * sy, tx], dim=1),
            torch.stack([sin * sx * flip, cos * sy, ty], dim=1),
        ],
        dim=1,
    ).to(device=x.device, dtype=x.dtype)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
    gain = gain.to(device=x.device, dtype=x.dtype).view(m, 1, 1, 1)
    bias = bias.to(device=x.device, dtype=x.dtype).view(m, 1, 1, 1)
    return out * gain + bias
