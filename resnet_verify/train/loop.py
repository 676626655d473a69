"""The training engine: recipes, device and ``torchrun`` set-up, the epoch loop, checkpoints.

* Device: CUDA, then MPS, then CPU, unless forced. On CUDA the forward runs under autocast (bf16
  where the GPU has it, else fp16 with a gradient scaler) and model and batches are channels_last.
* Distributed: under ``torchrun`` (``WORLD_SIZE`` > 1) the same command trains with
  DistributedDataParallel (nccl on GPUs, gloo on CPUs). Every rank draws the same permutation and
  augmentation parameters for the whole global batch and keeps rows ``rank::world_size``, so the
  batch size and learning rate mean the same thing for any number of processes. Rank 0 evaluates,
  prints and writes every file; BatchNorm statistics are per rank (no SyncBatchNorm).
* Determinism: the permutation and augmentation come from one CPU ``torch.Generator``; the learning
  rate is a pure function of the global step. ``last.pt`` holds weights, optimizer, scaler and all
  random states, so on CPU a resumed run ends with the same weights, bit for bit, as one that was
  never interrupted.
* A non-finite loss stops the run before the step is taken (:class:`TrainingDiverged`); the
  checkpoints on disk keep the last good epoch.
* The training split drops its last incomplete batch each epoch (a different one every epoch), so
  BatchNorm never sees a batch of one.
"""

from __future__ import annotations

import math
import random
import sys
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify._io import save_atomic
from resnet_verify.errors import UsageError
from resnet_verify.train.checkpoint import capture_rng, load_weights, make_checkpoint, restore_rng
from resnet_verify.train.data import Signs, SplitTensors, augment, batch_indices, normalize, steps_per_epoch
from resnet_verify.train.recipes import HYPERPARAMETERS, OPTIMIZERS, RECIPES, SCHEDULES  # noqa: F401 - re-exported
from resnet_verify.train.run_files import plot_curves, write_config, write_metrics
from resnet_verify.train.runtime import Runtime, amp_dtype_for, select_device, setup_runtime, teardown_runtime  # noqa: F401

TARGET_ACCURACY = 0.975  # the published ResNet50 figure on the 120 SIGNS test images


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
    optimizer: str
    lr: float
    momentum: float
    nesterov: bool
    weight_decay: float
    label_smoothing: float
    schedule: str
    warmup_epochs: float
    augment: bool
    recipe: str = "default"
    reference: str = "resnet50"
    seed: int = 0
    data: str = ""
    allow_mismatch: bool = False
    world_size: int = 1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

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
        if self.optimizer not in OPTIMIZERS or self.schedule not in SCHEDULES:
            raise UsageError(f"optimizer must be one of {OPTIMIZERS} and schedule one of {SCHEDULES}")


class TrainingDiverged(Exception):
    """The loss stopped being finite; the message is one line for the user."""


@dataclass
class TrainResult:
    history: list[dict[str, Any]]
    best: dict[str, Any]
    stopped_early: bool = False


# -------------------------------------------------------------------------------------- pieces


def lr_at(config: TrainConfig, step: int, per_epoch: int) -> float:
    """Linear warm-up over ``warmup_epochs``, then constant or cosine down to 0 at the last step."""
    warm = int(round(config.warmup_epochs * per_epoch))
    if step < warm:
        return config.lr * (step + 1) / warm
    if config.schedule == "constant":
        return config.lr
    total = config.epochs * per_epoch
    progress = min(1.0, (step - warm) / max(1, total - warm))
    return config.lr * 0.5 * (1.0 + math.cos(math.pi * progress))


