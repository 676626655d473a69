"""The three speed targets of issue #25, measured side by side in one run:

1. a warm command-line ``resnet-verify compare`` of a hand-written ResNet-50 file at 64 px against
   ``python -c "import torch"`` (target ≤ 1.15×);
2. an in-process ``compare`` (reference trace in memory) against ``torchinfo.summary`` of the same
   model at 64 and 224 px (target ≤ 1×);
3. a first ``compare`` (reference trace not cached) against the same baseline (target ≤ 1.5×).

    python benchmarks/speed_targets.py                 # 9 CLI rounds, 7 in-process; writes the section
    python benchmarks/speed_targets.py --rounds 3 --no-write
    python benchmarks/speed_targets.py --baseline /tmp/old-checkout --no-write   # before vs after

Command-line rounds run every command once per round in an order rotated by one per round, so a
burst of load from another process hits both sides of a ratio alike; a ratio is the median of the
rounds' own ratios. The in-process figures come from fresh processes (``_speed_worker.py
in-process``) that alternate the compares and ``torchinfo.summary`` the same way; a breakdown
(``cli-phases``) says where the command's time goes. ``--baseline DIR``: another checkout (say, the
code before a change) whose commands join the same rounds, and whose in-process worker alternates
with this one's, so both are measured under the same load. The section between the
``speed-targets`` markers in ``reports/benchmarks.md`` is replaced (``_speed_render.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, loadavg, log, machine_facts, replace_section
from _speed_render import BEGIN, END, MODELS, TORCH, TORCH_AS_CLI, render_section

REPORT = ROOT / "reports" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "results" / "speed_targets.json"
BASELINE = " [baseline]"  # suffix of the baseline checkout's command labels


def _compare_argv(spec: str, size: int) -> list[str]:
    return [sys.executable, "-m", "resnet_verify", "compare", "--model", spec, "--input-size", str(size)]


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: the model differs from the reference (a finding)
        log(f"{' '.join(argv[-4:])} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return wall


def _commands(size: int, trees: dict[str, Path]) -> dict[str, tuple[list[str], Path]]:
    """label -> (argv, folder it runs in): ``import torch`` once, each model's compare per tree."""
    cmds = {TORCH: ([sys.executable, "-c", "import torch"], ROOT)}
    cmds[TORCH_AS_CLI] = ([sys.executable, "-c", TORCH_AS_CLI.split("'")[1]], ROOT)
    for suffix, tree in trees.items():
        for m in MODELS:
            cmds[f"resnet-verify compare --model {m} --input-size {size}{suffix}"] = (
                _compare_argv(m, size),
                tree,
            )
    return cmds


def measure_cli(
    size: int, rounds: int, env: dict[str, str], trees: dict[str, Path]
) -> dict[str, list[float]]:
    """Fresh processes, alternating: each command's wall time per round."""
    cmds = _commands(size, trees)
    for argv, cwd in list(cmds.values())[2:]:
        _run(argv, cwd, env)  # fills the reference cache, the bytecode cache and the OS page cache
    labels, runs = list(cmds), {k: [] for k in cmds}  # type: list[str], dict[str, list[float]]
    for r in range(rounds):
        for label in labels[r % len(labels) :] + labels[: r % len(labels)]:
            runs[label].append(_run(*cmds[label], env))
        log(f"CLI round {r + 1}/{rounds}: " + ", ".join(f"{runs[k][-1]:.2f}s" for k in labels))
    return runs


