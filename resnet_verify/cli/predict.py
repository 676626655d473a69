"""``resnet-verify predict``: class and probability for each image, from a training checkpoint."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from resnet_verify.errors import UsageError

if TYPE_CHECKING:  # torch loads only when a command runs, after OpenMP settings are made
    import torch

HELP = "predict the hand sign in images (jpg/png, any size) with a training checkpoint"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("predict", help=HELP, description=HELP + ".")
    p.add_argument("--checkpoint", metavar="FILE", required=True, help="best.pt or last.pt of a run")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files; resized to the training size")
    p.add_argument(
        "--top", type=int, default=1, metavar="K", help="show the K most likely classes (default 1)"
    )
    p.add_argument("--device", default=None, help="auto (default), cpu, cuda, cuda:N or mps")
    p.set_defaults(handler=run)


def load_image(path: Path, size: tuple[int, int, int]) -> torch.Tensor:
    """Open, apply EXIF orientation, convert to RGB, resize (bilinear, like the data set) to H x W.

    A uint8 tensor 3 x H x W.
    """
    import numpy as np
    import torch
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder, not an image")
    try:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
            image = image.resize((size[2], size[1]), Image.Resampling.BILINEAR)
            array = np.asarray(image, dtype=np.uint8)
    except UnidentifiedImageError:
        raise UsageError(f"{path}: not an image (only files Pillow can read: jpg, png, ...)") from None
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UsageError(
            f"{path}: unreadable image ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
        ) from None
    return torch.from_numpy(array.copy()).permute(2, 0, 1)


def run(args: argparse.Namespace) -> int:
    import torch

    from resnet_verify.train.checkpoint import load_checkpoint, rebuild_model
    from resnet_verify.train.loop import predict_logits, select_device

    if args.top < 1:
        raise UsageError(f"--top must be at least 1, got {args.top}")
    ckpt_path = Path(args.checkpoint)
    ckpt = load_checkpoint(ckpt_path)
    config = ckpt["config"]
    channels, height, width = (int(v) for v in config["input_size"])  # load_checkpoint checked [C, H, W]
    size = (channels, height, width)
    if size[0] != 3:
        raise UsageError(f"{ckpt_path}: the model takes {size[0]} channels; predict reads RGB images")
    paths = [Path(p) for p in args.images]
    batch = torch.stack([load_image(p, size) for p in paths])  # every file checked before any prediction
    device = select_device(args.device)
    model = rebuild_model(ckpt, source=str(ckpt_path), device=device)
    flip = bool(config.get("tta_flip"))  # the run's own evaluation: mirrored views averaged or not
    probs = torch.softmax(
        predict_logits(
            model,
            batch,
            config["mean"],
            config["std"],
            device,
            flip=flip,
            output_key=config.get("output_key"),
        ),
        dim=1,
    )
    classes = [str(c) for c in config["classes"]]
    k = min(args.top, len(classes))
    width = max(len(str(p)) for p in paths)
    for path, row in zip(paths, probs):
        values, indices = row.topk(k)
        guesses = ", ".join(f"{classes[int(i)]} ({float(v):.1%})" for v, i in zip(values, indices))
        print(f"{str(path).ljust(width)}  {guesses}")
    return 0
