"""``resnet-verify check`` on a config of five models vs five separate ``compare`` processes (#26).

    python benchmarks/check_config.py              # 3 alternating rounds, writes the report section
    python benchmarks/check_config.py --rounds 1 --no-write

The five models are fixture ResNet-50 files (an equivalent re-implementation and four single
defects) against torchvision's resnet50 at 64 px, as a project's ``[[tool.resnet-verify.models]]``
would list them. Both sides run as a user runs them, in new processes with a warm reference cache
(filled before the first round); each round runs both, in an order rotated by one per round, so a
burst of load from another session hits both alike. What ``check`` saves: four Python + torch
start-ups and four reference traces. The section between the ``check`` markers of
``reports/benchmarks.md`` is replaced, or appended.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, loadavg, log, machine_facts

BEGIN, END = "<!-- check:begin -->", "<!-- check:end -->"
REPORT = ROOT / "reports" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "results" / "check_config.json"
MODELS = ROOT / "tests" / "fixtures" / "models"
FIVE = (
    "equiv_renamed_caffe",
    "broken_v1_stride_layer3",
    "broken_conv_bias",
    "broken_keras_batchnorm",
    "broken_missing_relu_layer3_2",
)
SIZE = ["--input-size", "64", "--num-classes", "6"]


def config_text() -> str:
    tables = [
        f'[[tool.resnet-verify.models]]\nmodel = "{MODELS / name}.py:build"\nreference = "resnet50"\n'
        f"input-size = 64\nnum-classes = 6\n"
        for name in FIVE
    ]
    return "\n".join(tables)


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "resnet_verify", *argv]


def _run(commands: list[list[str]], env: dict[str, str]) -> float:
    start = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return time.perf_counter() - start


def measure(rounds: int) -> dict[str, dict[str, float]]:
    folder = Path(tempfile.mkdtemp(prefix="rv-check-bench-"))
    config = folder / "pyproject.toml"
    config.write_text(config_text())
    env = {**os.environ, "RESNET_VERIFY_CACHE_DIR": str(folder / "cache")}
    sides = {
        "check: one process, 5 models": [_cli("check", "--config", str(config))],
        "compare: 5 processes, one model each": [
            _cli("compare", "--model", f"{MODELS / name}.py:build", "--reference", "resnet50", *SIZE)
            for name in FIVE
        ],
    }
    _run(sides["check: one process, 5 models"], env)  # fills the reference cache
    times: dict[str, list[float]] = {label: [] for label in sides}
    labels = list(sides)
    for r in range(rounds):
        for label in labels[r % 2 :] + labels[: r % 2]:
            times[label].append(_run(sides[label], env))
            log(f"round {r + 1}: {label}: {times[label][-1]:.2f} s")
    return {
        label: {"median_s": statistics.median(t), "min_s": min(t), "max_s": max(t)}
        for label, t in times.items()
    }


def section(
    results: dict[str, dict[str, float]], rounds: int, load: tuple[float | None, float | None]
) -> str:
    check, compare = results.values()
    rows = "\n".join(
        f"| {k} | {v['median_s']:.2f} s ({v['min_s']:.2f}–{v['max_s']:.2f}) |" for k, v in results.items()
    )
    shown = ["unknown" if x is None else f"{x:.2f}" for x in load]
    return (
        f"{BEGIN}\n## check: five models in one process\n\n"
        f"`python benchmarks/check_config.py`: medians of {rounds} alternating rounds, new processes, warm "
        f"reference cache; five fixture ResNet-50 files vs resnet50 at 64 px. 1-minute load average "
        f"{shown[0]} before, {shown[1]} after (2 cores shared with other sessions).\n\n"
        f"| what | wall time (min–max) |\n|---|---:|\n{rows}\n\n"
        f"`check` takes {check['median_s'] / compare['median_s']:.2f}× the time of the five `compare` "
        f"processes.\n{END}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    before = loadavg()
    results = measure(args.rounds)
    text = section(results, args.rounds, (before, loadavg()))
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps({"results": results, "machine": machine_facts()}, indent=2) + "\n")
        report = REPORT.read_text(encoding="utf-8")
        if BEGIN in report:
            report = report[: report.index(BEGIN)] + text + report[report.index(END) + len(END) :]
        else:
            report = report.rstrip("\n") + "\n\n" + text + "\n"
        REPORT.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
