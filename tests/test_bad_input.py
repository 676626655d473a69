"""Bad input never produces a traceback: every command, a corpus of bad files, flags and specs.

Each case runs ``resnet_verify.cli.main.main`` in-process and expects exit 2, nothing on stdout and one
``resnet-verify: error: ...`` line on stderr that names the problem (the only other lines allowed
are the training gate's ``gate: ...`` notes, printed before a resume fails). A few cases also run as
a real ``python3 -m resnet_verify`` process, to prove no traceback reaches a terminal. Whatever the
user's model raises in ``forward``, ``compare`` reports a ``crash`` mismatch and exits 1.

Every bad file is generated under a temporary folder: tiny HDF5 files (h5py), tiny JPEGs (Pillow),
checkpoints built with :func:`resnet_verify.train.checkpoint.make_checkpoint` (no training).
"""

from __future__ import annotations

import copy
import json
import os
import pickle
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
from resnet_verify.specs.builders import build_model
from resnet_verify.train.checkpoint import FORMAT, capture_rng, make_checkpoint
from resnet_verify.train.loop import TrainConfig, make_optimizer
from resnet_verify.train.recipes import Optimizer, Schedule

MODELS = """
import sys

import torch
from torch import nn


class Tiny(nn.Module):
    def __init__(self, num_classes=3):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, num_classes)

    def forward(self, x):
        return self.fc(torch.relu(self.bn(self.conv(x))).mean((2, 3)))


# Dicts and tuples holding a tensor are valid outputs (the first tensor, .logits, 'logits'/'out');
# these hold none.
class ReturnsDictOfText(Tiny):
    def forward(self, x):
        super().forward(x)
        return {"label": "five"}


class ReturnsTupleOfText(Tiny):
    def forward(self, x):
        super().forward(x)
        return "five", 5


class ReturnsNone(Tiny):
    def forward(self, x):
        super().forward(x)


NOT_CALLABLE = 42


def returns_int(num_classes=3):
    return 7


def ctor_raises(num_classes=3):
    raise ValueError("width must be even")


def ctor_exits(num_classes=3):
    sys.exit(3)


def needs_depth(depth, num_classes=3):
    return Tiny(num_classes)


class Custom(Exception):
    pass


def _recurse(n):
    return _recurse(n + 1)


class CrashRuntimeError(Tiny):
    def forward(self, x):
        raise RuntimeError("shapes do not line up")


class CrashValueError(Tiny):
    def forward(self, x):
        raise ValueError("bad value")


class CrashAssertionError(Tiny):
    def forward(self, x):
        assert x.shape[1] == 4, "expected 4 channels"
        return super().forward(x)


class CrashKeyError(Tiny):
    def forward(self, x):
        return {}["features"]


class CrashCustom(Tiny):
    def forward(self, x):
        raise Custom("my own error\\nwith a second line")


class CrashZeroDivisionError(Tiny):
    def forward(self, x):
        return x / 0 if 1 / 0 else x


class CrashRecursionError(Tiny):
    def forward(self, x):
        return _recurse(0)


class CrashNotImplementedError(Tiny):
    def forward(self, x):
        raise NotImplementedError("later")


class CrashTypeError(Tiny):
    def forward(self, x):
        return super().forward(x, x)


class CrashIndexError(Tiny):
    def forward(self, x):
        return [][1]


class CrashAttributeError(Tiny):
    def forward(self, x):
        return self.no_such_layer(x)


class CrashSystemExit(Tiny):
    def forward(self, x):
        sys.exit(0)
"""

CLASSES = ["0", "1", "2"]
SIZE = 32
ERROR = "resnet-verify: error: "


# ------------------------------------------------------------------------------------ bad files


def write_h5_pair(folder: Path, train: dict | None = None, test: dict | None = None, n: tuple[int, int] = (6, 3),
                  side: int = SIZE) -> Path:  # fmt: skip
    """A SIGNS HDF5 pair in ``folder``; ``train``/``test`` override datasets (None deletes one)."""
    folder.mkdir(parents=True, exist_ok=True)
    for split, count, over in (("train", n[0], train or {}), ("test", n[1], test or {})):
        data: dict[str, np.ndarray] = {
            f"{split}_set_x": np.full((count, side, side, 3), 100, np.uint8),
            f"{split}_set_y": np.arange(count) % len(CLASSES),
            "list_classes": np.arange(len(CLASSES)),
        }
        for key, value in over.items():
            if value is None:
                data.pop(key)
            else:
                data[key] = value
        with h5py.File(folder / f"{split}_signs.h5", "w") as handle:
            for key, value in data.items():
                handle[key] = value
    return folder


