"""The configuration of a training run: what config.json and every checkpoint's ``config`` hold."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from enum import Enum
from typing import Any

from resnet_verify.errors import UsageError
from resnet_verify.train.recipes import OPTIMIZERS, SCHEDULES, Optimizer, Schedule

SELECTED_ON = "val"  # the split best.pt is chosen on; the test split is never used to choose


def check_image_size(side: int) -> None:
    """0 keeps the data's size; a ResNet needs at least 32 px (five halvings to one pixel)."""
    if side != 0 and side < 32:
        raise UsageError(f"--image-size must be 0 (the data's own size) or at least 32, got {side}")


@dataclass
class TrainConfig:
    """Everything a run is: stored as a plain dict in config.json and in every checkpoint."""

    model: str
    num_classes: int
    input_size: list[int]
    classes: list[str]
    mean: list[float]
    std: list[float]
    epochs: int
    batch_size: int
    optimizer: Optimizer
    lr: float
    momentum: float
    nesterov: bool
    weight_decay: float
    label_smoothing: float
    schedule: Schedule
    warmup_epochs: float
    augment: bool
    ema_decay: float = 0.0
    tta_flip: bool = False
    mixup_alpha: float = 0.0
    cutmix_alpha: float = 0.0
    image_size: int = 0  # 0: the data's own size; else input_size is [3, image_size, image_size]
    recipe: str = "default"
    reference: str = "resnet50"
    seed: int = 0
    data: str = ""
    validation: str = ""  # how the validation split was drawn (Signs.validation)
    selected_on: str = SELECTED_ON
    allow_mismatch: bool = False
    output_key: str | None = None  # --output-key: the prediction inside a non-tensor forward output
    world_size: int = 1

    def __post_init__(self) -> None:
        # config.json and checkpoints hold the CLI spellings; in memory they are enums
        try:
            self.optimizer = Optimizer(self.optimizer)
            self.schedule = Schedule(self.schedule)
        except ValueError:
            raise UsageError(
                f"optimizer must be one of {OPTIMIZERS} and schedule one of {SCHEDULES}"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        return {k: (v.value if isinstance(v, Enum) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def check(self) -> None:
        if self.epochs < 1:
            raise UsageError(f"--epochs must be at least 1, got {self.epochs}")
        if self.batch_size < 1:
            raise UsageError(f"--batch-size must be at least 1, got {self.batch_size}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise UsageError(f"--lr must be a positive number, got {self.lr}")
        if self.weight_decay < 0 or not (0 <= self.label_smoothing < 1) or self.warmup_epochs < 0:
            raise UsageError(
                "--weight-decay and --warmup-epochs must be >= 0 and --label-smoothing in [0, 1)"
            )
        check_image_size(self.image_size)
        if not 0 <= self.ema_decay < 1:
            raise UsageError(f"--ema-decay must be in [0, 1) (0: off), got {self.ema_decay}")
        if not (self.mixup_alpha >= 0 and self.cutmix_alpha >= 0):  # also refuses NaN
            raise UsageError(
                f"--mixup and --cutmix must be >= 0 (0: off), got {self.mixup_alpha} and {self.cutmix_alpha}"
            )
