"""The in-process halves of ``speed_targets.py``, each run in a fresh process of its own.

    python benchmarks/_speed_worker.py in-process --rounds 7 --sizes 64,224
    python benchmarks/_speed_worker.py cli-phases --model FILE.py:build --size 64

Each prints one JSON object on stdout. ``in-process``: ``compare`` of a CPU-built
``resnet_verify.models.resnet50`` against ``torchinfo.summary`` of the same model, alternating
rounds after a warm-up, for the three kinds of compare the targets name. ``cli-phases``: what
``resnet-verify compare --model FILE`` does, step by step, with a clock between the steps.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# As the CLI sets it before torch is imported: under another process's load, OpenMP's default
# spin-waiting makes a 2-thread real forward (torchinfo's) several times slower than it is.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _clock(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _cases(model: Any, size: int) -> dict[str, Callable[[], object]]:
    """The compares the targets name, and the baseline: label -> call."""
    import torchinfo

    from resnet_verify.verify.comparison import compare, reference_trace

    def run(cache: bool = True) -> object:
        return compare(model, "resnet50", input_size=size, num_classes=1000, cache=cache)

    def first(cache: bool) -> object:
        reference_trace.cache_clear()  # the in-memory memo: what a new process starts without
        return run(cache)

    return {
        "compare (reference trace in memory)": run,
        "first compare, reference read from the trace cache": lambda: first(True),
        "first compare, reference built and traced (no cache)": lambda: first(False),
        "torchinfo.summary": lambda: torchinfo.summary(model, input_size=(1, 3, size, size), verbose=0),
    }


def _parts(model: Any, size: int) -> dict[str, Callable[[], object]]:
    """Where a compare's time goes: its steps, through the same functions."""
    from resnet_verify.tracing.tracer import normalize_input_shape, trace
    from resnet_verify.verify.comparison import compare_traces, reference_trace

    shape = normalize_input_shape(size)
    build_ref = reference_trace.__wrapped__
    ref, cand = build_ref("resnet50", shape, 1000, cache=False), trace(model, size)
    return {
        "reference built on meta + traced": lambda: build_ref("resnet50", shape, 1000, cache=False),
        "reference read from the trace cache": lambda: build_ref("resnet50", shape, 1000),
        "trace(candidate)": lambda: trace(model, size),
        "compare_traces (align, diff, explain)": lambda: compare_traces(
            ref, cand, reference_name="resnet50", candidate_name="ResNet", num_classes=1000
        ),
    }


def alternate(cases: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Each case's time in each of ``rounds`` rounds (the order rotated by one per round, so load
    from another process hits every case alike), after one untimed warm-up of every case."""
    for fn in cases.values():
        fn()
    names, runs = list(cases), {k: [] for k in cases}  # type: list[str], dict[str, list[float]]
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            runs[name].append(_clock(cases[name]))
    return runs


def in_process(rounds: int, sizes: list[int]) -> dict[str, Any]:
    import torch

    from resnet_verify.models.resnet import resnet50

    model = resnet50(num_classes=1000).eval()  # built normally, real weights, on the CPU
    found: dict[str, Any] = {"sizes": {}, "threads": torch.get_num_threads()}
    for size in sizes:
        cases = _cases(model, size)
        timed = alternate(cases, rounds)
        parts = alternate(_parts(model, size), max(3, rounds // 2))
        found["sizes"][str(size)] = {"cases": timed, "parts": parts}
    found["dynamo_loaded"] = "torch._dynamo" in sys.modules  # meta traces from then on
    return found


def cli_phases(spec: str, size: int) -> dict[str, float]:
    """The CLI's compare of ``spec``, step by step (reference cache warm, as in the timed rounds)."""
    clock, marks = time.perf_counter, [("start", time.perf_counter())]

    def mark(name: str) -> None:
        marks.append((name, clock()))

    from resnet_verify import _fast_import

    # As entry() does it; a checkout from before the collector pause imports torch plainly.
    paused = getattr(_fast_import, "torch_imported_once", contextlib.nullcontext)
    with paused():
        import torch  # noqa: F401

        mark("import torch")
        _fast_import.import_flop_counter_without_triton()
    mark("torch.utils.flop_counter (triton hidden), collector resumed")
    from resnet_verify.cli.main import main_parser

    try:  # what main() builds: only the command it runs (all of them before that change)
        parser = main_parser("compare")
    except TypeError:
        parser = main_parser()
    parser.parse_args(["compare", "--model", spec, "--input-size", str(size)])
    mark("the command line parsed")
    from resnet_verify.report.formats import render
    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify import comparison

    mark("import the compare path (specs, tracing, verify, report)")
    model, name = build_model(spec, num_classes=None, input_size=(3, size, size), random_init=False)
    mark("build the model (the user's code, real initialisers)")
    shape = (1, 3, size, size)
    cand = comparison._candidate_trace(model, shape, None, True)
    mark("trace the candidate (in place)")
    classes, _ = comparison.classes_from_head(cand)
    ref = comparison.reference_trace("resnet50", shape, classes)
    mark("reference trace from the trace cache")
    found = comparison.compare_traces(
        ref, cand, reference_name="resnet50", candidate_name=name, num_classes=classes
    )
    mark("compare_traces (align, diff, explain)")
    render(found, "text")
    mark("render")
    return {b: t1 - t0 for (_, t0), (b, t1) in itertools.pairwise(marks)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("in-process", "cli-phases"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sizes", default="64,224")
    parser.add_argument("--model", default="")
    parser.add_argument("--size", type=int, default=64)
    args = parser.parse_args()
    if args.what == "in-process":
        result: Any = in_process(args.rounds, [int(s) for s in args.sizes.split(",")])
    else:
        result = cli_phases(args.model, args.size)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
