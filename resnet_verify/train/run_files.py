"""What a training run leaves in its folder besides checkpoints: metrics.csv, curves.png, config.json,
result.json (the final test evaluation) and the confusion matrices (table and PNG).

``train_loss`` is the training objective (with label smoothing, on augmented batches, averaged over
the epoch while the weights change); ``val_loss`` is plain cross-entropy of the evaluated
end-of-epoch weights on the validation split, so the two curves are not on the same footing. The
test split has no column: it is evaluated once, after the last epoch (result.json). Accuracies are
fractions (0-1) in the CSV.

Plots use matplotlib's object API with the Agg canvas (no pyplot, no global backend switch), so this
works headless and never touches the state of a caller's matplotlib session.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from resnet_verify._io import write_bytes_atomic, write_text_atomic

METRIC_COLUMNS = (
    "epoch",
    "lr",
    "train_loss",
    "train_acc",
    "val_loss",
    "val_acc",
    "epoch_s",
    "elapsed_s",
    "images_per_s",
)


def write_config(path: str | Path, config: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(config, indent=2, sort_keys=True) + "\n")


def write_metrics(path: str | Path, history: Sequence[dict[str, Any]]) -> None:
    """Rewrite metrics.csv from the whole history (so a resumed run's file is always consistent)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=METRIC_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in history:
        writer.writerow({k: _fmt(row.get(k)) for k in METRIC_COLUMNS})
    write_text_atomic(path, buffer.getvalue())


def _fmt(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.6g}"
    return value


def plot_curves(path: str | Path, history: Sequence[dict[str, Any]], title: str = "") -> None:
    """Loss and accuracy per epoch, train and validation, side by side."""
    if history:
        _save_figure(curves_figure(history, title), Path(path))


def curves_figure(history: Sequence[dict[str, Any]], title: str = "") -> Any:
    """The matplotlib Figure of :func:`plot_curves` (``history`` not empty)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    epochs = [row["epoch"] for row in history]
    fig = Figure(figsize=(10, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax_loss, ax_acc = fig.subplots(1, 2)
    # One epoch has no line to draw: a "." marker alone is a speck, so a lone point gets a dot.
    mark: dict[str, Any] = {"marker": "o", "markersize": 7} if len(epochs) == 1 else {"marker": "."}
    ax_loss.plot(epochs, [r["train_loss"] for r in history], label="train", **mark)
    ax_loss.plot(epochs, [r["val_loss"] for r in history], label="validation", **mark)
    ax_loss.set(xlabel="epoch", ylabel="loss", title="loss")
    ax_acc.plot(epochs, [100 * r["train_acc"] for r in history], label="train", **mark)
    ax_acc.plot(epochs, [100 * r["val_acc"] for r in history], label="validation", **mark)
    if len(epochs) == 1:  # matplotlib would span 0.95-1.05 with fractional ticks
        for ax in (ax_loss, ax_acc):
            ax.set_xticks(epochs)
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(targets: torch.Tensor, predictions: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Rows: true class, columns: predicted class."""
    flat = targets.to(torch.int64) * num_classes + predictions.to(torch.int64)
    return torch.bincount(flat, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def format_confusion(matrix: torch.Tensor, classes: Sequence[str]) -> str:
    """A plain-text table: one row per true class, one column per prediction, then recall."""
    names = [str(c) for c in classes]
    width = max(5, *(len(n) for n in names), len(str(int(matrix.max()))) if matrix.numel() else 1)
    head = "true \\ pred".ljust(12) + "".join(n.rjust(width + 1) for n in names) + "   accuracy"
    lines = [head]
    for i, name in enumerate(names):
        row = matrix[i]
        total = int(row.sum())
        acc = f"{100 * int(row[i]) / total:6.1f}%" if total else "     -"
        lines.append(
            name.ljust(12)
            + "".join(str(int(v)).rjust(width + 1) for v in row)
            + f"   {acc}  ({int(row[i])}/{total})"
        )
    return "\n".join(lines)


def plot_confusion(path: str | Path, matrix: torch.Tensor, classes: Sequence[str], title: str = "") -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = len(classes)
    size = max(4.0, 0.6 * n + 2)
    fig = Figure(figsize=(size, size), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    values = matrix.to(torch.float64).numpy()
    ax.imshow(values, cmap="Blues")
    top = values.max() if values.size else 0
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(int(values[i, j])), ha="center", va="center",
                    color="white" if top and values[i, j] > top / 2 else "black")  # fmt: skip
    ax.set_xticks(range(n), [str(c) for c in classes])
    ax.set_yticks(range(n), [str(c) for c in classes])
    ax.set(xlabel="predicted", ylabel="true", title=title or "confusion matrix")
    fig.tight_layout()
    _save_figure(fig, Path(path))


def _save_figure(fig: Any, path: Path) -> None:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    write_bytes_atomic(path, buffer.getvalue())