def _worker(tree: Path, args: list[str], env: dict[str, str]) -> Any:
    script = tree / "benchmarks" / "_speed_worker.py"
    done = subprocess.run(
        [sys.executable, str(script), *args], cwd=tree, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        log(f"worker {args[0]} in {tree} failed: {done.stderr[-800:]}")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pool(into: dict[str, Any], got: dict[str, Any]) -> None:
    """Append one worker's rounds to the rounds gathered so far (same sizes, same labels)."""
    for key in ("threads", "dynamo_loaded"):
        into[key] = got.get(key)
    for size, parts in got.get("sizes", {}).items():
        for group, runs in parts.items():
            mine = into.setdefault("sizes", {}).setdefault(size, {}).setdefault(group, {})
            for label, times in runs.items():
                mine.setdefault(label, []).extend(times)


def measure_in_process(rounds: int, env: dict[str, str], trees: dict[str, Path]) -> dict[str, Any]:
    """Each tree's worker in turn (twice each when there is a baseline), their rounds pooled."""
    pooled: dict[str, Any] = {suffix: {} for suffix in trees}
    for turn in range(2 if len(trees) > 1 else 1):
        for suffix, tree in trees.items():
            log(f"in-process rounds{suffix or ''} ({turn + 1}) ...")
            _pool(
                pooled[suffix],
                _worker(tree, ["in-process", "--rounds", str(rounds), "--sizes", "64,224"], env),
            )
    return pooled


def cli_phases(size: int, repeats: int, env: dict[str, str]) -> dict[str, float]:
    """Median of each step of the CLI's compare of the first model, over fresh processes."""
    args = ["cli-phases", "--model", MODELS[0], "--size", str(size)]
    runs = [r for r in (_worker(ROOT, args, env) for _ in range(repeats)) if r]
    return {k: statistics.median(r[k] for r in runs) for k in (runs[0] if runs else {})}


def _commit(tree: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tree, capture_output=True, text=True).stdout.strip()

    rev = git("rev-parse", "--short", "HEAD") or "unknown"
    return rev + (" + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def measure(rounds: int, in_rounds: int, size: int, baseline: Path | None, label: str) -> dict[str, Any]:
    trees = {"": ROOT, **({BASELINE: baseline} if baseline else {})}
    with tempfile.TemporaryDirectory(prefix="rv-speed-") as tmp:
        env = {**os.environ, "RESNET_VERIFY_CACHE_DIR": tmp}  # warm after the first compare
        # As installed: Python caches the package's bytecode (torch's is compiled at install time).
        # With PYTHONDONTWRITEBYTECODE=1 and no __pycache__, every process would compile ~110 of
        # the package's modules from source (~0.15 s) and the baseline would compile nothing.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        load = [loadavg()]
        cli = measure_cli(size, rounds, env, trees)
        inproc = measure_in_process(in_rounds, env, trees)
        log("CLI phases ...")
        phases = cli_phases(size, 3, env)
        load.append(loadavg())
    return {
        "size": size,
        "rounds": rounds,
        "in_process_rounds": in_rounds * (2 if baseline else 1),
        "cli_runs": cli,
        "in_process_runs": inproc,
        "cli_phases": phases,
        "baseline": None if baseline is None else {"suffix": BASELINE, "path": str(baseline), "label": label},
        "load": load,
        "machine": machine_facts(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": _commit(ROOT),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="command-line rounds")
    parser.add_argument("--in-process-rounds", type=int, default=7)
    parser.add_argument("--input-size", type=int, default=64)
    parser.add_argument("--baseline", type=Path, help="another checkout, measured in the same rounds")
    parser.add_argument(
        "--baseline-label", default="", help="its column's name in the report (default: its path)"
    )
    parser.add_argument("--notes", metavar="FILE", help="Markdown appended to the section (the analysis)")
    parser.add_argument("--no-write", action="store_true", help="print the section, leave the report")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"raw results (default {RESULTS})")
    parser.add_argument(
        "--from-json", metavar="FILE", help="render a previous run's results, measure nothing"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(Path(args.from_json).read_text())
    else:
        label = args.baseline_label or str(args.baseline)
        result = measure(args.rounds, args.in_process_rounds, args.input_size, args.baseline, label)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    notes = Path(args.notes).read_text() if args.notes else ""
    section = render_section(result, notes)
    print(section)
    if not args.no_write:
        REPORT.write_text(replace_section(REPORT.read_text(), BEGIN, END, section))
        log(f"section written to {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
