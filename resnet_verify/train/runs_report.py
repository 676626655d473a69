"""reports/training.md and reports/training.json, regenerated from finished run folders.

    python3 -m resnet_verify.train.runs_report RUN_DIR_OR_PARENT... [--out reports] [--note TEXT]
        [--keep EARLIER.json]

A run folder is finished when it holds config.json, metrics.csv and result.json (written by the
final test evaluation after the last epoch); unfinished folders are named on stderr and left out.
Per run the report gives the recipe, seed, epochs, wall seconds, training images/s, the *final* test
accuracy (last epoch) and the test accuracy of the validation-selected epoch, ``selected_on``; per
recipe the median over seeds. Each run's curves.png and confusion.png are copied next to the
Markdown (``training/``) and one figure overlays every run's validation accuracy.
Accuracies are fractions in the JSON and percentages in the Markdown.

``--keep EARLIER.json`` carries the runs of an earlier report whose folders are not given this time
(run folders live outside the checkout and do not outlive the machine they ran on), marked *kept*
in both files; a folder given again replaces its kept entry. Nothing measured is lost by a rerun.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
from collections.abc import Collection, Sequence
from dataclasses import MISSING, asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from resnet_verify._io import write_text_atomic
from resnet_verify.errors import UsageError
from resnet_verify.train.recipes import RECIPES, Recipe

SCHEMA_VERSION = 1
RUN_FILES = ("config.json", "metrics.csv", "result.json")
HYPER = ("optimizer", "lr", "batch_size", "weight_decay", "label_smoothing", "schedule", "warmup_epochs",
         "augment", "ema_decay", "tta_flip", "mixup_alpha", "cutmix_alpha", "momentum", "nesterov", "image_size")  # fmt: skip


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One finished run, as the report's JSON lists it."""

    run: str
    recipe: str
    seed: int
    epochs: int
    final_test_accuracy: float
    selected_test_accuracy: float
    selected_epoch: int
    selected_val_accuracy: float
    selected_on: str
    test_images: int
    final_correct: int
    selected_correct: int
    wall_s: float
    images_per_s: float
    model: str
    validation: str
    hyperparameters: dict[str, Any]


def find_runs(paths: Sequence[str | Path]) -> tuple[list[Path], list[Path]]:
    """(finished, unfinished) run folders: each path is a run folder or a folder of run folders."""
    finished: list[Path] = []
    unfinished: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            raise UsageError(f"{path}: no such folder")
        candidates = (
            [path] if (path / "config.json").exists() else sorted(p for p in path.iterdir() if p.is_dir())
        )
        for run in candidates:
            if not (run / "config.json").exists():
                continue
            (finished if all((run / f).exists() for f in RUN_FILES) else unfinished).append(run)
    return finished, unfinished


# A field a run's config lacks was added after the run: every field was added with a default that
# keeps the behaviour from before it existed (no mixup, the data's own image size ...), so that
# default is what the run used, whatever the recipe's value is today.
_BEFORE_FIELD = {f.name: f.default for f in fields(Recipe) if f.default is not MISSING}


def recipe_label(config: dict[str, Any]) -> str:
    """The recipe's name plus every hyper-parameter the run used that differs from the recipe as it
    is defined now (epochs aside: a column of its own), so a run with other settings is never pooled
    into the recipe's median, even after the recipe itself changes."""
    name = str(config["recipe"])
    base = RECIPES.get(name)
    if base is None:
        return name
    ref = base.to_dict()
    used = {k: config.get(k, _BEFORE_FIELD.get(k)) for k in HYPER if k in config or k in _BEFORE_FIELD}
    return " ".join([name, *(f"{k}={v}" for k, v in used.items() if k in ref and v != ref[k])])


def load_run(run: Path) -> RunSummary:
    try:
        config = json.loads((run / "config.json").read_text())
        result = json.loads((run / "result.json").read_text())
        final, selected = result["final"], result["selected"]
        return RunSummary(
            run=run.name, recipe=recipe_label(config), seed=int(config["seed"]), epochs=int(result["epochs"]),
            final_test_accuracy=float(final["test_accuracy"]), selected_test_accuracy=float(selected["test_accuracy"]),
            selected_epoch=int(selected["epoch"]), selected_val_accuracy=float(selected["val_accuracy"]),
            selected_on=str(result["selected_on"]), test_images=int(final["images"]),
            final_correct=int(final["correct"]), selected_correct=int(selected["correct"]),
            wall_s=float(result["wall_s"]), images_per_s=float(result["images_per_s"]), model=str(config["model"]),
            validation=str(config.get("validation", "")), hyperparameters={k: config.get(k) for k in HYPER},
        )  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{run}: not a finished training run ({type(exc).__name__}: {exc})") from None


