"""Checkpoints: ``weights_only`` loading and rebuilding the model they describe (writes: ``atomic``).

A checkpoint is a plain dict of tensors, dicts, lists and primitives, so it always loads with
``torch.load(..., weights_only=True)``; a file whose pickle asks to run code is refused. It carries
what :func:`rebuild_model` needs (model spec, number of classes, input size, normalisation, class
names, under ``config``), so ``evaluate`` and ``predict`` take no other flags.

``last.pt`` also holds the optimizer, the gradient scaler, every random state and, with
``--ema-decay``, the weight average (``ema``), for an exact ``--resume``; ``best.pt`` holds the
evaluated weights (the average, when there is one) and the config only. :func:`rebuild_model` loads
the weights a run evaluated: ``ema`` when the file has it, else ``model``.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from resnet_verify._io import load_weights, load_weights_only
from resnet_verify.errors import UsageError

FORMAT = "resnet-verify/checkpoint"
VERSION = 1
REQUIRED_CONFIG = ("model", "num_classes", "input_size", "mean", "std", "classes")


def make_checkpoint(
    *,
    model: nn.Module,
    config: dict[str, Any],
    epoch: int,
    step: int,
    history: list[dict[str, Any]],
    best: dict[str, Any],
    optimizer: torch.optim.Optimizer | None = None,
    scaler: Any = None,
    rng: dict[str, Any] | None = None,
) -> dict[str, Any]:
    ckpt: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "config": config,
        "model": {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()},
        "epoch": epoch,
        "step": step,
        "history": history,
        "best": best,
    }
    if optimizer is not None:
        ckpt["optimizer"] = optimizer.state_dict()
    if scaler is not None:
        ckpt["scaler"] = scaler.state_dict()
    if rng is not None:
        ckpt["rng"] = rng
    return ckpt


# --------------------------------------------------------------------------------------- reading


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """Load and sanity-check a checkpoint; every failure is a one-line :class:`UsageError`."""
    name = str(path)
    obj = load_weights_only(path, f"checkpoint {name}")
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise UsageError(f"checkpoint {name}: not a resnet-verify training checkpoint")
    if obj.get("version") != VERSION:
        raise UsageError(
            f"checkpoint {name}: format version {obj.get('version')!r}, this tool reads {VERSION}"
        )
    config = obj.get("config")
    if not isinstance(config, dict) or any(key not in config for key in REQUIRED_CONFIG):
        missing = [k for k in REQUIRED_CONFIG if not isinstance(config, dict) or k not in config]
        raise UsageError(f"checkpoint {name}: config lacks {', '.join(missing)}")
    problem = _config_problem(config)
    if problem:
        raise UsageError(f"checkpoint {name}: malformed config: {problem}")
    if not isinstance(obj.get("model"), dict):
        raise UsageError(f"checkpoint {name}: holds no model weights")
    return obj


def _config_problem(config: dict[str, Any]) -> str | None:
    """What is wrong with the values of a checkpoint's config (they come from a file), or None."""

    def positive_int(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v > 0

    def numbers(v: Any, n: int) -> bool:
        return (
            isinstance(v, (list, tuple))
            and len(v) == n
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
        )

    size = config["input_size"]
    if not isinstance(config["model"], str) or not config["model"].strip():
        return f"model {config['model']!r} is not a model spec"
    if not positive_int(config["num_classes"]):
        return f"num_classes {config['num_classes']!r} is not a positive integer"
    if not (isinstance(size, (list, tuple)) and len(size) == 3 and all(positive_int(v) for v in size)):
        return f"input_size {size!r} is not [C, H, W]"
    if not isinstance(config["classes"], (list, tuple)) or len(config["classes"]) != config["num_classes"]:
        return f"classes {config['classes']!r} is not a list of {config['num_classes']} names"
    for key in ("mean", "std"):
        if not numbers(config[key], size[0]):
            return f"{key} {config[key]!r} is not a list of {size[0]} numbers"
    return None


def rebuild_model(ckpt: dict[str, Any], *, source: str = "checkpoint", device: Any = None) -> nn.Module:
    """Build the model the checkpoint's config names and load the weights the run evaluated."""
    from resnet_verify.specs.builders import build_model

    config = ckpt["config"]
    model, _ = build_model(str(config["model"]), num_classes=int(config["num_classes"]))
    ema = ckpt.get("ema")
    weights = ema["model"] if isinstance(ema, dict) and isinstance(ema.get("model"), dict) else ckpt["model"]
    load_weights(model, weights, source=source, spec=str(config["model"]))
    if device is not None:
        nn.Module.to(model, device)  # nn.Module's own: a user's `to` override may not return the model
    return model


def capture_rng(data_generator: torch.Generator) -> dict[str, Any]:
    """Every random state a run touches, as tensors and primitives (``weights_only``-safe)."""
    np_name, np_keys, np_pos, np_has_gauss, np_gauss = np.random.get_state()
    py_version, py_state, py_gauss = random.getstate()
    state: dict[str, Any] = {
        "torch": torch.get_rng_state(),
        "data": data_generator.get_state(),
        "numpy": {
            "name": str(np_name),
            "keys": torch.from_numpy(np.asarray(np_keys, dtype=np.int64)),
            "pos": int(np_pos),
            "has_gauss": int(np_has_gauss),
            "gauss": float(np_gauss),
        },
        "python": {"version": int(py_version), "state": [int(v) for v in py_state], "gauss": py_gauss},
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = list(torch.cuda.get_rng_state_all())
    return state


def restore_rng(state: dict[str, Any], data_generator: torch.Generator) -> None:
    torch.set_rng_state(state["torch"])
    data_generator.set_state(state["data"])
    npy = state["numpy"]
    keys = npy["keys"].numpy().astype(np.uint32)
    np.random.set_state((npy["name"], keys, npy["pos"], npy["has_gauss"], npy["gauss"]))
    py = state["python"]
    random.setstate((py["version"], tuple(py["state"]), py["gauss"]))
    if "cuda" in state and torch.cuda.is_available():
        cuda_states = state["cuda"]
        if len(cuda_states) == torch.cuda.device_count():
            torch.cuda.set_rng_state_all(cuda_states)
