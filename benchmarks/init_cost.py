"""What building with the real initialisers costs (issue #29): user code is always built as Python
builds it; only the family, torchvision and timm builders may skip drawing random weights.

    python benchmarks/init_cost.py                 # 7 alternating rounds, writes the report section
    python benchmarks/init_cost.py --rounds 3 --no-write

In one process, alternating per round: ``build_model`` of resnet50 with the shape-only shortcut and
with real initialisers, ``build_model`` of a hand-written ResNet-50 file (which always gets real
initialisers now), and a whole in-process ``compare`` of that file with resnet50 at 64 px. Medians
over rounds; the section between the ``init-cost`` markers in ``reports/benchmarks.md`` is replaced.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, log, machine_facts

BEGIN, END = "<!-- init-cost:begin -->", "<!-- init-cost:end -->"
REPORT = ROOT / "reports" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "results" / "init_cost.json"
USER_FILE = ROOT / "tests" / "fixtures" / "edits" / "torchvision_style.py"


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(rounds: int) -> dict[str, float]:
    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.comparison import compare

    user = f"{USER_FILE}:build"
    cases: dict[str, Callable[[], object]] = {
        "resnet50, zeros (shortcut)": lambda: build_model("resnet50", num_classes=1000, random_init=False),
        "resnet50, real init": lambda: build_model("resnet50", num_classes=1000),
        "user file ResNet-50, real init": lambda: build_model(user, num_classes=1000, random_init=False),
        "compare user file vs resnet50 @64": lambda: compare(
            build_model(user, num_classes=6, random_init=False)[0],
            "resnet50",
            input_size=(3, 64, 64),
            num_classes=6,
            owned=True,
        ),
    }
    for fn in cases.values():  # warm imports and the reference cache
        fn()
    times: dict[str, list[float]] = {k: [] for k in cases}
    names = list(cases)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            times[name].append(_timed(cases[name]))
        log(f"round {r + 1}/{rounds}")
    return {k: statistics.median(v) for k, v in times.items()}


def section(medians: dict[str, float], rounds: int) -> str:
    base = medians["resnet50, zeros (shortcut)"]
    rows = "\n".join(f"| {k} | {v * 1000:.0f} ms | {v / base:.2f}x |" for k, v in medians.items())
    return (
        f"{BEGIN}\n## Real initialisation (what building as Python builds costs)\n\n"
        f"Medians of {rounds} alternating rounds in one process (`python benchmarks/init_cost.py`). User "
        "code is always built with its real initialisers (a pruned or exported model depends on them); "
        "only the family, torchvision and timm builders skip drawing random weights.\n\n"
        f"| what | median | vs resnet50 zeros |\n|---|---|---|\n{rows}\n{END}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    medians = measure(args.rounds)
    text = section(medians, args.rounds)
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps({"medians_s": medians, "machine": machine_facts()}, indent=2) + "\n")
        report = REPORT.read_text()
        if BEGIN in report:
            report = report[: report.index(BEGIN)] + text + report[report.index(END) + len(END) :]
        else:
            report = report.rstrip("\n") + "\n\n" + text + "\n"
        REPORT.write_text(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