def write_image(path: Path, side: int = 16) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((side, side, 3), 90, np.uint8)).save(path)
    return path


def image_folder(root: Path, train: dict[str, int | None], test: dict[str, int | None]) -> Path:
    """``root/64x64_SIGNS/{train,test}_signs`` with files name -> side (None: a text file)."""
    for sub, files in (("train_signs", train), ("test_signs", test)):
        folder = root / "64x64_SIGNS" / sub
        folder.mkdir(parents=True, exist_ok=True)
        for name, side in files.items():
            if side is None:
                (folder / name).write_text("not a picture")
            else:
                write_image(folder / name, side)
    return root


class _Evil:
    """Unpickling this would create a file: ``weights_only=True`` must refuse it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _config(spec: str, data: Path, channels: int = 3) -> dict:
    mean, std = [0.4] * channels, [0.2] * channels
    return TrainConfig(model=spec, num_classes=len(CLASSES), input_size=[channels, SIZE, SIZE], classes=list(CLASSES),
                       mean=mean, std=std, epochs=2, batch_size=3, optimizer=Optimizer.ADAMW, lr=0.01, momentum=0.9,
                       nesterov=False, weight_decay=0.0, label_smoothing=0.0, schedule=Schedule.CONSTANT, warmup_epochs=0.0,
                       augment=False, data=str(data), allow_mismatch=True).to_dict()  # fmt: skip


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every good and bad file the cases name, by placeholder."""
    root = tmp_path_factory.mktemp("bad_input")
    p: dict[str, Path] = {"tmp": root}

    # --- model files
    models = root / "models.py"
    models.write_text(textwrap.dedent(MODELS))
    p["models"] = models
    (root / "syntax.py").write_text("import torch\n\ndef build(num_classes=3:\n    return None\n")
    (root / "raises.py").write_text("import torch\n\nraise RuntimeError('no GPU driver here')\n")
    (root / "latin1.py").write_bytes("# caf\xe9\nx = 1\n".encode("latin-1"))
    (root / "pkg.py").mkdir()
    p.update({"syntax": root / "syntax.py", "raises": root / "raises.py", "latin1": root / "latin1.py",
              "pkgdir": root / "pkg.py"})  # fmt: skip

    # --- data
    good = write_h5_pair(root / "good")
    p["good"] = good
    p["other_classes"] = write_h5_pair(root / "other_classes", train={"list_classes": np.arange(4)},
                                       test={"list_classes": np.arange(4)})  # fmt: skip
    not_h5 = root / "not_h5"
    not_h5.mkdir()
    (not_h5 / "train_signs.h5").write_text("this is not HDF5")
    (not_h5 / "test_signs.h5").write_bytes(b"")
    p["not_h5"] = not_h5
    p["h5_missing_key"] = write_h5_pair(root / "h5_missing_key", train={"train_set_y": None})
    p["h5_int32"] = write_h5_pair(
        root / "h5_int32", train={"train_set_x": np.zeros((6, SIZE, SIZE, 3), np.int32)}
    )
    nan = np.zeros((6, SIZE, SIZE, 3), np.float32)
    nan[0, 0, 0, 0] = np.nan
    p["h5_nan"] = write_h5_pair(root / "h5_nan", train={"train_set_x": nan})
    p["h5_rank"] = write_h5_pair(root / "h5_rank", test={"test_set_x": np.zeros((3, SIZE, SIZE), np.uint8)})
    p["h5_counts"] = write_h5_pair(root / "h5_counts", train={"train_set_y": np.zeros(4, np.int64)})
    p["h5_labels"] = write_h5_pair(root / "h5_labels", test={"test_set_y": np.array([0, 1, 7])})
    p["h5_float_labels"] = write_h5_pair(root / "h5_float_labels", train={"train_set_y": np.full(6, 0.5)})
    p["h5_empty"] = write_h5_pair(root / "h5_empty", test={"test_set_x": np.zeros((0, SIZE, SIZE, 3), np.uint8),
                                                           "test_set_y": np.zeros(0, np.int64)})  # fmt: skip
    p["h5_tiny_images"] = write_h5_pair(root / "h5_tiny_images", side=4)
    p["h5_classes_differ"] = write_h5_pair(root / "h5_classes_differ", test={"list_classes": np.array([0, 1, 5]),
                                                                             "test_set_y": np.array([0, 1, 5])})  # fmt: skip
    only_train = root / "only_train"
    write_h5_pair(only_train)
    (only_train / "test_signs.h5").unlink()
    p["only_train"] = only_train
    p["empty_dir"] = root / "empty_dir"
    p["empty_dir"].mkdir()
    p["a_file"] = root / "a_file.txt"
    p["a_file"].write_text("hello")
    p["no_images"] = root / "no_images"
    (root / "no_images" / "64x64_SIGNS" / "train_signs").mkdir(parents=True)
    (root / "no_images" / "64x64_SIGNS" / "train_signs" / "README.txt").write_text("images go here")
    p["bad_names"] = image_folder(root / "bad_names", {"photo.jpg": 16}, {"0_IMG_1.jpg": 16})
    p["not_images"] = image_folder(root / "not_images", {"0_IMG_1.jpg": None}, {"0_IMG_2.jpg": 16})
    p["mixed_sizes"] = image_folder(
        root / "mixed_sizes", {"0_IMG_1.jpg": 16, "1_IMG_2.jpg": 20}, {"0_IMG_3.jpg": 16}
    )
    p["no_test_split"] = root / "no_test_split"
    write_image(root / "no_test_split" / "64x64_SIGNS" / "train_signs" / "0_IMG_1.jpg")

    # --- checkpoints
    spec = f"{models}:Tiny"
    model, _ = build_model(spec, num_classes=len(CLASSES))
    config = _config(spec, good)
    optimizer = make_optimizer(TrainConfig.from_dict(config), model)
    rng = capture_rng(torch.Generator().manual_seed(0))
    best = {"epoch": 1, "test_acc": 0.5, "test_loss": 1.0}
    last = make_checkpoint(model=model, config=config, epoch=1, step=2, history=[], best=best,
                           optimizer=optimizer, rng=rng)  # fmt: skip
    save_atomic(last, root / "good.pt")
    p["good_pt"] = root / "good.pt"
    data = (root / "good.pt").read_bytes()
    (root / "truncated.pt").write_bytes(data[: len(data) // 2])
    (root / "text.pt").write_text("definitely not a checkpoint")
    p["truncated_pt"], p["text_pt"] = root / "truncated.pt", root / "text.pt"
    torch.save({"format": FORMAT, "version": 1, "payload": _Evil(root / "pwned")}, root / "evil.pt")
    p["evil_pt"], p["pwned"] = root / "evil.pt", root / "pwned"
    torch.save(model.state_dict(), root / "state_dict.pt")  # a bare state_dict: not a training checkpoint
    p["state_dict_pt"] = root / "state_dict.pt"
    torch.save([1, 2, 3], root / "list.pt")
    (root / "raw.pt").write_bytes(
        pickle.dumps({"weights": [1.0]}, protocol=4)
    )  # plain pickle, not torch.save
    p["raw_pickle_pt"] = root / "raw.pt"
    p["list_pt"] = root / "list.pt"

    def variant(name: str, change) -> None:
        ckpt = copy.deepcopy(last)
        change(ckpt)
        save_atomic(ckpt, root / f"{name}.pt")
        p[f"{name}_pt"] = root / f"{name}.pt"

    variant("wrong_arch", lambda c: c.__setitem__("model", {"features.0.weight": torch.zeros(8, 3, 3, 3)}))
    variant("bad_config", lambda c: c["config"].__setitem__("input_size", "32x32"))
    variant("model_gone", lambda c: c["config"].__setitem__("model", f"{root / 'deleted.py'}:Tiny"))
    variant("no_epochs", lambda c: c["config"].pop("epochs"))
    variant(
        "one_group", lambda c: c.__setitem__("optimizer", torch.optim.AdamW(model.parameters()).state_dict())
    )

    def grey(ckpt: dict) -> None:
        ckpt["config"] = _config(f"{models}:Tiny", good, channels=1)

    variant("grey", grey)

    # --- images
    p["jpg"] = write_image(root / "hand.jpg")
    (root / "notes.png").write_text("not a picture")
    (root / "empty.jpg").write_bytes(b"")
    (root / "cut.jpg").write_bytes(p["jpg"].read_bytes()[:60])
    p.update({"notes_png": root / "notes.png", "empty_jpg": root / "empty.jpg", "cut_jpg": root / "cut.jpg"})
    p["out_file"] = root / "taken.txt"
    p["out_file"].write_text("a file, not a folder")
    return {k: str(v) for k, v in p.items()}


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, out: str, err: str, needle: str) -> None:
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines and lines[-1].startswith(ERROR), err
    assert all(line.startswith("gate: ") for line in lines[:-1]), err  # only the gate's note may precede it
    assert needle in lines[-1], lines[-1]


# ------------------------------------------------------------------------------------- the corpus

M = "{models}"
TRAIN = [
    "train",
    "--out",
    "{tmp}/run",
    "--model",
    f"{M}:Tiny",
    "--allow-mismatch",
    "--device",
    "cpu",
    "--no-progress",
]
COMPARE = ["compare", "--input-size", "32", "--num-classes", "3"]
PORT = ["port", "--from", "resnet18", "--to", "resnet18", "--out", "{tmp}/ported.pt", "--input-size", "32"]
EVALUATE = ["evaluate", "--data", "{good}", "--device", "cpu", "--out", "{tmp}/eval"]
PREDICT = ["predict", "--device", "cpu"]

CASES: list[tuple[str, list[str], str]] = [
    # ---- compare: model specs (test_cli covers unknown names, missing files and sizes 0/-3/16/64x64)
    ("compare-syntax-error", [*COMPARE, "--model", "{syntax}:build"], "syntax error in"),
    (
        "compare-raises-on-import",
        [*COMPARE, "--model", "{raises}:build"],
        "raised RuntimeError: no GPU driver here",
    ),
    (
        "compare-no-such-attribute",
        [*COMPARE, "--model", f"{M}:Tinny"],
        "has no attribute 'Tinny' (did you mean Tiny?)",
    ),
    ("compare-not-callable", [*COMPARE, "--model", f"{M}:NOT_CALLABLE"], "is not callable"),
    (
        "compare-constructor-raises",
        [*COMPARE, "--model", f"{M}:ctor_raises"],
        "raised ValueError: width must be even",
    ),
    ("compare-constructor-exits", [*COMPARE, "--model", f"{M}:ctor_exits"], "raised SystemExit: 3"),
    (
        "compare-returns-non-module",
        [*COMPARE, "--model", f"{M}:returns_int"],
        "returned int, not a torch.nn.Module",
    ),
    (
        "compare-forward-returns-dict",
        [*COMPARE, "--model", f"{M}:ReturnsDictOfText"],
        "returns no tensor",
    ),
    (
        "compare-forward-returns-tuple",
        [*COMPARE, "--model", f"{M}:ReturnsTupleOfText"],
        "returns no tensor",
    ),
    ("compare-forward-returns-none", [*COMPARE, "--model", f"{M}:ReturnsNone"], "returns no tensor"),
    (
        "compare-needs-arguments",
        [*COMPARE, "--model", f"{M}:needs_depth"],
        "needs arguments that cannot be given: depth",
    ),
    ("compare-spec-is-a-folder", [*COMPARE, "--model", "{pkgdir}:build"], "is a directory"),
    ("compare-spec-not-utf8", [*COMPARE, "--model", "{latin1}:build"], "cannot read model file"),
    ("compare-spec-two-colons", [*COMPARE, "--model", "a.py:b:c"], "malformed model spec"),
    ("compare-spec-empty", [*COMPARE, "--model", " "], "empty model spec"),
    (
        "compare-spec-no-module",
        [*COMPARE, "--model", "no_such_module_xyz:build"],
        "no module named 'no_such_module_xyz'",
    ),
    ("compare-spec-not-a-name", [*COMPARE, "--model", f"{M}:3d"], "is not a Python name"),
    # ---- compare: sizes, names, flags
    ("compare-size-word", ["compare", "--model", "resnet18", "--input-size", "big"], "malformed input size"),
    ("compare-size-empty", ["compare", "--model", "resnet18", "--input-size", ""], "malformed input size"),
    ("compare-size-zero-side", ["compare", "--model", "resnet18", "--input-size", "3x64x0"], "positive"),
    (
        "compare-size-four-parts",
        ["compare", "--model", "resnet18", "--input-size", "1x3x64x64"],  # a 3-D size: 1 channel, 3 frames
        "a 2-D network cannot be compared layer by layer with a 3-D one",
    ),
    ("compare-size-too-small", ["compare", "--model", "resnet18", "--input-size", "3x64x8"], "too small"),
    (
        "compare-unknown-reference",
        [*COMPARE, "--model", "resnet18", "--reference", "resnet51"],
        "did you mean",
    ),
    ("compare-negative-classes", ["compare", "--model", "resnet18", "--num-classes", "-4"], "--num-classes"),
    (
        "compare-classes-not-int",
        ["compare", "--model", "resnet18", "--num-classes", "six"],
        "invalid int value",
    ),
    ("compare-unknown-color", ["compare", "--model", "resnet18", "--color", "purple"], "invalid choice"),
    ("compare-output-is-folder", [*COMPARE, "--model", "resnet18", "--output", "{tmp}"], "is a directory"),
    (
        "compare-weights-need-equivalence",
        [*COMPARE, "--model", "resnet18", "--reference-weights", "{good_pt}"],
        "needs --equivalence",
    ),
    ("compare-negative-atol", [*COMPARE, "--model", "resnet18", "--equivalence", "--atol", "-1"], "--atol"),
    (
        "compare-weights-missing",
        [*COMPARE, "--model", "resnet18", "--equivalence", "--reference-weights", "{tmp}/nope.pt"],
        "no such file",
    ),
    (
        "compare-weights-evil-pickle",
        [*COMPARE, "--model", "resnet18", "--equivalence", "--reference-weights", "{evil_pt}"],
        "refused by torch.load(weights_only=True)",
    ),
    (
        "compare-weights-truncated",
        [*COMPARE, "--model", "resnet18", "--equivalence", "--reference-weights", "{truncated_pt}"],
        "truncated or corrupt",
    ),
    (
        "compare-weights-not-a-state-dict",
        [*COMPARE, "--model", "resnet18", "--equivalence", "--reference-weights", "{list_pt}"],
        "not a state_dict",
    ),
    (
        "compare-weights-wrong-architecture",
        [*COMPARE, "--model", "resnet18", "--equivalence", "--reference-weights", "{state_dict_pt}"],
        "wrong architecture",
    ),
    # ---- summary
    ("summary-syntax-error", ["summary", "--model", "{syntax}:build"], "syntax error in"),
    (
        "summary-zero-classes",
        ["summary", "--model", "resnet18", "--num-classes", "0"],
        "num_classes must be a positive",
    ),
    ("summary-size-too-small", ["summary", "--model", "resnet18", "--input-size", "8"], "too small"),
    ("summary-size-negative", ["summary", "--model", "resnet18", "--input-size", "-5"], "must be positive"),
    (
        "summary-size-malformed",
        ["summary", "--model", "resnet18", "--input-size", "3x32x32x32x32"],
        "malformed input size",
    ),
    (
        "summary-unknown-torchvision",
        ["summary", "--model", "torchvision:resnet99"],
        "torchvision has no model builder",
    ),
    ("summary-depth-not-int", ["summary", "--model", "resnet18", "--depth", "deep"], "invalid int value"),
    # ---- port
    (
        "port-unknown-from",
        ["port", "--from", "torchvision:vgg16", "--to", "resnet18", "--out", "{tmp}/p.pt"],
        "unknown reference",
    ),
    (
        "port-to-no-attribute",
        ["port", "--from", "resnet18", "--to", f"{M}:Nope", "--out", "{tmp}/p.pt"],
        "has no attribute",
    ),
    (
        "port-to-returns-no-tensor",
        [
            "port",
            "--from",
            "resnet18",
            "--to",
            f"{M}:ReturnsDictOfText",
            "--out",
            "{tmp}/p.pt",
            "--input-size",
            "32",
            "--num-classes",
            "3",
        ],
        "returns no tensor",
    ),
    ("port-missing-to", ["port", "--from", "resnet18", "--out", "{tmp}/p.pt"], "required: --to"),
    (
        "port-weights-evil-pickle",
        [*PORT, "--weights", "{evil_pt}"],
        "refused by torch.load(weights_only=True): its pickle asks to run code (",
    ),
    ("port-weights-truncated", [*PORT, "--weights", "{truncated_pt}"], "truncated or corrupt"),
    ("port-weights-text-file", [*PORT, "--weights", "{text_pt}"], "text.pt: not a torch.save file"),
    ("port-weights-missing", [*PORT, "--weights", "{tmp}/nope.pt"], "no such file"),
    ("port-weights-wrong-architecture", [*PORT, "--weights", "{state_dict_pt}"], "wrong architecture"),
    (
        "port-out-is-folder",
        ["port", "--from", "resnet18", "--to", "resnet18", "--out", "{tmp}"],
        "is a directory",
    ),
    (
        "port-out-folder-missing",
        ["port", "--from", "resnet18", "--to", "resnet18", "--out", "{tmp}/no/dir/p.pt"],
        "does not exist",
    ),
    ("port-zero-classes", [*PORT, "--num-classes", "0"], "--num-classes must be at least 1"),
    (
        "port-size-zero",
        ["port", "--from", "resnet18", "--to", "resnet18", "--out", "{tmp}/p.pt", "--input-size", "0"],
        "positive",
    ),
    # ---- train: data
    ("train-data-missing", [*TRAIN, "--data", "{tmp}/nowhere"], "no such folder"),
    ("train-data-is-a-file", [*TRAIN, "--data", "{a_file}"], "not a folder"),
    ("train-data-empty-folder", [*TRAIN, "--data", "{empty_dir}"], "found neither"),
    ("train-not-hdf5", [*TRAIN, "--data", "{not_h5}"], "train_signs.h5: not an HDF5 file"),
    ("train-h5-missing-key", [*TRAIN, "--data", "{h5_missing_key}"], "missing dataset 'train_set_y'"),
    ("train-h5-wrong-dtype", [*TRAIN, "--data", "{h5_int32}"], "dtype int32, expected uint8"),
    ("train-h5-nan-pixels", [*TRAIN, "--data", "{h5_nan}"], "non-finite values"),
    ("train-h5-wrong-rank", [*TRAIN, "--data", "{h5_rank}"], "expected N x H x W x 3"),
    ("train-h5-count-mismatch", [*TRAIN, "--data", "{h5_counts}"], "4 labels for 6 images"),
    ("train-h5-labels-out-of-range", [*TRAIN, "--data", "{h5_labels}"], "labels [7] not in list_classes"),
    ("train-h5-fractional-labels", [*TRAIN, "--data", "{h5_float_labels}"], "non-integer values"),
    ("train-h5-empty-split", [*TRAIN, "--data", "{h5_empty}"], "test_set_x holds no images"),
    ("train-h5-tiny-images", [*TRAIN, "--data", "{h5_tiny_images}"], "smaller than 8x8"),
    ("train-h5-classes-differ", [*TRAIN, "--data", "{h5_classes_differ}"], "differs from train_signs.h5"),
    ("train-h5-test-file-missing", [*TRAIN, "--data", "{only_train}"], "test_signs.h5: missing"),
    ("train-folder-no-images", [*TRAIN, "--data", "{no_images}"], "no images"),
    ("train-folder-bad-names", [*TRAIN, "--data", "{bad_names}"], "photo.jpg: badly named file"),
    ("train-folder-not-an-image", [*TRAIN, "--data", "{not_images}"], "0_IMG_1.jpg: not a readable image"),
    ("train-folder-mixed-sizes", [*TRAIN, "--data", "{mixed_sizes}"], "image is 20x20"),
    ("train-folder-no-test-split", [*TRAIN, "--data", "{no_test_split}"], "no test_signs folder"),
    # ---- train: flags, models, folders
    ("train-no-data", ["train", "--out", "{tmp}/run"], "needs --data"),
    ("train-zero-epochs", [*TRAIN, "--data", "{good}", "--epochs", "0"], "--epochs must be at least 1"),
    (
        "train-zero-batch",
        [*TRAIN, "--data", "{good}", "--batch-size", "0"],
        "--batch-size must be at least 1",
    ),
    ("train-negative-lr", [*TRAIN, "--data", "{good}", "--lr", "-0.1"], "--lr must be a positive number"),
    ("train-nan-lr", [*TRAIN, "--data", "{good}", "--lr", "nan"], "--lr must be a positive number"),
    (
        "train-label-smoothing-one",
        [*TRAIN, "--data", "{good}", "--label-smoothing", "1"],
        "--label-smoothing",
    ),
    (
        "train-stop-after-zero",
        [*TRAIN, "--data", "{good}", "--stop-after", "0"],
        "--stop-after must be at least 1",
    ),
    ("train-unknown-recipe", [*TRAIN, "--data", "{good}", "--recipe", "fast"], "invalid choice"),
    ("train-unknown-device", [*TRAIN, "--data", "{good}", "--device", "tpu"], "device 'tpu'"),
    ("train-no-cuda", [*TRAIN, "--data", "{good}", "--device", "cuda:0"], "CUDA is not available"),
    (
        "train-model-syntax-error",
        ["train", "--data", "{good}", "--out", "{tmp}/run", "--model", "{syntax}:build", "--device", "cpu"],
        "syntax error in",
    ),
    (
        "train-out-is-a-file",
        [*TRAIN, "--data", "{good}", "--out", "{out_file}"],
        "is a file, not a run folder",
    ),
    # ---- train --resume: checkpoints
    ("resume-without-out", ["train", "--resume", "--device", "cpu"], "--resume needs --out"),
    ("resume-missing", ["train", "--resume", "{tmp}/nope.pt", "--device", "cpu"], "no such file"),
    (
        "resume-evil-pickle",
        ["train", "--resume", "{evil_pt}", "--device", "cpu"],
        "weights_only loading forbids arbitrary code",
    ),
    ("resume-truncated", ["train", "--resume", "{truncated_pt}", "--device", "cpu"], "truncated or corrupt"),
    (
        "resume-bare-state-dict",
        ["train", "--resume", "{state_dict_pt}", "--device", "cpu"],
        "not a resnet-verify training checkpoint",
    ),
    (
        "resume-bad-config",
        ["train", "--resume", "{bad_config_pt}", "--device", "cpu"],
        "malformed config: input_size",
    ),
    (
        "resume-config-lacks-epochs",
        ["train", "--resume", "{no_epochs_pt}", "--device", "cpu"],
        "its config is not a training run's",
    ),
    (
        "resume-wrong-architecture",
        [
            "train",
            "--resume",
            "{wrong_arch_pt}",
            "--out",
            "{tmp}/resumed",
            "--device",
            "cpu",
            "--no-progress",
        ],
        "wrong_arch.pt: weights do not fit",
    ),
    (
        "resume-optimizer-does-not-fit",
        [
            "train",
            "--resume",
            "{one_group_pt}",
            "--out",
            "{tmp}/resumed2",
            "--device",
            "cpu",
            "--no-progress",
        ],
        "one_group.pt: its optimizer",
    ),
    # ---- evaluate
    ("evaluate-missing", [*EVALUATE, "--checkpoint", "{tmp}/nope.pt"], "no such file"),
    ("evaluate-folder", [*EVALUATE, "--checkpoint", "{tmp}"], "is a folder"),
    ("evaluate-truncated", [*EVALUATE, "--checkpoint", "{truncated_pt}"], "truncated or corrupt"),
    ("evaluate-text-file", [*EVALUATE, "--checkpoint", "{text_pt}"], "text.pt: not a torch.save file"),
    ("evaluate-raw-pickle", [*EVALUATE, "--checkpoint", "{raw_pickle_pt}"], "raw.pt: not a torch.save file"),
    (
        "evaluate-evil-pickle",
        [*EVALUATE, "--checkpoint", "{evil_pt}"],
        "weights_only loading forbids arbitrary code",
    ),
    (
        "evaluate-bare-state-dict",
        [*EVALUATE, "--checkpoint", "{state_dict_pt}"],
        "not a resnet-verify training checkpoint",
    ),
    ("evaluate-wrong-architecture", [*EVALUATE, "--checkpoint", "{wrong_arch_pt}"], "wrong architecture"),
    ("evaluate-bad-config", [*EVALUATE, "--checkpoint", "{bad_config_pt}"], "malformed config: input_size"),
    ("evaluate-model-file-gone", [*EVALUATE, "--checkpoint", "{model_gone_pt}"], "model file not found"),
    (
        "evaluate-other-classes",
        ["evaluate", "--checkpoint", "{good_pt}", "--data", "{other_classes}"],
        "has classes",
    ),
    (
        "evaluate-data-not-hdf5",
        ["evaluate", "--checkpoint", "{good_pt}", "--data", "{not_h5}"],
        "not an HDF5 file",
    ),
    (
        "evaluate-out-is-a-file",
        ["evaluate", "--checkpoint", "{good_pt}", "--data", "{good}", "--out", "{out_file}"],
        "is a file, not a folder",
    ),
    (
        "evaluate-unknown-split",
        [*EVALUATE, "--checkpoint", "{good_pt}", "--split", "holdout"],
        "invalid choice",
    ),
    # ---- predict
    (
        "predict-not-an-image",
        [*PREDICT, "--checkpoint", "{good_pt}", "{notes_png}"],
        "notes.png: not an image",
    ),
    ("predict-empty-file", [*PREDICT, "--checkpoint", "{good_pt}", "{empty_jpg}"], "empty.jpg: not an image"),
    (
        "predict-truncated-image",
        [*PREDICT, "--checkpoint", "{good_pt}", "{cut_jpg}"],
        "cut.jpg: unreadable image",
    ),
    ("predict-folder", [*PREDICT, "--checkpoint", "{good_pt}", "{tmp}"], "is a folder, not an image"),
    (
        "predict-missing-image",
        [*PREDICT, "--checkpoint", "{good_pt}", "{jpg}", "{tmp}/gone.jpg"],
        "gone.jpg: no such file",
    ),
    ("predict-no-images", [*PREDICT, "--checkpoint", "{good_pt}"], "required: IMAGE"),
    (
        "predict-top-zero",
        [*PREDICT, "--checkpoint", "{good_pt}", "--top", "0", "{jpg}"],
        "--top must be at least 1",
    ),
    (
        "predict-evil-pickle",
        [*PREDICT, "--checkpoint", "{evil_pt}", "{jpg}"],
        "weights_only loading forbids arbitrary code",
    ),
    ("predict-truncated", [*PREDICT, "--checkpoint", "{truncated_pt}", "{jpg}"], "truncated or corrupt"),
    (
        "predict-wrong-architecture",
        [*PREDICT, "--checkpoint", "{wrong_arch_pt}", "{jpg}"],
        "wrong architecture",
    ),
    ("predict-bad-config", [*PREDICT, "--checkpoint", "{bad_config_pt}", "{jpg}"], "malformed config"),
    ("predict-grey-model", [*PREDICT, "--checkpoint", "{grey_pt}", "{jpg}"], "takes 1 channels"),
]


@pytest.mark.parametrize(("argv", "needle"), [pytest.param(a, n, id=i) for i, a, n in CASES])
def test_bad_input_is_one_line_exit_2(paths: dict[str, str], argv: list[str], needle: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, out, err = run_cli(capsys, [a.format(**paths) for a in argv])
    assert_one_line_error(code, out, err, needle)
    assert not Path(paths["pwned"]).exists()  # no pickle ever ran code


def test_the_corpus_covers_every_command() -> None:
    commands = {argv[0] for _, argv, _ in CASES}
    assert {"compare", "summary", "port", "train", "evaluate", "predict"} <= commands
    assert len(CASES) >= 45
    assert len({i for i, _, _ in CASES}) == len(CASES)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="running as root: chmod 000 does not stop root from reading the file")  # fmt: skip
def test_unreadable_files(paths: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked_model = tmp_path / "locked.py"
    locked_model.write_text(Path(paths["models"]).read_text())
    locked_ckpt = tmp_path / "locked.pt"
    locked_ckpt.write_bytes(Path(paths["good_pt"]).read_bytes())
    for path in (locked_model, locked_ckpt):
        path.chmod(0)
    try:
        code, out, err = run_cli(capsys, [*COMPARE, "--model", f"{locked_model}:Tiny"])
        assert_one_line_error(code, out, err, "cannot read model file")
        code, out, err = run_cli(capsys, ["predict", "--checkpoint", str(locked_ckpt), paths["jpg"]])
        assert_one_line_error(code, out, err, "locked.pt")
    finally:
        for path in (locked_model, locked_ckpt):
            path.chmod(0o600)


# ------------------------------------------------------------------ whatever forward raises: crash


@pytest.mark.parametrize(
    "error",
    ["RuntimeError", "ValueError", "AssertionError", "KeyError", "Custom", "ZeroDivisionError", "RecursionError",
     "NotImplementedError", "TypeError", "IndexError", "AttributeError", "SystemExit"],
)  # fmt: skip
def test_forward_exceptions_are_crash_mismatches(paths: dict[str, str], error: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    spec = f"{paths['models']}:Crash{error}"
    code, out, err = run_cli(
        capsys, [*COMPARE, "--model", spec, "--reference", "resnet18", "--format", "json"]
    )
    assert code == 1, err
    assert "Traceback" not in err
    report = json.loads(out)
    assert report["ok"] is False
    assert [m["kind"] for m in report["mismatches"]] == ["crash"]
    assert report["crash"]["error_type"] == error
    if error == "Custom":  # every line that explains the failure, as the user's code raised it
        assert report["crash"]["message"] == "my own error\nwith a second line"


# ------------------------------------------------------------------------- through a real process

SUBPROCESS_CASES = [
    ("compare-syntax-error", [*COMPARE, "--model", "{syntax}:build"], 2, "syntax error in"),
    ("train-not-hdf5", [*TRAIN, "--data", "{not_h5}"], 2, "not an HDF5 file"),
    (
        "evaluate-evil-pickle",
        [*EVALUATE, "--checkpoint", "{evil_pt}"],
        2,
        "weights_only loading forbids arbitrary code",
    ),
    ("predict-not-an-image", [*PREDICT, "--checkpoint", "{good_pt}", "{notes_png}"], 2, "not an image"),
    # sys.exit(0) inside forward: a crash mismatch (exit 1), not a silent "success" with the model's code
    (
        "compare-forward-exits",
        [*COMPARE, "--model", f"{M}:CrashSystemExit", "--reference", "resnet18"],
        1,
        "SystemExit",
    ),
]


@pytest.mark.parametrize(
    ("argv", "expected", "needle"), [pytest.param(a, c, n, id=i) for i, a, c, n in SUBPROCESS_CASES]
)
def test_no_traceback_reaches_the_terminal(
    paths: dict[str, str], argv: list[str], expected: int, needle: str
) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "resnet_verify", *[a.format(**paths) for a in argv]],
                          capture_output=True, text=True, env=env, timeout=180, check=False)  # fmt: skip
    assert done.returncode == expected, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    if expected == 2:
        assert done.stdout == ""
        assert done.stderr.strip().count("\n") == 0 and done.stderr.startswith(ERROR), done.stderr
        assert needle in done.stderr
    else:
        assert needle in done.stdout  # the crash mismatch, in the report
    assert not Path(paths["pwned"]).exists()
