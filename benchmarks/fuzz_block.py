"""How long ``fuzz-block`` takes (issue #31: 100 examples of a bottleneck should fit in a CI step).

    python benchmarks/fuzz_block.py                # 5 seeds per row, writes the report section
    python benchmarks/fuzz_block.py --rounds 3 --no-write

Rows: ``check_block`` of a correct bottleneck (torchvision's signature; a Keras port with a free
kernel 1/3/5/7) for 100 examples, in one process after a warm-up, one seed per round (each draws
other configs); a buggy block, to the shrunk counterexample; and the command in a fresh process
(imports included). The section between the ``fuzz-block`` markers of ``reports/benchmarks.md`` is
replaced, or appended.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, loadavg, log, machine_facts

BEGIN, END = "<!-- fuzz-block:begin -->", "<!-- fuzz-block:end -->"
REPORT = ROOT / "reports" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "results" / "fuzz_block.json"
BLOCKS = ROOT / "tests" / "fixtures" / "blocks"
EXAMPLES = 100
ROWS = (
    ("torchvision-style Bottleneck, passes", "torchvision_like.py:Bottleneck", "3x3"),
    ("Keras-port ConvBlock (kernel 1/3/5/7), passes", "keras_port.py:ConvBlock", "1x1"),
    (
        "FixedPaddingConvBlock, fails: time to the shrunk counterexample",
        "seeded_bugs.py:FixedPaddingConvBlock",
        "1x1",
    ),
)
CLI = ["-m", "resnet_verify", "fuzz-block", "--block", f"{BLOCKS}/torchvision_like.py:Bottleneck"]
CLI += ["--kind", "bottleneck", "--examples", str(EXAMPLES)]


def measure(rounds: int) -> dict[str, dict[str, float]]:
    from resnet_verify.testing.block_check import check_block
    from resnet_verify.testing.block_loader import load_factory

    out: dict[str, dict[str, float]] = {}
    for label, spec, stride_in in ROWS:
        factory, _ = load_factory(f"{BLOCKS}/{spec}")
        check_block(factory, "bottleneck", stride_in=stride_in, examples=10)  # warm-up: imports, caches
        times, runs = [], []
        for seed in range(rounds):
            start = time.perf_counter()
            result = check_block(factory, "bottleneck", stride_in=stride_in, examples=EXAMPLES, seed=seed)
            times.append(time.perf_counter() - start)
            runs.append(result.runs)
        out[label] = {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}
        out[label]["runs"] = statistics.median(runs)
        log(f"{label}: {out[label]}")
    walls = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, *CLI], cwd=ROOT, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    out["command in a fresh process, 100 examples, passes"] = {
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "runs": EXAMPLES,
    }
    return out


def _load(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2f}"


def section(
    results: dict[str, dict[str, float]], rounds: int, load: tuple[float | None, float | None]
) -> str:
    rows = "\n".join(
        f"| {k} | {v['runs']:.0f} | {v['median_s']:.2f} s ({v['min_s']:.2f}–{v['max_s']:.2f}) | "
        + ("— |" if k.startswith("command") else f"{v['median_s'] / v['runs'] * 1000:.0f} ms |")
        for k, v in results.items()
    )
    command = "resnet-verify fuzz-block --block tests/fixtures/blocks/torchvision_like.py:Bottleneck"
    return (
        f"{BEGIN}\n## fuzz-block: 100 examples of a bottleneck\n\n"
        f"`python benchmarks/fuzz_block.py`: medians of {rounds} seeds (each draws other configs), in one "
        f"process after a warm-up, except the last row (`{command} --kind bottleneck`, imports "
        f"included). 1-minute load average {_load(load[0])} before, {_load(load[1])} after, on the machine above "
        "(2 cores shared with other sessions). Configs: the examples, plus the shrinking runs when "
        "one fails.\n\n"
        f"| what | configs | time (min–max) | per config |\n|---|---:|---:|---:|\n{rows}\n{END}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
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
