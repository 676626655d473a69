"""``resnet-verify evaluate``: accuracy, per-class accuracy and confusion matrix of a checkpoint."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from resnet_verify.errors import UsageError

if TYPE_CHECKING:  # torch loads only when a command runs, after OpenMP settings are made
    import torch

HELP = "evaluate a training checkpoint on SIGNS: accuracy, per-class accuracy, confusion matrix"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("evaluate", help=HELP, description=HELP + ".")
    p.add_argument("--checkpoint", metavar="FILE", required=True, help="best.pt or last.pt of a run")
    p.add_argument("--data", metavar="DIR", required=True, help="SIGNS folder (HDF5 pair or 64x64_SIGNS)")
    p.add_argument("--split", choices=("test", "val", "train"), default="test",
                   help="which split (default test; val: the run's validation split)")  # fmt: skip
    p.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="folder for the confusion-matrix PNG, named evaluate-CHECKPOINT-SPLIT-confusion.png so it never "
        "replaces a file train wrote (default: the checkpoint's folder)",
    )
    p.add_argument("--device", default=None, help="auto (default), cpu, cuda, cuda:N or mps")
    p.set_defaults(handler=run)


def _at_model_size(x: torch.Tensor, size: tuple[int, ...], source: str) -> torch.Tensor:
    """uint8 images resized to the (C, H, W) the checkpoint's model was trained at."""
    from resnet_verify.train.data import resize_images

    if x.shape[1] != size[0]:
        raise UsageError(f"{source} has {x.shape[1]} channels, the model takes {size[0]}")
    return resize_images(x, (size[1], size[2]))


def evaluation_png_name(checkpoint: Path, split: str) -> str:
    """``evaluate-best-test-confusion.png``: its own name, beside the run's files, never one of them
    (train writes confusion.png / confusion_selected.png for the test split and keeps them)."""
    return f"evaluate-{checkpoint.stem}-{split}-confusion.png"


def run(args: argparse.Namespace) -> int:
    import torch.nn.functional as F

    from resnet_verify.train.checkpoint import load_checkpoint, rebuild_model
    from resnet_verify.train.data import load_signs
    from resnet_verify.train.loop import predict_logits, select_device
    from resnet_verify.train.run_files import confusion_matrix, format_confusion, plot_confusion

    ckpt_path = Path(args.checkpoint)
    if args.out is not None and Path(args.out).exists() and not Path(args.out).is_dir():
        raise UsageError(f"--out {args.out} is a file, not a folder")  # checked before the slow work
    ckpt = load_checkpoint(ckpt_path)
    config = ckpt["config"]
    device = select_device(args.device)
    signs = load_signs(args.data)
    classes = [str(c) for c in config["classes"]]
    if list(signs.classes) != classes:
        raise UsageError(
            f"{signs.source} has classes {list(signs.classes)}, but {ckpt_path} was trained on {classes}"
        )
    split = {"test": signs.test, "val": signs.val, "train": signs.train}[args.split]
    x = _at_model_size(split.x, tuple(int(v) for v in config["input_size"]), signs.source)
    model = rebuild_model(ckpt, source=str(ckpt_path), device=device)
    logits = predict_logits(
        model,
        x,
        config["mean"],
        config["std"],
        device,
        flip=bool(config.get("tta_flip")),
        output_key=config.get("output_key"),
    )
    predictions = logits.argmax(dim=1)
    loss = F.cross_entropy(logits, split.y).item()
    correct = int((predictions == split.y).sum())
    matrix = confusion_matrix(split.y, predictions, len(classes))

    print(f"checkpoint {ckpt_path}: {config['model']}, epoch {ckpt.get('epoch', '?')}")
    print(f"data {signs.source}, {args.split} split: {len(split)} images")
    print(f"accuracy {correct / max(1, len(split)):.2%} ({correct}/{len(split)}), loss {loss:.4f}")
    print()
    print(format_confusion(matrix, classes))
    out = Path(args.out) if args.out else ckpt_path.parent
    out.mkdir(parents=True, exist_ok=True)
    png = out / evaluation_png_name(ckpt_path, args.split)
    plot_confusion(
        png,
        matrix,
        classes,
        title=f"{Path(str(config['model'])).name} - {args.split}: {correct}/{len(split)}",
    )
    print()
    print(f"confusion matrix: {png}")
    return 0