def load_kept(path: Path, exclude: Collection[str] = ()) -> list[RunSummary]:
    """The runs of an earlier training.json, less those named in ``exclude`` (given again)."""
    try:
        data = json.loads(path.read_text())
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"schema_version {data.get('schema_version')!r}, expected {SCHEMA_VERSION}")
        runs = [RunSummary(**r) for r in data["runs"]]
        # Labelled again against today's recipes (the earlier report labelled them against its own);
        # a hyper-parameter an older report did not list is None, as for a run from before it.
        runs = [replace(r, recipe=_relabel(r), hyperparameters={k: r.hyperparameters.get(k) for k in HYPER})
                for r in runs]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"{path}: not a training report ({type(exc).__name__}: {exc})") from None
    return [r for r in runs if r.run not in exclude]


def _relabel(run: RunSummary) -> str:
    # None in a report's hyperparameters: the run's config had no such field.
    known = {k: v for k, v in run.hyperparameters.items() if v is not None}
    return recipe_label({**known, "recipe": run.recipe.split(" ", 1)[0]})


def recipe_summary(runs: Sequence[RunSummary]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for recipe in sorted({r.recipe for r in runs}):
        mine = [r for r in runs if r.recipe == recipe]
        finals = [r.final_test_accuracy for r in mine]
        out[recipe] = {
            "runs": len(mine),
            "seeds": sorted(r.seed for r in mine),
            "epochs": sorted({r.epochs for r in mine}),
            "median_final_test_accuracy": statistics.median(finals),
            "min_final_test_accuracy": min(finals),
            "max_final_test_accuracy": max(finals),
            "median_selected_test_accuracy": statistics.median(r.selected_test_accuracy for r in mine),
            "median_wall_s": statistics.median(r.wall_s for r in mine),
        }
    return out


def environment(note: str) -> dict[str, Any]:
    import torch

    return {
        "device": "cpu",
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "note": note,
    }


def build_report(runs: Sequence[RunSummary], note: str = "", kept: Sequence[str] = ()) -> dict[str, Any]:
    """``kept``: names of the runs carried from an earlier report (no folder this time)."""
    ordered = sorted(runs, key=lambda r: (r.recipe != "default", r.recipe, r.seed, r.run))
    return {
        "schema_version": SCHEMA_VERSION,
        "environment": environment(note),
        "runs": [asdict(r) for r in ordered],
        "recipes": recipe_summary(ordered),
        "kept_runs": sorted(kept),
    }


def _pct(value: float) -> str:
    return f"{100 * value:.2f}%"


def render_markdown(report: dict[str, Any], figures: dict[str, dict[str, str]], overlay: str | None) -> str:
    env, runs = report["environment"], report["runs"]
    lines = [
        "# Training on SIGNS (regenerated by `python3 -m resnet_verify.train.runs_report`)",
        "",
        f"Measured on {env['device']}: {env['cpu_count']} cores ({env['processor']}), torch {env['torch']}. "
        + env["note"],
        "",
        "Selection (`best.pt`) is made on the validation split only; the 120 test images are evaluated once, "
        "after the last epoch, for the final weights and for the validation-selected ones.",
        "",
        "## Per recipe",
        "",
        "| recipe | runs | epochs | median final test acc | min - max final | median selected test acc | median wall |",
        "|---|---|---|---|---|---|---|",
    ]
    for recipe, s in report["recipes"].items():
        epochs = ", ".join(str(e) for e in s["epochs"])
        lines.append(f"| {recipe} | {s['runs']} (seeds {', '.join(map(str, s['seeds']))}) | {epochs} | "
                     f"{_pct(s['median_final_test_accuracy'])} | {_pct(s['min_final_test_accuracy'])} - "
                     f"{_pct(s['max_final_test_accuracy'])} | {_pct(s['median_selected_test_accuracy'])} | "
                     f"{s['median_wall_s']:.0f} s |")  # fmt: skip
    lines += ["", "## Runs", "",
              "| run | recipe | seed | epochs | final test acc | selected epoch (val acc) | selected test acc | selected_on | wall | images/s |",
              "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    kept = set(report.get("kept_runs", ()))
    for r in runs:
        name = f"{r['run']} (kept)" if r["run"] in kept else r["run"]
        lines.append(f"| {name} | {r['recipe']} | {r['seed']} | {r['epochs']} | {_pct(r['final_test_accuracy'])} "
                     f"({r['final_correct']}/{r['test_images']}) | {r['selected_epoch']} ({_pct(r['selected_val_accuracy'])}) | "
                     f"{_pct(r['selected_test_accuracy'])} ({r['selected_correct']}/{r['test_images']}) | {r['selected_on']} | "
                     f"{r['wall_s']:.0f} s | {r['images_per_s']:.1f} |")  # fmt: skip
    if kept:
        lines += ["", "*kept*: measured for an earlier report and carried by `--keep` (its run folder is not "
                  "on this machine any more); its figures are the ones that report copied."]  # fmt: skip
    lines += ["", "## Recipes as run", "", "| recipe | " + " | ".join(HYPER) + " |",
              "|---|" + "---|" * len(HYPER)]  # fmt: skip
    seen: set[str] = set()
    for r in runs:
        if r["recipe"] not in seen:
            seen.add(r["recipe"])
            lines.append(
                f"| {r['recipe']} | " + " | ".join(str(r["hyperparameters"][k]) for k in HYPER) + " |"
            )
    validation = sorted({r["validation"] for r in runs})
    lines += ["", f"Validation split: {'; '.join(validation)}.", "", "## Figures", ""]
    if overlay:
        lines += [f"![validation accuracy of every run]({overlay})", ""]
    for run, files in figures.items():
        lines.append(f"- {run}: " + ", ".join(f"[{kind}]({path})" for kind, path in files.items()))
    return "\n".join(lines) + "\n"


def plot_overlay(path: Path, run_dirs: Sequence[Path]) -> None:
    """Validation accuracy per epoch of every run, one line each."""
    import csv

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for run in run_dirs:
        with (run / "metrics.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        ax.plot(
            [int(r["epoch"]) for r in rows],
            [100 * float(r["val_acc"]) for r in rows],
            marker=".",
            label=run.name,
        )
    ax.set(xlabel="epoch", ylabel="validation accuracy (%)", title="SIGNS: validation accuracy per epoch")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="png")


_FIGURES = (("curves", "curves.png"), ("confusion (final)", "confusion.png"))


def write_report(
    run_dirs: Sequence[Path], out_dir: Path, note: str = "", kept: Sequence[RunSummary] = ()
) -> dict[str, Any]:
    """Write training.json, training.md and training/ (figures) under ``out_dir``; returns the JSON.

    ``kept`` runs (from :func:`load_kept`) keep the figures an earlier report copied; the overlay of
    validation curves is drawn from the run folders only (a kept run has no metrics.csv here)."""
    if not run_dirs:
        raise UsageError("no finished training run (a folder with config.json, metrics.csv, result.json)")
    runs = [load_run(r) for r in run_dirs]
    given = {r.run for r in runs}
    kept = [k for k in kept if k.run not in given]
    report = build_report([*runs, *kept], note, kept=[k.run for k in kept])
    fig_dir = out_dir / "training"
    fig_dir.mkdir(parents=True, exist_ok=True)
    figures: dict[str, dict[str, str]] = {}
    for run in run_dirs:
        for _, name in _FIGURES:
            if (run / name).exists():
                shutil.copyfile(run / name, fig_dir / f"{run.name}-{name}")
    for name in sorted(given | {k.run for k in kept}):
        figures[name] = {
            kind: f"training/{name}-{file}"
            for kind, file in _FIGURES
            if (fig_dir / f"{name}-{file}").exists()
        }
    plot_overlay(fig_dir / "validation_accuracy.png", run_dirs)
    write_text_atomic(out_dir / "training.json", json.dumps(report, indent=2) + "\n")
    write_text_atomic(
        out_dir / "training.md", render_markdown(report, figures, "training/validation_accuracy.png")
    )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m resnet_verify.train.runs_report", description=__doc__)
    parser.add_argument("runs", nargs="+", help="run folders, or folders of run folders")
    parser.add_argument("--out", default="reports", help="where training.md/.json go (default reports)")
    parser.add_argument("--note", default="", help="a sentence about the machine, printed under the title")
    parser.add_argument("--keep", metavar="EARLIER.json", help="also list the runs of an earlier training.json "
                        "whose folders are not given (marked kept)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        finished, unfinished = find_runs(args.runs)
        for run in unfinished:
            print(f"runs_report: {run} is not finished (no result.json); left out", file=sys.stderr)
        kept = load_kept(Path(args.keep), {r.name for r in finished}) if args.keep else []
        report = write_report(finished, Path(args.out), args.note, kept)
    except UsageError as exc:
        print(f"runs_report: error: {exc}", file=sys.stderr)
        return 2
    for recipe, s in report["recipes"].items():
        print(
            f"{recipe}: {s['runs']} runs, median final test accuracy {_pct(s['median_final_test_accuracy'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
