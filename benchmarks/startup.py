"""What a command-line user waits: ``resnet-verify compare`` in a new process, warm and cold
reference cache, against ``python -c "import torch"``, a torchinfo script and a TorchLens script.

    python benchmarks/startup.py                 # 7 alternating rounds, writes the report section
    python benchmarks/startup.py --rounds 3 --no-write

Every round runs each command once, in an order rotated by one per round, so a burst of load from
another process on this shared machine hits each command alike; the tables give medians over the
rounds and the median of each round's own ratio. *Warm* reuses one reference-cache folder filled
before the first round; *cold* gets an empty folder every run (the files torch and torchvision are
read from stay in the OS page cache either way: this measures the reference cache, not the disk).
TorchLens is optional (``pip install torchlens``); without it its row says so. The section between
the ``startup`` markers in ``reports/benchmarks.md`` is replaced; the rest of the file is kept.
"""

from __future__ import annotations

import argparse
import importlib.util
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
from _common import ROOT, fmt_s, loadavg, log, machine_facts, table

BEGIN, END = "<!-- startup:begin -->", "<!-- startup:end -->"
REPORT = ROOT / "reports" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "results" / "startup.json"

TORCHINFO = (
    "import torch, torchinfo, torchvision\n"
    "torchinfo.summary(torchvision.models.resnet50(), input_size=(1, 3, {size}, {size}))\n"
)
TORCHLENS = (
    "import torch, torchlens\n"
    "from resnet_verify.models.resnet import resnet50\n"
    "torchlens.trace(resnet50().eval(), torch.rand(1, 3, {size}, {size}))\n"
)
# In one process, where the warm compare's time goes (the cache folder is warm).
# It does what the CLI's compare does: flop_counter imported with triton hidden, the candidate built
# with zero-filled random init and traced in place (owned).
PHASES = """
import time, json, sys
t0 = time.perf_counter()
from resnet_verify._fast_import import import_flop_counter_without_triton
import_flop_counter_without_triton()  # imports torch
t1 = time.perf_counter()
from resnet_verify.report.formats import render
from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare, reference_trace
t2 = time.perf_counter()
model, name = build_model("resnet50", num_classes=1000, random_init=False)
t3 = time.perf_counter()
reference_trace("resnet50", (1, 3, {size}, {size}), 1000)
t4 = time.perf_counter()
c = compare(model, "resnet50", input_size={size}, num_classes=1000, candidate_name=name, owned=True)
t5 = time.perf_counter()
render(c, "text")
t6 = time.perf_counter()
c = compare(model, "resnet50", input_size={size}, num_classes=1000, candidate_name=name)
t7 = time.perf_counter()
print(json.dumps({{"import torch (+ torch.utils.flop_counter without triton)": t1 - t0,
    "import resnet_verify (compare path)": t2 - t1,
    "build the candidate (random init skipped)": t3 - t2, "reference trace from the cache": t4 - t3,
    "first compare: trace the candidate in place + align, diff, explain": t5 - t4, "render": t6 - t5,
    "a second compare in the same process (on a copy)": t7 - t6}}))
import statistics, torchinfo
def pairs():
    got = []
    for _ in range(7):  # alternating, after one warm-up each
        a = time.perf_counter(); compare(model, "resnet50", input_size={size}, num_classes=1000)
        b = time.perf_counter(); torchinfo.summary(model, input_size=(1, 3, {size}, {size}), verbose=0)
        c = time.perf_counter(); got.append((b - a, c - b))
    got = got[1:]
    return {{"compare": statistics.median(p[0] for p in got),
        "torchinfo": statistics.median(p[1] for p in got),
        "ratio": statistics.median(p[0] / p[1] for p in got)}}
cpu = pairs()  # torch._dynamo not loaded: the tracer runs the small CPU model on CPU
import torch._dynamo  # what a process's first meta trace imports; from then on it traces on meta
print(json.dumps({{"cpu": cpu, "meta": pairs()}}))
"""


