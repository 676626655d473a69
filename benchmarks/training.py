"""Training benchmarks on the real SIGNS data: images/s of the project's training engine against a
seed-style loop (per-sample ``DataLoader`` + ``ToTensor``), and time to 97.5% test accuracy taken
from finished (or running) training runs' ``metrics.csv``.

    python benchmarks/training.py [--quick] [--data DIR] [--steps N] [--runs DIR] [--json FILE]

* Engine: ``resnet_verify.training.train`` itself, for 2 epochs over the first ``steps x batch``
  training images (epoch 1 is the warm-up; the figure is epoch 2's ``images_per_s``, which the
  engine measures over its training steps only, without evaluation or checkpointing). Run once with
  the ``default`` recipe (AdamW, tensor augmentation) and once with the ``seed`` recipe (SGD, no
  augmentation: the same optimizer as the seed loop, so the difference is the data path).
* Seed loop: ``DataLoader(Dataset(ToTensor() per HWC uint8 image), batch_size=24, shuffle=True)``
  (``num_workers=0``, the default), fp32, SGD lr 0.009 momentum 0.8, the same ResNet50
  (``resnet_verify.models.resnet.resnet50``, 6 classes, 64x64); 3 warm-up steps, then ``steps`` timed.
* Epoch time is extrapolated to a full epoch: ``1080 // 24 = 45`` steps (training only).
* Everything is measured ``--rounds`` times (default 2), the order reversed every other round so
  that drift of a shared VM hits all rows alike; the table gives the mean and each round.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_DATA, ROOT, fmt_s, log, table

TARGET = 0.975
MODEL = "resnet50"


def _steps_per_epoch(n: int, batch: int) -> int:
    return n // batch


def engine_throughput(signs: Any, recipe: str, steps: int) -> dict[str, Any]:
    import torch

    from resnet_verify.train.data import Signs, SplitTensors, channel_stats
    from resnet_verify.train.loop import TrainConfig, train
    from resnet_verify.train.recipes import RECIPES
    from resnet_verify.train.runtime import Runtime

    hyper = RECIPES[recipe].to_dict()
    batch = int(hyper["batch_size"])
    n = batch * steps
    subset = Signs(
        SplitTensors(signs.train.x[:n], signs.train.y[:n]),
        signs.val,
        signs.test,
        signs.classes,
        source=f"first {n} SIGNS training images",
        validation=signs.validation,
    )
    mean, std = channel_stats(signs.train.x)
    hyper["epochs"] = 2
    config = TrainConfig(
        model=MODEL,
        num_classes=signs.num_classes,
        input_size=list(signs.input_size),
        classes=list(signs.classes),
        mean=mean,
        std=std,
        recipe=recipe,
        **hyper,
    )
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory(prefix="bench-train-") as out:
        started = time.perf_counter()
        result = train(config, subset, out, Runtime(torch.device("cpu")), progress=False)
        wall = time.perf_counter() - started
    row = result.history[-1]
    ips = float(row["images_per_s"])
    full_steps = _steps_per_epoch(len(signs.train), batch)
    return {
        "name": f"engine, {recipe} recipe ({hyper['optimizer']}, augment={hyper['augment']})",
        "kind": "engine",
        "recipe": recipe,
        "batch": batch,
        "steps": steps,
        "images_per_s": ips,
        "step_s": batch / ips,
        "epoch_s_extrapolated": full_steps * batch / ips,
        "engine_epoch_s_incl_eval": float(row["epoch_s"]),
        "wall_s_two_epochs": wall,
    }


class _SeedDataset:
    """The seed notebook's Dataset: one HWC uint8 image at a time through ``ToTensor``."""

    def __init__(self, x_nhwc: Any, y: Any) -> None:
        from torchvision import transforms

        self.x, self.y = x_nhwc, y
        self.tf = transforms.ToTensor()

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> tuple[Any, int]:
        return self.tf(self.x[i]), int(self.y[i])


def _seed_arrays(data_dir: Path, signs: Any) -> tuple[Any, Any, str]:
    h5 = data_dir / "train_signs.h5"
    if h5.exists():
        import h5py
        import numpy as np

        with h5py.File(h5, "r") as f:
            return np.asarray(f["train_set_x"][()]), np.asarray(f["train_set_y"][()]).reshape(-1), str(h5)
    return signs.train.x.permute(0, 2, 3, 1).contiguous().numpy(), signs.train.y.numpy(), signs.source


