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
* Selection: after every epoch the evaluated model (the weight average with ``--ema-decay``, else
  the trained weights; mirrored views averaged with ``--tta-flip``) is scored on the *validation*
  split; ``best.pt`` keeps the epoch with the highest validation accuracy (ties: lower validation
  loss). This module never reads the test split; the final evaluation does, once, at the end.
"""

from __future__ import annotations

import math
import random
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from resnet_verify._io import save_atomic
from resnet_verify.errors import UsageError
from resnet_verify.tracing.outputs import no_tensor_error, select_output
from resnet_verify.train.checkpoint import capture_rng, load_weights, make_checkpoint, restore_rng
from resnet_verify.train.config import SELECTED_ON, TrainConfig  # noqa: F401 - re-exported
from resnet_verify.train.data import Signs, SplitTensors, augment, batch_indices, normalize, steps_per_epoch
from resnet_verify.train.ema import WeightAverage
from resnet_verify.train.evaluation import evaluate_split, predict_logits  # noqa: F401 - re-exported
from resnet_verify.train.mixing import mix_batch
from resnet_verify.train.recipes import HYPERPARAMETERS, OPTIMIZERS, RECIPES, SCHEDULES, Optimizer, Schedule  # noqa: F401 - re-exported
from resnet_verify.train.run_files import plot_curves, write_config, write_metrics
from resnet_verify.train.runtime import (  # noqa: F401
    Runtime,
    amp_dtype_for,
    select_device,
    setup_runtime,
    teardown_runtime,
    uses_channels_last,
)

TARGET_ACCURACY = 0.975  # the published ResNet50 figure on the 120 SIGNS test images


class TrainingDiverged(Exception):
    """The loss stopped being finite; the message is one line for the user."""


@dataclass
class TrainResult:
    history: list[dict[str, Any]]
    best: dict[str, Any]  # epoch, val_acc, val_loss of the validation-selected epoch (best.pt)
    stopped_early: bool = False


# -------------------------------------------------------------------------------------- pieces


def lr_at(config: TrainConfig, step: int, per_epoch: int) -> float:
    """Linear warm-up over ``warmup_epochs``, then constant or cosine down to 0 at the last step."""
    warm = round(config.warmup_epochs * per_epoch)
    if step < warm:
        return config.lr * (step + 1) / warm
    if config.schedule == Schedule.CONSTANT:
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
    if config.optimizer == Optimizer.ADAMW:
        return torch.optim.AdamW(groups, lr=config.lr)
    return torch.optim.SGD(
        groups, lr=config.lr, momentum=config.momentum, nesterov=config.nesterov and config.momentum > 0
    )


def _log(runtime: Runtime, message: str) -> None:
    if runtime.is_main:
        print(message, file=sys.stderr, flush=True)


def _all_finite(loss: torch.Tensor, runtime: Runtime) -> bool:
    flag = torch.isfinite(loss.detach()).to(torch.int32).reshape(1)
    if runtime.distributed:
        import torch.distributed as dist

        dist.all_reduce(flag, op=dist.ReduceOp.MIN)
    return bool(flag.item())


def _barrier(runtime: Runtime) -> None:
    if runtime.distributed:
        import torch.distributed as dist

        dist.barrier()


@dataclass
class _Run:
    """The mutable state of one training session."""

    config: TrainConfig
    out: Path
    runtime: Runtime
    model: nn.Module
    net: nn.Module  # the model, or its DDP wrapper
    optimizer: torch.optim.Optimizer
    scaler: Any
    ema: WeightAverage | None
    data_gen: torch.Generator
    display: str
    start_epoch: int = 0
    step: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    best: dict[str, Any] = field(default_factory=lambda: {"epoch": 0, "val_acc": -1.0, "val_loss": math.inf})

    @property
    def evaluated(self) -> nn.Module:
        """The weights that are evaluated, selected and reported: the average when there is one."""
        return self.ema.model if self.ema is not None else self.model


def _build(
    config: TrainConfig,
    out: Path,
    runtime: Runtime,
    resume: dict[str, Any] | None,
    source: str,
    init_state: dict[str, torch.Tensor] | None = None,
) -> _Run:
    from resnet_verify.specs.builders import build_model

    device = runtime.device
    torch.manual_seed(config.seed)
    np.random.seed(config.seed % 2**32)
    random.seed(config.seed)
    model, display = build_model(config.model, num_classes=config.num_classes)
    if resume is not None:
        load_weights(model, resume["model"], source=source, spec=config.model)
    elif init_state is not None:  # a ported checkpoint (train --init-from), in the model's own keys
        load_weights(model, init_state, source="--init-from", spec=config.model)
    nn.Module.to(model, device)  # nn.Module's own: a user's `to` override may not return the model
    if uses_channels_last(device):
        nn.Module.to(model, memory_format=torch.channels_last)
    net: nn.Module = model
    if runtime.distributed:
        from torch.nn.parallel import DistributedDataParallel

        net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    scaler = torch.amp.GradScaler("cuda") if amp_dtype_for(device) == torch.float16 else None
    ema = WeightAverage(model, config.ema_decay) if config.ema_decay > 0 else None
    return _Run(config, out, runtime, model, net, make_optimizer(config, model), scaler, ema,
                torch.Generator().manual_seed(config.seed), display)  # fmt: skip


def _restore(run: _Run, resume: dict[str, Any], source: str) -> None:
    """The file's optimizer, average, random and progress state must fit this run: else one line, exit 2."""
    try:
        run.optimizer.load_state_dict(resume["optimizer"])
        if run.scaler is not None and "scaler" in resume:
            run.scaler.load_state_dict(resume["scaler"])
        if run.ema is not None:
            run.ema.load_state_dict(resume["ema"])
        restore_rng(resume["rng"], run.data_gen)
        run.start_epoch, run.step = int(resume["epoch"]), int(resume["step"])
        run.history, run.best = [dict(r) for r in resume["history"]], dict(resume["best"])
        float(run.best["val_acc"]), float(run.best["val_loss"])
    except (ValueError, KeyError, TypeError, RuntimeError, IndexError, AttributeError) as exc:
        text = str(exc).strip().splitlines()
        raise UsageError(
            f"{source}: its optimizer, average, random or progress state does not fit this run "
            f"({text[0] if text else type(exc).__name__})"
        ) from None