def commands(size: int, warm_dir: str, scratch: Path) -> dict[str, tuple[list[str], str | None]]:
    """label -> (argv, cache folder: a fixed one, None for no cache, "fresh" for a new one per run)."""
    compare = [
        sys.executable,
        "-m",
        "resnet_verify",
        "compare",
        "--model",
        "resnet50",
        "--input-size",
        str(size),
    ]
    found = {
        "python -c 'import torch'": ([sys.executable, "-c", "import torch"], None),
        f"compare --model resnet50 --input-size {size} (warm cache)": (compare, warm_dir),
        f"compare --model resnet50 --input-size {size} (cold cache)": (compare, "fresh"),
        f"torchinfo.summary(torchvision resnet50) @{size} script": (
            [sys.executable, "-c", TORCHINFO.format(size=size)],
            None,
        ),
    }
    if importlib.util.find_spec("torchlens") is not None:
        found[f"torchlens.trace(resnet50) @{size} script"] = (
            [sys.executable, "-W", "ignore", "-c", TORCHLENS.format(size=size)],
            None,
        )
    return found


def run_once(argv: list[str], cache: str | None, scratch: Path) -> tuple[float, int]:
    env = {**os.environ}
    if cache == "fresh":
        env["RESNET_VERIFY_CACHE_DIR"] = tempfile.mkdtemp(dir=scratch)
    elif cache is not None:
        env["RESNET_VERIFY_CACHE_DIR"] = cache
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600
    )
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        log(f"{argv[-1][:60]!r} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return wall, done.returncode


def measure(size: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rv-startup-") as tmp:
        scratch = Path(tmp)
        warm_dir = str(scratch / "warm-cache")
        cmds = commands(size, warm_dir, scratch)
        labels = list(cmds)
        run_once(*cmds[labels[1]], scratch)  # fills the warm cache (and the OS page cache)
        runs: dict[str, list[float]] = {label: [] for label in labels}
        codes: dict[str, set[int]] = {label: set() for label in labels}
        load_start = loadavg()
        for r in range(rounds):
            order = labels[r % len(labels) :] + labels[: r % len(labels)]
            for label in order:
                wall, code = run_once(*cmds[label], scratch)
                runs[label].append(wall)
                codes[label].add(code)
            log(f"round {r + 1}/{rounds}: " + ", ".join(f"{runs[k][-1]:.2f}s" for k in labels))
        env = {**os.environ, "RESNET_VERIFY_CACHE_DIR": warm_dir}
        phases = subprocess.run(
            [sys.executable, "-c", PHASES.format(size=size)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        lines = phases.stdout.splitlines() if phases.returncode == 0 else []
        if phases.returncode != 0:
            log(f"phases script failed: {phases.stderr[-400:]}")
        phase_times = json.loads(lines[0]) if lines else {}
        in_process = json.loads(lines[1]) if len(lines) > 1 else {}
    return {
        "size": size,
        "rounds": rounds,
        "labels": labels,
        "runs": runs,
        "exit_codes": {k: sorted(v) for k, v in codes.items()},
        "phases": phase_times,
        "in_process": in_process,
        "load": [load_start, loadavg()],
        "machine": machine_facts(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _paired(result: dict[str, Any], label: str, base: str) -> float:
    a, b = result["runs"][label], result["runs"][base]
    return statistics.median(x / y for x, y in zip(a, b))


def render_section(result: dict[str, Any]) -> str:
    labels, runs = result["labels"], result["runs"]
    torch_label, warm, cold, info = labels[0], labels[1], labels[2], labels[3]
    rows = []
    for label in labels:
        med = statistics.median(runs[label])
        rows.append(
            [
                f"`{label}`",
                fmt_s(med),
                f"{fmt_s(min(runs[label]))}–{fmt_s(max(runs[label]))}",
                f"{_paired(result, label, torch_label):.2f}×",
                f"{_paired(result, label, info):.2f}×",
                ", ".join(map(str, result["exit_codes"][label])),
            ]
        )
    target = _paired(result, warm, torch_label)
    verdict = "meets" if target <= 1.25 else "misses"
    phases = result["phases"]
    phase_rows = [[k, fmt_s(v)] for k, v in phases.items()]
    load = result["load"]
    lines = [
        BEGIN,
        "## Start-up: compare in a new process",
        "",
        f"Reproduce: `python benchmarks/startup.py --rounds {result['rounds']}` "
        f"({result['when']}, {result['machine']['cores']} cores shared with other work; "
        f"1-minute load average {load[0]:.2f} at the start, {load[1]:.2f} at the end).",
        "",
        f"{result['rounds']} rounds; each round runs every command once, the order rotated by one per "
        "round. Medians over the rounds; the ratio columns are the median of each round's own ratio "
        "(so a burst of load that hits one round hits both sides of its ratio). *Warm*: the "
        "reference's trace comes from the cache (a compare of a pure-torch model then never imports "
        "torchvision); *cold*: an empty cache folder per run, so the reference is built and traced "
        "(torchvision imported) and stored.",
        "",
        table(
            ["fresh process", "median", "min–max", "× import torch", "× torchinfo script", "exit"],
            rows,
        ),
        "",
        f"Target: warm compare ≤ 1.25× `python -c 'import torch'`: **{target:.2f}×** — {verdict} it. "
        f"Cold / warm: {_paired(result, cold, warm):.2f}×.",
        "",
        "A warm compare never imports torchvision nor `torch._dynamo`: torch's meta kernels of relu, "
        "add, mean, addmm and batch_norm are Python refs wrapped in `torch._disable_dynamo`, whose "
        "first call imports `torch._dynamo` (~0.8 s here), and `FlopCounterMode` is wrapped the same "
        "way; so MACs are counted by a dispatch mode of our own over torch's FLOP formulas, and a "
        "small CPU model is traced on a real CPU copy while `torch._dynamo` is not loaded "
        "(`resnet_verify/tracing/tracer.py`). The CLI also imports `torch.utils.flop_counter` with "
        "triton hidden (it imports triton only for triton kernels: `resnet_verify/_fast_import.py`), "
        "builds the candidate with zero-filled random init (nothing reads its values: "
        "`resnet_verify/specs/shape_init.py`) and traces it in place rather than on a copy. What "
        "remains above `import torch` is in the phases below.",
        "",
        f"Where a warm compare's time goes (one process, `--input-size {result['size']}`, cache warm):",
        "",
        table(["phase", "time"], phase_rows),
        "",
        *_in_process_lines(result),
        END,
    ]
    return "\n".join(lines)


def _in_process_lines(result: dict[str, Any]) -> list[str]:
    got = result.get("in_process") or {}
    if not got:
        return []
    if "cpu" not in got:  # a results file from before the tracer's CPU path
        got = {"meta": got}
    how = {
        "cpu": "the candidate traced on a real CPU copy (what a process does before torch._dynamo is loaded)",
        "meta": "the candidate traced on meta tensors (once torch._dynamo is loaded)",
    }
    rows = [
        f"- {how[k]}: `compare` {fmt_s(v['compare'])} vs `torchinfo.summary` {fmt_s(v['torchinfo'])}: "
        f"**{v['ratio']:.2f}×**"
        for k, v in got.items()
    ]
    return [
        f"In the same process (model built, reference memoised), at {result['size']} px, median of 6 "
        "alternating pairs against `torchinfo.summary` of the same CPU-built model (target ≤ 1×):",
        "",
        *rows,
        "",
    ]


def write_section(section: str, path: Path = REPORT) -> None:
    """Replace the marked section of ``path``, or append it; everything else stays as it was."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--input-size", type=int, default=64)
    parser.add_argument("--no-write", action="store_true", help="print the section, do not touch the report")
    parser.add_argument(
        "--from-json", metavar="FILE", help="render a previous run's results, measure nothing"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(Path(args.from_json).read_text())
    else:
        result = measure(args.input_size, args.rounds)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    section = render_section(result)
    print(section)
    if not args.no_write:
        write_section(section)
        log(f"section written to {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
