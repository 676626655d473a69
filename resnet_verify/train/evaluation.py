"""Evaluation: eval-mode logits (optionally averaged over a mirrored view), split accuracy, and the
final test evaluation of a finished run (result.json)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.specs.usercode import model_output
from resnet_verify.tracing.outputs import no_tensor_error, select_output
from resnet_verify.train.config import TrainConfig
from resnet_verify.train.data import SplitTensors, normalize
from resnet_verify.train.runtime import amp_dtype_for, uses_channels_last


@torch.no_grad()
def predict_logits(
    model: nn.Module,
    x: torch.Tensor,
    mean: list[float],
    std: list[float],
    device: torch.device,
    batch_size: int = 256,
    *,
    flip: bool = False,
    output_key: str | None = None,
) -> torch.Tensor:
    """Eval-mode logits (float32, on the CPU) for uint8 images N x 3 x H x W.

    With ``flip`` (``--tta-flip``) each image is also seen mirrored and the result is the log of the
    two views' mean softmax: argmax and cross-entropy of it are those of the averaged prediction.
    """
    was_training = model.training
    with model_output():  # the model's prints (train() overrides too) go to stderr, not the report
        model.eval()
    amp = amp_dtype_for(device)
    outputs = []

    def forward(batch: torch.Tensor) -> torch.Tensor:
        if uses_channels_last(device):
            batch = batch.contiguous(memory_format=torch.channels_last)
        # model_output: the model's prints go to stderr, never into evaluate's report
        with model_output(), torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
            out = select_output(model(batch), output_key)  # a ModelOutput's .logits, a tuple's first ...
            if out is None:
                raise no_tensor_error(type(model).__name__)
            return out.float()

    try:
        for start in range(0, x.shape[0], batch_size):
            batch = normalize(x[start : start + batch_size].to(device), mean, std)
            logits = forward(batch)
            if flip:
                probs = (logits.softmax(dim=1) + forward(batch.flip(3)).softmax(dim=1)) / 2
                logits = probs.clamp_min(1e-12).log()
            outputs.append(logits.cpu())
    finally:
        with model_output():
            model.train(was_training)
    return torch.cat(outputs) if outputs else torch.zeros(0, 0)


def evaluate_split(
    model: nn.Module, split: SplitTensors, config: TrainConfig, device: torch.device
) -> tuple[float, float]:
    logits = predict_logits(
        model, split.x, config.mean, config.std, device, flip=config.tta_flip, output_key=config.output_key
    )
    loss = F.cross_entropy(logits, split.y).item()
    acc = (logits.argmax(dim=1) == split.y).double().mean().item()
    return loss, acc


RESULT_SCHEMA_VERSION = 1


def score(logits: torch.Tensor, y: torch.Tensor, num_classes: int) -> dict[str, Any]:
    """Accuracy (a fraction), loss, correct count and confusion matrix (rows: true class)."""
    from resnet_verify.train.run_files import confusion_matrix

    predictions = logits.argmax(dim=1)
    correct = int((predictions == y).sum())
    return {
        "test_accuracy": correct / max(1, len(y)),
        "test_loss": F.cross_entropy(logits, y).item() if len(y) else float("nan"),
        "correct": correct,
        "images": len(y),
        "confusion": confusion_matrix(y, predictions, num_classes).tolist(),
    }


def final_evaluation(out_dir: str | Path, test: SplitTensors, device: torch.device) -> dict[str, Any]:
    """Once the run is complete: the test split, scored for the last epoch (``last.pt``) and for the
    validation-selected epoch (``best.pt``); writes result.json, confusion.png (final) and
    confusion_selected.png. This is the only place a training run reads the test split.
    """
    from resnet_verify._io import write_text_atomic
    from resnet_verify.train.checkpoint import load_checkpoint, rebuild_model
    from resnet_verify.train.run_files import plot_confusion

    out = Path(out_dir)
    result: dict[str, Any] = {"schema_version": RESULT_SCHEMA_VERSION}
    for name, file in (("final", "last.pt"), ("selected", "best.pt")):
        ckpt = load_checkpoint(out / file)
        config = TrainConfig.from_dict(ckpt["config"])
        model = rebuild_model(ckpt, source=str(out / file), device=device)
        logits = predict_logits(
            model, test.x, config.mean, config.std, device, flip=config.tta_flip, output_key=config.output_key
        )
        scored = score(logits, test.y, config.num_classes)
        result[name] = {"epoch": int(ckpt["epoch"]), "checkpoint": file, **scored}
        if name == "selected":
            result[name]["val_accuracy"] = float(ckpt["best"]["val_acc"])
        png = out / ("confusion.png" if name == "final" else "confusion_selected.png")
        title = f"{config.recipe} seed {config.seed}, {name} (epoch {ckpt['epoch']}): {scored['correct']}/{len(test)}"
        plot_confusion(png, torch.tensor(scored["confusion"]), config.classes, title=title)
    history = load_checkpoint(out / "last.pt")["history"]
    result["selected_on"] = config.selected_on
    result["epochs"] = len(history)
    result["wall_s"] = float(history[-1]["elapsed_s"]) if history else 0.0
    result["images_per_s"] = float(statistics.median(r["images_per_s"] for r in history)) if history else 0.0
    write_text_atomic(out / "result.json", json.dumps(result, indent=2, sort_keys=True) + "\n")
    return result