def _train_epoch(
    run: _Run, epoch: int, train_split: SplitTensors, progress: bool
) -> tuple[torch.Tensor, float]:
    """One pass over the training split; returns (loss * count, correct, count) sums and the last lr."""
    from tqdm import tqdm

    config, runtime, device = run.config, run.runtime, run.runtime.device
    amp = amp_dtype_for(device)
    n, per_epoch = len(train_split), steps_per_epoch(len(train_split), config.batch_size)
    criterion = nn.CrossEntropyLoss(label_smoothing=config.label_smoothing)
    run.net.train()
    started = time.perf_counter()
    sums = torch.zeros(3, dtype=torch.float64, device=device)
    bar = tqdm(total=per_epoch, desc=f"epoch {epoch + 1}/{config.epochs}", file=sys.stderr, leave=False,
               disable=not (progress and runtime.is_main), mininterval=0.5, dynamic_ncols=True)  # fmt: skip
    lr = config.lr
    for i, batch in enumerate(batch_indices(n, config.batch_size, run.data_gen, drop_last=True)):
        rows = torch.arange(runtime.rank, len(batch), runtime.world_size)
        idx = batch[rows].to(device)
        lr = lr_at(config, run.step, per_epoch)
        for group in run.optimizer.param_groups:
            group["lr"] = lr
        x = normalize(train_split.x[idx], config.mean, config.std)
        if config.augment:
            x = augment(x, run.data_gen, batch_size=len(batch), rows=rows)
        x, mix = mix_batch(x, run.data_gen, mixup_alpha=config.mixup_alpha, cutmix_alpha=config.cutmix_alpha)
        if uses_channels_last(device):
            x = x.contiguous(memory_format=torch.channels_last)
        y = train_split.y[idx]
        with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
            logits = select_output(run.net(x), config.output_key)  # a ModelOutput's .logits ...
        if logits is None:
            raise no_tensor_error(config.model)
        loss = criterion(logits.float(), y) if mix is None else mix.loss(criterion, logits.float(), y)
        if not _all_finite(loss, runtime):
            bar.close()
            raise _diverged(run, loss, epoch, f"{i + 1}/{per_epoch}", lr)
        _step(run, loss)
        with torch.no_grad():
            correct = (logits.argmax(dim=1) == y).sum()
            sums += torch.stack([loss.detach().double() * len(y), correct.double(), sums.new_tensor(len(y))])
        if not bar.disable:
            seen = float(sums[2]) * runtime.world_size
            bar.set_postfix(loss=f"{float(sums[0] / sums[2]):.3f}", acc=f"{float(sums[1] / sums[2]):.1%}",
                            img_s=f"{seen / max(1e-9, time.perf_counter() - started):.0f}", refresh=False)  # fmt: skip
            bar.update()
    bar.close()
    if runtime.distributed:
        import torch.distributed as dist

        dist.all_reduce(sums)
    return sums, lr