def make_optimizer(config: TrainConfig, model: nn.Module) -> torch.optim.Optimizer:
    """Weight decay applies to weight matrices and kernels, not to biases or norm parameters."""
    decay = [p for p in model.parameters() if p.requires_grad and p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.requires_grad and p.ndim <= 1]
    groups = [
        {"params": decay, "weight_decay": config.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    if config.optimizer == "adamw":
        return torch.optim.AdamW(groups, lr=config.lr)
    return torch.optim.SGD(
        groups, lr=config.lr, momentum=config.momentum, nesterov=config.nesterov and config.momentum > 0
    )


@torch.no_grad()
def predict_logits(
    model: nn.Module,
    x: torch.Tensor,
    mean: list[float],
    std: list[float],
    device: torch.device,
    batch_size: int = 256,
) -> torch.Tensor:
    """Eval-mode logits (float32, on the CPU) for uint8 images N x 3 x H x W."""
    was_training = model.training
    model.eval()
    amp = amp_dtype_for(device)
    outputs = []
    try:
        for start in range(0, x.shape[0], batch_size):
            batch = normalize(x[start : start + batch_size].to(device), mean, std)
            if device.type == "cuda":
                batch = batch.contiguous(memory_format=torch.channels_last)
            with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
                outputs.append(model(batch).float().cpu())
    finally:
        model.train(was_training)
    return torch.cat(outputs) if outputs else torch.zeros(0, 0)


def evaluate_split(
    model: nn.Module, split: SplitTensors, config: TrainConfig, device: torch.device
) -> tuple[float, float]:
    logits = predict_logits(model, split.x, config.mean, config.std, device)
    loss = F.cross_entropy(logits, split.y).item()
    acc = (logits.argmax(dim=1) == split.y).double().mean().item()
    return loss, acc


def _log(runtime: Runtime, message: str) -> None:
    if runtime.is_main:
        print(message, file=sys.stderr, flush=True)


def _all_finite(loss: torch.Tensor, runtime: Runtime) -> bool:
    flag = torch.isfinite(loss.detach()).to(torch.int32).reshape(1)
    if runtime.distributed:
        import torch.distributed as dist

        dist.all_reduce(flag, op=dist.ReduceOp.MIN)
    return bool(flag.item())


# ------------------------------------------------------------------------------------------ train


def train(
    config: TrainConfig,
    signs: Signs,
    out_dir: str | Path,
    runtime: Runtime,
    *,
    resume: dict[str, Any] | None = None,
    resume_from: str | Path | None = None,
    stop_after: int | None = None,
    progress: bool = True,
) -> TrainResult:
    """Train ``config.model`` on ``signs``; write checkpoints and run files under ``out_dir`` (rank 0).

    ``resume_from`` names the file ``resume`` was loaded from, for messages (default ``out_dir/last.pt``).
    """
    from tqdm import tqdm

    from resnet_verify.specs.builders import build_model

    config.check()
    out = Path(out_dir)
    device = runtime.device
    if config.batch_size < runtime.world_size:
        raise UsageError(
            f"--batch-size {config.batch_size} is smaller than the {runtime.world_size} processes"
        )
    torch.manual_seed(config.seed)
    np.random.seed(config.seed % 2**32)
    random.seed(config.seed)
    data_gen = torch.Generator().manual_seed(config.seed)

    model, display = build_model(config.model, num_classes=config.num_classes)
    source = str(resume_from) if resume_from is not None else f"{out}/last.pt"
    if resume is not None:
        load_weights(model, resume["model"], source=source, spec=config.model)
    model = model.to(device)
    if device.type == "cuda":
        model = model.to(memory_format=torch.channels_last)
    net: nn.Module = model
    if runtime.distributed:
        from torch.nn.parallel import DistributedDataParallel

        net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    optimizer = make_optimizer(config, model)
    amp = amp_dtype_for(device)
    scaler = torch.amp.GradScaler("cuda") if amp == torch.float16 else None

    start_epoch, step, history, best = 0, 0, [], {"epoch": 0, "test_acc": -1.0, "test_loss": math.inf}
    if resume is not None:
        try:  # the file's optimizer, random and progress state must fit this run: else one line, exit 2
            optimizer.load_state_dict(resume["optimizer"])
            if scaler is not None and "scaler" in resume:
                scaler.load_state_dict(resume["scaler"])
            restore_rng(resume["rng"], data_gen)
            start_epoch, step = int(resume["epoch"]), int(resume["step"])
            history, best = [dict(r) for r in resume["history"]], dict(resume["best"])
        except (ValueError, KeyError, TypeError, RuntimeError, IndexError, AttributeError) as exc:
            text = str(exc).strip().splitlines()
            raise UsageError(
                f"{source}: its optimizer, random or progress state does not fit this run "
                f"({text[0] if text else type(exc).__name__})"
            ) from None
    if runtime.is_main:
        out.mkdir(parents=True, exist_ok=True)
        for stale in [*out.glob(".last.pt.*.tmp"), *out.glob(".best.pt.*.tmp")]:
            stale.unlink(missing_ok=True)  # left by a run killed mid-save (save_atomic's temporaries)
        write_config(out / "config.json", config.to_dict())

    x_all, y_all = signs.train.x.to(device), signs.train.y.to(device)
    n, per_epoch = len(signs.train), steps_per_epoch(len(signs.train), config.batch_size)
    criterion = nn.CrossEntropyLoss(label_smoothing=config.label_smoothing)
    rank, world = runtime.rank, runtime.world_size
    stopped = False
    if start_epoch < config.epochs:
        _log(runtime, f"training {display} on {device} ({world} process{'es' if world > 1 else ''}{', ' + str(amp).removeprefix('torch.') + ' autocast' if amp else ''}): "
             f"{n} images, {per_epoch} steps/epoch, epochs {start_epoch + 1}-{config.epochs} -> {out}")  # fmt: skip
    for epoch in range(start_epoch, config.epochs):
        net.train()
        started = time.perf_counter()
        sums = torch.zeros(3, dtype=torch.float64, device=device)  # loss * count, correct, count
        bar = tqdm(total=per_epoch, desc=f"epoch {epoch + 1}/{config.epochs}", file=sys.stderr, leave=False,
                   disable=not (progress and runtime.is_main), mininterval=0.5, dynamic_ncols=True)  # fmt: skip
        lr = config.lr
        for i, batch in enumerate(batch_indices(n, config.batch_size, data_gen, drop_last=True)):
            rows = torch.arange(rank, len(batch), world)
            idx = batch[rows].to(device)
            lr = lr_at(config, step, per_epoch)
            for group in optimizer.param_groups:
                group["lr"] = lr
            x = normalize(x_all[idx], config.mean, config.std)
            if config.augment:
                x = augment(x, data_gen, batch_size=len(batch), rows=rows)
            if device.type == "cuda":
                x = x.contiguous(memory_format=torch.channels_last)
            y = y_all[idx]
            with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
                logits = net(x)
            loss = criterion(logits.float(), y)
            if not _all_finite(loss, runtime):
                bar.close()
                kept = f"{out / 'last.pt'} keeps epoch {epoch}, the last good one"
                if epoch == 0:
                    kept = "no checkpoint was written (it diverged in the first epoch)"
                raise TrainingDiverged(
                    f"training diverged: the loss became {loss.item()} at epoch {epoch + 1}, step {i + 1}/{per_epoch} "
                    f"(lr {lr:.3g}); stopped: {kept}. Try a lower --lr or more --warmup-epochs"
                )
            optimizer.zero_grad(set_to_none=True)
            if scaler is not None:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            else:
                loss.backward()
                optimizer.step()
            step += 1
            with torch.no_grad():
                correct = (logits.argmax(dim=1) == y).sum()
                sums += torch.stack(
                    [loss.detach().double() * len(y), correct.double(), sums.new_tensor(len(y))]
                )
            if not bar.disable:
                seen = float(sums[2]) * world
                bar.set_postfix(loss=f"{float(sums[0] / sums[2]):.3f}", acc=f"{float(sums[1] / sums[2]):.1%}",
                                img_s=f"{seen / max(1e-9, time.perf_counter() - started):.0f}", refresh=False)  # fmt: skip
                bar.update()
        bar.close()
        if runtime.distributed:
            import torch.distributed as dist

            dist.all_reduce(sums)
        train_s = time.perf_counter() - started
        if runtime.is_main:
            test_loss, test_acc = evaluate_split(model, signs.test, config, device)
            epoch_s = time.perf_counter() - started
            row = {
                "epoch": epoch + 1, "lr": lr, "train_loss": float(sums[0] / sums[2]), "train_acc": float(sums[1] / sums[2]),
                "test_loss": test_loss, "test_acc": test_acc, "epoch_s": epoch_s,
                "elapsed_s": epoch_s + (history[-1]["elapsed_s"] if history else 0.0), "images_per_s": float(sums[2]) / train_s,
            }  # fmt: skip
            history.append(row)
            improved = test_acc > best["test_acc"] or (
                test_acc == best["test_acc"] and test_loss < best["test_loss"]
            )
            if improved:
                best = {"epoch": epoch + 1, "test_acc": test_acc, "test_loss": test_loss}
                save_atomic(make_checkpoint(model=model, config=config.to_dict(), epoch=epoch + 1, step=step,
                                            history=history, best=best), out / "best.pt")  # fmt: skip
            save_atomic(make_checkpoint(model=model, config=config.to_dict(), epoch=epoch + 1, step=step, history=history,
                                        best=best, optimizer=optimizer, scaler=scaler, rng=capture_rng(data_gen)),
                        out / "last.pt")  # fmt: skip
            write_metrics(out / "metrics.csv", history)
            plot_curves(out / "curves.png", history, title=f"{display} on SIGNS ({config.recipe} recipe)")
            _log(runtime, f"epoch {epoch + 1:>3}/{config.epochs}  lr {lr:.4g}  train loss {row['train_loss']:.4f} "
                          f"acc {row['train_acc']:6.1%}  test loss {test_loss:.4f} acc {test_acc:6.1%}  "
                          f"{epoch_s:5.1f}s {row['images_per_s']:5.0f} img/s{'  *best' if improved else ''}")  # fmt: skip
        if runtime.distributed:
            import torch.distributed as dist

            dist.barrier()
        if stop_after is not None and epoch + 1 >= stop_after and epoch + 1 < config.epochs:
            stopped = True
            _log(runtime, f"stopped after epoch {epoch + 1} as asked; continue with --resume --out {out}")
            break
    return TrainResult(history=history, best=best, stopped_early=stopped)


def summarize(result: TrainResult, target: float = TARGET_ACCURACY) -> str:
    """One line: best test accuracy, and when the run first reached ``target``."""
    if not result.history:
        return "no epoch was trained"
    best = result.best
    reached = next((r for r in result.history if r["test_acc"] >= target), None)
    when = (
        f"first reached {target:.1%} at epoch {reached['epoch']} after {reached['elapsed_s']:.0f}s"
        if reached
        else f"did not reach {target:.1%}"
    )
    last = result.history[-1]
    return (
        f"best test accuracy {best['test_acc']:.2%} at epoch {best['epoch']} (last epoch {last['epoch']}: "
        f"{last['test_acc']:.2%}); {when}; {last['elapsed_s']:.0f}s of training"
    )
