"""What ``train`` says around a run: a notice when the run is too short for its recipe, and the
short table it ends with (torch-free, so it is cheap to test).

A one-epoch run of the default recipe ends at chance accuracy with a validation loss of ~11: the
whole run is the learning-rate warm-up and the weight average has not settled. Nothing is wrong
with the model; without a word about it, that looks like a broken trainer.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resnet_verify.train.config import TrainConfig


class Horizon(str, enum.Enum):
    """A part of a recipe that needs a number of steps before its effect shows."""

    WARMUP = "warm-up"
    WEIGHT_AVERAGE = "weight average"


@dataclass(frozen=True, slots=True)
class Shortfall:
    """One horizon the run does not get past: what it needs, in steps and epochs."""

    horizon: Horizon
    steps: int
    epochs: float

    def phrase(self, whose: str) -> str:
        if self.horizon is Horizon.WARMUP:
            return f"inside {whose} warm-up ({_epochs(self.epochs)})"
        return f"before {whose} weight average settles (~{self.steps} steps, {_epochs(self.epochs)})"


@dataclass(frozen=True, slots=True)
class ShortRun:
    recipe: str
    epochs: int
    steps: int
    shortfalls: tuple[Shortfall, ...]

    def notice(self) -> str:
        """One line, said before the run starts and again as the run's last line."""
        whose = [f"the {self.recipe} recipe's", *["its"] * (len(self.shortfalls) - 1)]
        parts = " and ".join(s.phrase(w) for s, w in zip(self.shortfalls, whose))
        fixes = " ".join(_FIX[s.horizon] for s in self.shortfalls)
        return (
            f"short run: the run ({_epochs(self.epochs)}, {self.steps} steps) ends {parts}: expect low accuracy; "
            f"for a quick check add {fixes}"
        )


_FIX = {Horizon.WARMUP: "--warmup-epochs 0", Horizon.WEIGHT_AVERAGE: "--ema-decay 0"}


def _epochs(n: float) -> str:
    text = f"{n:g}" if n == int(n) else f"{n:.1f}"
    return f"{text} epoch" if n == 1 else f"{text} epochs"


def short_run(config: TrainConfig, train_images: int) -> ShortRun | None:
    """The horizons of ``config`` that a run of ``config.epochs`` does not pass; None when it
    passes all of them."""
    per_epoch = max(1, train_images // max(1, config.batch_size))  # the loop drops the last partial batch
    steps = config.epochs * per_epoch
    found = []
    if config.warmup_epochs > 0 and config.epochs <= config.warmup_epochs:
        warm = round(config.warmup_epochs * per_epoch)
        found.append(Shortfall(Horizon.WARMUP, warm, float(config.warmup_epochs)))
    if config.ema_decay > 0:
        span = math.ceil(1.0 / (1.0 - config.ema_decay))  # the average's time constant, in steps
        if steps < span:
            found.append(Shortfall(Horizon.WEIGHT_AVERAGE, span, span / per_epoch))
    if not found:
        return None
    return ShortRun(str(config.recipe), int(config.epochs), steps, tuple(found))


@dataclass(frozen=True, slots=True)
class _Row:
    label: str
    epoch: int
    val_acc: float
    test: Mapping[str, Any] | None


def final_table(
    out: Path, history: Sequence[Mapping[str, Any]], best: Mapping[str, Any], final: Mapping[str, Any] | None
) -> str:
    """The lines ``train`` ends with: the run folder, then the last and the validation-selected
    epochs with their validation and (once the run is complete) test accuracy."""
    if not history:
        return f"{out}: no epoch was trained"
    last = history[-1]
    rows = [
        _Row("after the last epoch", int(last["epoch"]), float(last["val_acc"]), (final or {}).get("final")),
        _Row(
            "selected on validation",
            int(best["epoch"]),
            float(best["val_acc"]),
            (final or {}).get("selected"),
        ),
    ]
    trained = f"{_epochs(int(last['epoch']))}, {float(last['elapsed_s']):.0f} s of training"
    lines = [f"{out}: {trained}" + ("" if final else " (unfinished: no test evaluation yet)")]
    cells = [("", "epoch", "validation", "test")]
    for r in rows:
        test = f"{r.test['test_accuracy']:.2%} ({r.test['correct']}/{r.test['images']})" if r.test else "-"
        cells.append((r.label, str(r.epoch), f"{r.val_acc:.2%}", test))
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    for c in cells:
        lines.append(
            f"  {c[0].ljust(widths[0])}  {c[1].rjust(widths[1])}  {c[2].rjust(widths[2])}  {c[3]}".rstrip()
        )
    return "\n".join(lines)


__all__ = ["Horizon", "ShortRun", "Shortfall", "final_table", "short_run"]