def _diverged(run: _Run, loss: torch.Tensor, epoch: int, step: str, lr: float) -> TrainingDiverged:
    kept = f"{run.out / 'last.pt'} keeps epoch {epoch}, the last good one"
    if epoch == 0:
        kept = "no checkpoint was written (it diverged in the first epoch)"
    return TrainingDiverged(
        f"training diverged: the loss became {loss.item()} at epoch {epoch + 1}, step {step} "
        f"(lr {lr:.3g}); stopped: {kept}. Try a lower --lr or more --warmup-epochs"
    )


def _step(run: _Run, loss: torch.Tensor) -> None:
    run.optimizer.zero_grad(set_to_none=True)
    if run.scaler is not None:
        run.scaler.scale(loss).backward()
        run.scaler.step(run.optimizer)
        run.scaler.update()
    else:
        loss.backward()
        run.optimizer.step()
    if run.ema is not None:
        run.ema.update()
    run.step += 1


def _end_epoch(
    run: _Run, epoch: int, val: SplitTensors, sums: torch.Tensor, lr: float, started: float, train_s: float
) -> None:
    """Rank 0: evaluate on validation, select, write checkpoints and run files, log one line."""
    config, out = run.config, run.out
    val_loss, val_acc = evaluate_split(run.evaluated, val, config, run.runtime.device)
    epoch_s = time.perf_counter() - started
    row = {
        "epoch": epoch + 1, "lr": lr, "train_loss": float(sums[0] / sums[2]), "train_acc": float(sums[1] / sums[2]),
        "val_loss": val_loss, "val_acc": val_acc, "epoch_s": epoch_s,
        "elapsed_s": epoch_s + (run.history[-1]["elapsed_s"] if run.history else 0.0), "images_per_s": float(sums[2]) / train_s,
    }  # fmt: skip
    run.history.append(row)
    best = run.best
    improved = val_acc > best["val_acc"] or (val_acc == best["val_acc"] and val_loss < best["val_loss"])
    checkpoint = partial(
        make_checkpoint, config=config.to_dict(), epoch=epoch + 1, step=run.step, history=run.history
    )
    if improved:
        run.best = {"epoch": epoch + 1, "val_acc": val_acc, "val_loss": val_loss}
        save_atomic(checkpoint(model=run.evaluated, best=run.best), out / "best.pt")
    last = checkpoint(model=run.model, best=run.best, optimizer=run.optimizer, scaler=run.scaler,
                      rng=capture_rng(run.data_gen))  # fmt: skip
    if run.ema is not None:
        last["ema"] = run.ema.state_dict()
    save_atomic(last, out / "last.pt")
    write_metrics(out / "metrics.csv", run.history)
    plot_curves(out / "curves.png", run.history, title=f"{run.display} on SIGNS ({config.recipe} recipe)")
    _log(run.runtime, f"epoch {epoch + 1:>3}/{config.epochs}  lr {lr:.4g}  train loss {row['train_loss']:.4f} "
                      f"acc {row['train_acc']:6.1%}  val loss {val_loss:.4f} acc {val_acc:6.1%}  "
                      f"{epoch_s:5.1f}s {row['images_per_s']:5.0f} img/s{'  *best' if improved else ''}")  # fmt: skip


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
    init_state: dict[str, torch.Tensor] | None = None,
) -> TrainResult:
    """Train ``config.model`` on ``signs.train``, select on ``signs.val``; write files under ``out_dir``.

    ``signs.test`` is not read here: :func:`resnet_verify.train.final.final_evaluation` evaluates it
    once the run is complete. ``resume_from`` names the file ``resume`` was loaded from, for messages
    (default ``out_dir/last.pt``). ``init_state`` (a fresh run only) is the model's starting state.
    """
    config.check()
    out = Path(out_dir)
    if config.batch_size < runtime.world_size:
        raise UsageError(
            f"--batch-size {config.batch_size} is smaller than the {runtime.world_size} processes"
        )
    source = str(resume_from) if resume_from is not None else f"{out}/last.pt"
    run = _build(config, out, runtime, resume, source, init_state)
    if resume is not None:
        _restore(run, resume, source)
    if runtime.is_main:
        out.mkdir(parents=True, exist_ok=True)
        for stale in [*out.glob(".last.pt.*.tmp"), *out.glob(".best.pt.*.tmp")]:
            stale.unlink(missing_ok=True)  # left by a run killed mid-save (save_atomic's temporaries)
        write_config(out / "config.json", config.to_dict())
    device, world = runtime.device, runtime.world_size
    train_split = SplitTensors(signs.train.x.to(device), signs.train.y.to(device))
    amp = amp_dtype_for(device)
    per_epoch = steps_per_epoch(len(train_split), config.batch_size)
    if run.start_epoch < config.epochs:
        _log(runtime, f"training {run.display} on {device} ({world} process{'es' if world > 1 else ''}{', ' + str(amp).removeprefix('torch.') + ' autocast' if amp else ''}): "
             f"{len(train_split)} images, {per_epoch} steps/epoch, validation on {len(signs.val)}, epochs {run.start_epoch + 1}-{config.epochs} -> {out}")  # fmt: skip
    stopped = False
    for epoch in range(run.start_epoch, config.epochs):
        started = time.perf_counter()
        sums, lr = _train_epoch(run, epoch, train_split, progress)
        if runtime.is_main:
            _end_epoch(run, epoch, signs.val, sums, lr, started, time.perf_counter() - started)
        _barrier(runtime)
        if stop_after is not None and epoch + 1 >= stop_after and epoch + 1 < config.epochs:
            stopped = True
            _log(runtime, f"stopped after epoch {epoch + 1} as asked; continue with --resume --out {out}")
            break
    return TrainResult(history=run.history, best=run.best, stopped_early=stopped)


def summarize(result: TrainResult) -> str:
    """One line: the validation-selected epoch and the last one (test figures come from final.py)."""
    if not result.history:
        return "no epoch was trained"
    best, last = result.best, result.history[-1]
    return (
        f"selected on validation: epoch {best['epoch']} ({best['val_acc']:.2%}); last epoch {last['epoch']}: "
        f"validation {last['val_acc']:.2%}; {last['elapsed_s']:.0f}s of training"
    )