def seed_loop_throughput(data_dir: Path, signs: Any, steps: int, warmup: int = 3) -> dict[str, Any]:
    import torch
    from torch import nn
    from torch.utils.data import DataLoader

    from resnet_verify.models.resnet import resnet50

    x, y, source = _seed_arrays(data_dir, signs)
    dataset = _SeedDataset(x, y)
    loader = DataLoader(dataset, batch_size=24, shuffle=True)  # type: ignore[arg-type]
    torch.manual_seed(0)
    model = resnet50(num_classes=signs.num_classes).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.009, momentum=0.8)
    criterion = nn.CrossEntropyLoss()

    def forever() -> Any:
        while True:
            yield from loader

    batches = forever()

    def step() -> None:
        xb, yb = next(batches)
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    times = []
    started = time.perf_counter()
    for _ in range(steps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    total = time.perf_counter() - started
    ips = steps * 24 / total
    return {
        "name": "seed-style loop (DataLoader + ToTensor per image, SGD)",
        "kind": "seed",
        "batch": 24,
        "steps": steps,
        "warmup": warmup,
        "images_per_s": ips,
        "step_s": total / steps,
        "step_median_s": statistics.median(times),
        "epoch_s_extrapolated": _steps_per_epoch(len(dataset), 24) * total / steps,
        "source": source,
    }


def data_path_only(data_dir: Path, signs: Any, batches: int = 45) -> dict[str, Any]:
    """Time one epoch's worth of batches through each data path, without the model."""
    import torch
    from torch.utils.data import DataLoader

    from resnet_verify.train.data import augment, batch_indices, channel_stats, normalize

    x, y, _ = _seed_arrays(data_dir, signs)
    loader = DataLoader(_SeedDataset(x, y), batch_size=24, shuffle=True)  # type: ignore[arg-type]
    started = time.perf_counter()
    for i, _ in enumerate(loader):
        if i + 1 >= batches:
            break
    seed_s = time.perf_counter() - started

    mean, std = channel_stats(signs.train.x)
    gen = torch.Generator().manual_seed(0)
    started = time.perf_counter()
    for i, idx in enumerate(batch_indices(len(signs.train), 24, gen, drop_last=True)):
        xb = augment(normalize(signs.train.x[idx], mean, std), gen)
        _ = signs.train.y[idx], xb
        if i + 1 >= batches:
            break
    engine_s = time.perf_counter() - started
    return {"batches": batches, "seed_dataloader_s": seed_s, "engine_normalize_augment_s": engine_s}


# ------------------------------------------------------------------------------ runs on disk


def _read_metrics(path: Path) -> list[dict[str, float]]:
    with path.open(newline="") as handle:
        rows = []
        for raw in csv.DictReader(handle):
            row = {}
            for k, v in raw.items():
                try:
                    row[k] = float(v)
                except (TypeError, ValueError):
                    continue
            rows.append(row)
    return rows


def _device_from_logs(run_dir: Path) -> str | None:
    pattern = re.compile(r"training \S+ on (\S+?) \(")
    for log_path in (run_dir.parent / f"{run_dir.name}.log", run_dir / "train.log", run_dir / "log.txt"):
        try:
            text = log_path.read_text(errors="replace")
        except OSError:
            continue
        found = pattern.findall(text)
        if found:
            return found[-1]
    return None


def scan_runs(runs_dir: Path) -> list[dict[str, Any]]:
    found = []
    for metrics in sorted(runs_dir.glob("*/metrics.csv")):
        run_dir = metrics.parent
        try:
            config = json.loads((run_dir / "config.json").read_text())
        except (OSError, ValueError):
            config = {}
        rows = _read_metrics(metrics)
        if not rows:
            continue
        # runs since issue 16 score validation per epoch (test only at the end, result.json); older
        # runs scored test per epoch
        split = "val" if "val_acc" in rows[0] else "test"
        best = max(rows, key=lambda r: (r.get(f"{split}_acc", 0.0), -r.get(f"{split}_loss", 0.0)))
        reached = next((r for r in rows if r.get(f"{split}_acc", 0.0) >= TARGET), None)
        epochs = int(config.get("epochs", 0)) or None
        hyper = {
            k: config.get(k) for k in ("optimizer", "lr", "epochs", "batch_size", "weight_decay", "augment")
        }
        try:
            from resnet_verify.train.recipes import RECIPES

            recipe = RECIPES.get(config.get("recipe", ""))
            current = recipe.to_dict() if recipe is not None else {}
            differs = [
                f"{k} {config.get(k)!r} (now {v!r})"
                for k, v in current.items()
                if k in config and config.get(k) != v
            ]
        except ImportError:
            differs = []
        found.append(
            {
                "run": str(run_dir.relative_to(ROOT) if run_dir.is_relative_to(ROOT) else run_dir),
                "recipe": config.get("recipe", "?"),
                "model": config.get("model", "?"),
                "epochs_done": len(rows),
                "epochs": epochs,
                "complete": epochs is not None and len(rows) >= epochs,
                "best_acc": best.get(f"{split}_acc"),
                "acc_split": split,
                "best_epoch": int(best.get("epoch", 0)),
                "reached_epoch": int(reached["epoch"]) if reached else None,
                "reached_s": reached.get("elapsed_s") if reached else None,
                "mean_epoch_s": statistics.mean(r["epoch_s"] for r in rows if "epoch_s" in r),
                "mean_images_per_s": statistics.mean(r["images_per_s"] for r in rows if "images_per_s" in r),
                "elapsed_s": rows[-1].get("elapsed_s"),
                "device": _device_from_logs(run_dir),
                "hyper": hyper,
                "differs_from_current_recipe": differs,
                "modified": time.strftime("%Y-%m-%d %H:%M", time.localtime(metrics.stat().st_mtime)),
            }
        )
    return found


# -------------------------------------------------------------------------------------- main


def run(
    *,
    quick: bool = False,
    data_dir: Path = DEFAULT_DATA,
    steps: int | None = None,
    runs_dir: Path = ROOT / "runs",
    rounds: int | None = None,
) -> dict[str, Any]:
    import torch

    from resnet_verify.train.data import load_signs

    steps = steps or (3 if quick else 24)
    out: dict[str, Any] = {
        "quick": quick,
        "steps": steps,
        "data": str(data_dir),
        "model": MODEL,
        "torch_threads": torch.get_num_threads(),
    }
    try:
        signs = load_signs(data_dir)
    except Exception as exc:
        out["error"] = f"cannot load SIGNS from {data_dir}: {exc}"
        signs = None
    if signs is not None:
        out["n_train"] = len(signs.train)
        jobs = {
            "engine-default": lambda: engine_throughput(signs, "default", steps),
            "engine-seed": lambda: engine_throughput(signs, "seed", steps),
            "seed-loop": lambda: seed_loop_throughput(data_dir, signs, steps),
        }
        rounds = rounds or (1 if quick else 2)
        measured: dict[str, list[dict[str, Any]]] = {k: [] for k in jobs}
        for i in range(rounds):
            order = list(jobs) if i % 2 == 0 else list(reversed(jobs))  # alternate, so drift hits all alike
            for key in order:
                log(f"training: round {i + 1}/{rounds}: {key}, {steps} timed steps ...")
                measured[key].append(jobs[key]())
                log(f"    {measured[key][-1]['images_per_s']:.1f} images/s")
        rows = []
        for results in measured.values():
            row = dict(results[0])
            ips = [r["images_per_s"] for r in results]
            row["images_per_s_rounds"] = ips
            row["images_per_s"] = statistics.mean(ips)
            row["step_s"] = row["batch"] / row["images_per_s"]
            row["epoch_s_extrapolated"] = _steps_per_epoch(len(signs.train), row["batch"]) * row["step_s"]
            rows.append(row)
        out["throughput"] = rows
        out["rounds"] = rounds
        log("training: data path only ...")
        out["data_path"] = data_path_only(data_dir, signs, batches=10 if quick else 45)
    out["runs"] = scan_runs(runs_dir)
    return out


def throughput_markdown(res: dict[str, Any]) -> str:
    if "throughput" not in res:
        return f"Not measured: {res.get('error', 'no data')}."
    seed = next(r for r in res["throughput"] if r["kind"] == "seed")

    def each(r: dict[str, Any]) -> str:
        ips = r.get("images_per_s_rounds") or [r["images_per_s"]]
        return ", ".join(f"{x:.1f}" for x in ips)

    rows = [
        [
            r["name"],
            f"{r['images_per_s']:.1f}",
            each(r),
            fmt_s(r["step_s"]),
            fmt_s(r["epoch_s_extrapolated"]),
            f"{r['images_per_s'] / seed['images_per_s']:.2f}×",
        ]
        for r in res["throughput"]
    ]
    text = table(
        [
            "training step",
            "images/s (mean)",
            "each round",
            "per step (batch 24)",
            "epoch (45 steps, extrapolated)",
            "vs seed loop",
        ],
        rows,
    )
    dp = res.get("data_path")
    if dp:
        n = dp["batches"]
        text += (
            f"\n\nData path alone, {n} batches of 24 without the model: seed `DataLoader` + `ToTensor` "
            f"{fmt_s(dp['seed_dataloader_s'])} ({fmt_s(dp['seed_dataloader_s'] / n)}/batch); engine "
            f"index + `normalize` + `augment` {fmt_s(dp['engine_normalize_augment_s'])} "
            f"({fmt_s(dp['engine_normalize_augment_s'] / n)}/batch)."
        )
    return text


def runs_markdown(res: dict[str, Any]) -> str:
    runs = res.get("runs") or []
    lines = []
    if runs:
        rows = []
        for r in runs:
            reached = (
                f"epoch {r['reached_epoch']}, {fmt_s(r['reached_s'])}"
                if r["reached_epoch"]
                else f"not reached in {r['epochs_done']} epochs"
            )
            status = (
                "complete"
                if r["complete"]
                else f"in progress / stopped ({r['epochs_done']}/{r['epochs'] or '?'})"
            )
            h = r.get("hyper") or {}
            hyper = f"{h.get('optimizer')} lr {h.get('lr'):g}" if h.get("lr") is not None else "?"
            if r.get("differs_from_current_recipe"):
                hyper += " (differs from today's recipe: " + ", ".join(r["differs_from_current_recipe"]) + ")"
            rows.append(
                [
                    f"`{r['run']}`",
                    r["recipe"],
                    hyper,
                    r["model"],
                    r["device"] or "?",
                    status,
                    f"{r['best_acc']:.1%} (epoch {r['best_epoch']})",
                    reached,
                    fmt_s(r["mean_epoch_s"]),
                    f"{r['mean_images_per_s']:.1f}",
                    r["modified"],
                ]
            )
        lines.append(
            table(
                [
                    "run",
                    "recipe",
                    "hyper-parameters",
                    "model",
                    "device",
                    "status",
                    "best test acc",
                    f"first ≥ {TARGET:.1%} (engine's elapsed_s)",
                    "mean epoch",
                    "images/s",
                    "metrics.csv time",
                ],
                rows,
            )
        )
    have = {r["recipe"] for r in runs if r["model"] == MODEL}
    for recipe in ("default", "seed"):
        if recipe not in have:
            lines.append("")
            lines.append(
                f"- `{recipe}` recipe: **not measured** (no `runs/*/metrics.csv` for it). Produce it with "
                f"`resnet-verify train --data ../shared/data/signs --recipe {recipe} --out runs/{recipe}` "
                "and rerun `python benchmarks/run.py`."
            )
    return "\n".join(lines) if lines else "No runs found."


def plot_throughput(res: dict[str, Any], path: Path) -> Path | None:
    if "throughput" not in res:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = res["throughput"]
    fig = Figure(figsize=(6.4, 3.2), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    labels = [r["name"].split(" (")[0] if r["kind"] == "seed" else f"engine, {r['recipe']}" for r in rows]
    ax.barh(labels, [r["images_per_s"] for r in rows])
    for i, r in enumerate(rows):
        ax.annotate(f" {r['images_per_s']:.1f}", (r["images_per_s"], i), va="center", fontsize=8)
    ax.set_xlabel("images/s (CPU, resnet50 @64, batch 24)")
    ax.set_title("training throughput on SIGNS")
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    fig.savefig(path)
    return path


def markdown(res: dict[str, Any]) -> str:
    return "\n".join(
        [
            "### Throughput",
            "",
            throughput_markdown(res),
            "",
            "### Time to 97.5% test accuracy",
            "",
            runs_markdown(res),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 steps instead of 24 (a smoke run)")
    parser.add_argument(
        "--data", default=str(DEFAULT_DATA), help="SIGNS folder (default ../shared/data/signs)"
    )
    parser.add_argument("--steps", type=int, default=None, help="timed steps per measurement")
    parser.add_argument("--runs", default=str(ROOT / "runs"), help="folder of training runs to read")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="measure everything this many times, alternating the order (default 2, --quick 1)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the raw results here")
    parser.add_argument("--plot-dir", default=None, help="write the throughput PNG here")
    args = parser.parse_args(argv)
    res = run(
        quick=args.quick,
        data_dir=Path(args.data),
        steps=args.steps,
        runs_dir=Path(args.runs),
        rounds=args.rounds,
    )
    if args.plot_dir:
        Path(args.plot_dir).mkdir(parents=True, exist_ok=True)
        plot_throughput(res, Path(args.plot_dir) / "bench_training_throughput.png")
    print(markdown(res))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
