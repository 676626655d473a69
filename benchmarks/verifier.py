"""Verifier benchmarks: ``compare`` speed against torchinfo / torch.fx / a plain forward, tracing
peak memory against batch size and resolution, and trace time against depth.

    python benchmarks/verifier.py [--quick] [--only compare,cold,memory,scaling] [--json FILE] [--plot-dir DIR]

Prints Markdown tables (and writes the PNG plots to ``--plot-dir``, default ``reports/``).
Every timing is the median of ``--repeats`` runs (default 5; 2 with ``--quick``) after one warm-up
run, in this one process, so all rows share the same caches and thread settings. Memory figures
come from a fresh subprocess per measurement: peak RSS after the operation minus the RSS just
before it (imports done and the model built), which is what a user's process pays. The peak is
``VmHWM`` from ``/proc/self/status``, reset to the current RSS just before the call through
``/proc/self/clear_refs``; not ``ru_maxrss``, which on Linux survives fork + exec and so reports at
least the spawning parent's RSS.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, fmt_mib, fmt_s, log, table, timed

DEPTHS = ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152")
MEM_MODEL = "resnet152"
MEM_BATCHES = (1, 64, 256)
MEM_SIZES = (224, 512)
# real no-grad forwards, up to what a 2-core CPU does in about a minute each (256 @512 would need
# ~5 minutes and ~12 GiB of activations: the analytic estimate stands in for it)
REAL_FORWARDS = ((1, 224), (8, 224), (64, 224), (256, 224), (1, 512), (64, 512))
QUICK_FORWARDS = ((1, 224),)
FIRST_COMPARE = (
    "compare, CPU-built, reference trace not in memory (a process's first compare; "
    "read from the persistent cache where there is one)"
)


# ------------------------------------------------------------------------------------ compare


def bench_compare(
    *, sizes: tuple[int, ...] = (64, 224), repeats: int = 5, num_classes: int = 1000
) -> dict[str, Any]:
    import torch
    import torchinfo
    from torch.fx import symbolic_trace
    from torch.fx.passes.shape_prop import ShapeProp

    from resnet_verify.models.resnet import resnet50
    from resnet_verify.specs.builders import build_reference
    from resnet_verify.tracing.copies import meta_copy as _meta_copy
    from resnet_verify.tracing.copies import normalize_input_shape, trace
    from resnet_verify.verify.comparison import compare, compare_traces

    try:  # newer versions memoise the reference trace per (name, shape, classes)
        from resnet_verify.verify.comparison import reference_trace
    except ImportError:
        reference_trace = None
    cache_clear = getattr(reference_trace, "cache_clear", None)
    uncached_reference = getattr(reference_trace, "__wrapped__", reference_trace)
    if uncached_reference is not None and "cache" in inspect.signature(uncached_reference).parameters:
        # the persistent cache would turn "build + trace the reference" into a file read
        uncached_reference = functools.partial(uncached_reference, cache=False)

    try:
        from resnet_verify.verify.equivalence import check_equivalence
    except ImportError as exc:  # the module is optional while it is being written
        check_equivalence = None
        eq_note = (
            f"resnet_verify.verify.equivalence.check_equivalence is not available ({exc}); column skipped"
        )
    else:
        eq_note = None

    cpu_model = resnet50(num_classes=num_classes).eval()
    with torch.device("meta"):
        meta_model = resnet50(num_classes=num_classes).eval()

    rows: list[dict[str, Any]] = []
    verdicts: dict[str, Any] = {}

    def add(size: int, name: str, what: str, fn: Any) -> dict[str, Any]:
        log(f"  compare @{size}: {name} ...")
        result = timed(fn, repeats=repeats, warmup=1)
        row = {"size": size, "name": name, "what": what, **result}
        rows.append(row)
        log(f"    median {fmt_s(result['median_s'])}")
        return row

    for size in sizes:
        shape = (1, 3, size, size)
        ok = verdicts

        def run_compare(model: Any, key: str) -> Any:
            c = compare(model, "resnet50", input_size=size, num_classes=num_classes)
            ok[f"{key}@{size}"] = c.ok
            return c

        add(size, "compare, CPU-built resnet50", "verifier", lambda: run_compare(cpu_model, "cpu"))
        add(size, "compare, meta-built resnet50", "verifier", lambda: run_compare(meta_model, "meta"))
        if check_equivalence is not None:

            def with_eq(model: Any, key: str) -> None:
                c = run_compare(model, key)
                report = check_equivalence(
                    model, "resnet50", input_size=size, num_classes=num_classes, comparison=c
                )
                ok[f"{key}+equivalence@{size}"] = report.equivalent

            add(size, "compare + check_equivalence, CPU-built", "verifier", lambda: with_eq(cpu_model, "cpu"))
            add(
                size,
                "compare + check_equivalence, meta-built",
                "verifier",
                lambda: with_eq(meta_model, "meta"),
            )
        if cache_clear is not None:  # compare memoises the reference's trace: time a first compare too

            def first_compare() -> None:
                cache_clear()
                run_compare(cpu_model, "cpu-uncached")

            add(size, FIRST_COMPARE, "verifier", first_compare)
        # where compare's time goes: its steps, timed one by one through the same functions
        if uncached_reference is not None:
            add(
                size,
                "↳ reference trace (torchvision resnet50 built on meta + traced)",
                "breakdown",
                lambda: uncached_reference("resnet50", normalize_input_shape(size), num_classes),
            )
            ref_trace = uncached_reference("resnet50", normalize_input_shape(size), num_classes)
        else:
            ref_model = build_reference("resnet50", num_classes=num_classes)
            add(
                size,
                "↳ build_reference (torchvision resnet50 on meta)",
                "breakdown",
                lambda: build_reference("resnet50", num_classes=num_classes),
            )
            add(size, "↳ trace(reference)", "breakdown", lambda: trace(ref_model, size))
            ref_trace = trace(ref_model, size)
        add(size, "↳ trace(candidate)", "breakdown", lambda: trace(cpu_model, size))
        cand_trace = trace(cpu_model, size)
        add(
            size,
            "↳ compare_traces (align + diff + explain)",
            "breakdown",
            lambda: compare_traces(
                ref_trace,
                cand_trace,
                reference_name="resnet50",
                candidate_name="ResNet",
                num_classes=num_classes,
            ),
        )
        meta_copy = _meta_copy(cpu_model).eval()
        meta_x = torch.empty(shape, device="meta")

        def meta_forward() -> None:
            with torch.no_grad():
                meta_copy(meta_x)

        add(
            size,
            "plain meta-tensor forward of one resnet50 (no tracer: torch's own meta kernels)",
            "breakdown",
            meta_forward,
        )
        add(
            size,
            "torchinfo.summary (one resnet50, verbose=0)",
            "baseline",
            lambda: torchinfo.summary(cpu_model, input_size=shape, verbose=0),
        )

        def fx() -> None:
            gm = symbolic_trace(cpu_model)
            ShapeProp(gm).propagate(torch.zeros(shape))

        add(size, "torch.fx.symbolic_trace + ShapeProp (one resnet50)", "baseline", fx)

        def forward() -> None:
            with torch.no_grad():
                cpu_model(torch.zeros(shape))

        add(size, "plain forward (eval, no_grad, batch 1)", "baseline", forward)
    ratios = {}
    for size in sizes:
        by = {r["name"]: r["median_s"] for r in rows if r["size"] == size}
        base = by["torchinfo.summary (one resnet50, verbose=0)"]
        ratios[size] = {
            "compare_cpu_vs_torchinfo": by["compare, CPU-built resnet50"] / base,
            "compare_meta_vs_torchinfo": by["compare, meta-built resnet50"] / base,
        }
        first = by.get(FIRST_COMPARE)  # the row's own name: a renamed row once dropped this ratio
        if first is not None:
            ratios[size]["first_compare_vs_torchinfo"] = first / base
    return {
        "rows": rows,
        "ratios": ratios,
        "repeats": repeats,
        "num_classes": num_classes,
        "equivalence_note": eq_note,
        "verdicts": verdicts,
    }


def compare_markdown(res: dict[str, Any]) -> str:
    out = []
    sizes = sorted({r["size"] for r in res["rows"]})
    names = list(dict.fromkeys(r["name"] for r in res["rows"]))
    by = {(r["name"], r["size"]): r for r in res["rows"]}
    headers = ["what", *[f"median @{s} (min–max)" for s in sizes], *[f"× torchinfo @{s}" for s in sizes]]
    rows = []
    for name in names:
        cells = [name]
        for s in sizes:
            r = by.get((name, s))
            cells.append(
                "—" if r is None else f"{fmt_s(r['median_s'])} ({fmt_s(r['min_s'])}–{fmt_s(r['max_s'])})"
            )
        for s in sizes:
            r = by.get((name, s))
            base = by.get(("torchinfo.summary (one resnet50, verbose=0)", s))
            cells.append("—" if r is None or base is None else f"{r['median_s'] / base['median_s']:.2f}×")
        rows.append(cells)
    out.append(table(headers, rows))
    out.append("")
    target = []
    for s, r in sorted(res["ratios"].items(), key=lambda kv: int(kv[0])):
        verdict = "meets" if r["compare_cpu_vs_torchinfo"] <= 1 else "misses"
        first = r.get("first_compare_vs_torchinfo")
        first_text = (
            ""
            if first is None
            else (
                f"; a first compare (reference not yet cached) **{first:.2f}×** — "
                f"{'meets' if first <= 1 else 'misses'} it"
            )
        )
        target.append(
            f"@{s}: compare / torchinfo = **{r['compare_cpu_vs_torchinfo']:.2f}×** "
            f"(meta-built {r['compare_meta_vs_torchinfo']:.2f}×) — {verdict} the ≤ 1× target{first_text}"
        )
    out.append("Target `compare` ≤ 1× one `torchinfo.summary`: " + "; ".join(target) + ".")
    if res.get("equivalence_note"):
        out.append("")
        out.append(f"Note: {res['equivalence_note']}.")
    results = res.get("verdicts") or {}
    if results:
        out.append("")
        out.append(
            "Verdicts seen while timing (all should be True): "
            + ", ".join(f"{k}={v}" for k, v in sorted(results.items()))
            + "."
        )
    return "\n".join(out)


def bench_cold(*, repeats: int = 3, sizes: tuple[int, ...] = (64, 224)) -> dict[str, Any]:
    """Wall time of a fresh process, as a user runs it: the CLI vs torchinfo in a one-line script."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    rows = []
    for size in sizes:
        jobs = {
            f"resnet-verify compare --model resnet50 --input-size {size}": [
                sys.executable,
                "-m",
                "resnet_verify",
                "compare",
                "--model",
                "resnet50",
                "--input-size",
                str(size),
            ],
            f"resnet-verify compare --model resnet50 --input-size {size} --equivalence": [
                sys.executable,
                "-m",
                "resnet_verify",
                "compare",
                "--model",
                "resnet50",
                "--input-size",
                str(size),
                "--equivalence",
            ],
            f"python -c 'torchinfo.summary(resnet50(), (1, 3, {size}, {size}))'": [
                sys.executable,
                "-c",
                "import torchinfo; from resnet_verify.models.resnet import resnet50; "
                f"torchinfo.summary(resnet50(), input_size=(1, 3, {size}, {size}), verbose=0)",
            ],
            "python -c 'import torch' (interpreter + torch import only)": [
                sys.executable,
                "-c",
                "import torch",
            ],
        }
        for label, cmd in jobs.items():
            if label.startswith("python -c 'import torch'") and size != sizes[0]:
                continue
            log(f"  cold: {label} ...")
            codes = []

            def once(cmd: list[str] = cmd) -> None:
                codes.append(subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT).returncode)

            r = timed(once, repeats=repeats, warmup=0)
            rows.append({"size": size, "command": label, "exit_codes": sorted(set(codes)), **r})
            log(f"    median {fmt_s(r['median_s'])}, exit {sorted(set(codes))}")
    return {"rows": rows, "repeats": repeats}


def cold_markdown(res: dict[str, Any]) -> str:
    rows = [
        [
            f"`{r['command']}`",
            fmt_s(r["median_s"]),
            f"{fmt_s(r['min_s'])}–{fmt_s(r['max_s'])}",
            ",".join(map(str, r["exit_codes"])),
        ]
        for r in res["rows"]
    ]
    return table(["fresh process", "wall median", "min–max", "exit"], rows)


# ------------------------------------------------------------------------------------- memory


def activation_stats(tr: Any) -> dict[str, float]:
    """Analytic fp32 activation memory of one forward from a trace's op graph.

    ``total``: every op output (what autograd would keep for a training step, roughly);
    ``peak``: the largest set of outputs alive at once in a no-grad forward, each freed after its
    last consumer (in-place ops write into their input's storage).
    """
    from resnet_verify.tracing.records import INPUT_ID

    def nbytes(shape: Any) -> int:
        return 4 * math.prod(shape)

    storage: dict[int, int] = {INPUT_ID: INPUT_ID}
    size = {INPUT_ID: nbytes(tr.input_shape)}
    born = {INPUT_ID: -1}
    last = {INPUT_ID: -1}
    for op in tr.ops:
        for src in op.inputs:
            if src in storage:
                last[storage[src]] = max(last[storage[src]], op.id)
        if op.out_shape is None:
            continue
        if op.inplace and op.inputs and op.inputs[0] in storage:
            storage[op.id] = storage[op.inputs[0]]
            continue
        storage[op.id] = op.id
        size[op.id], born[op.id], last[op.id] = nbytes(op.out_shape), op.id, op.id
    if tr.ops:
        last[storage.get(tr.ops[-1].id, tr.ops[-1].id)] = len(tr.ops)
    events: dict[int, int] = {}
    for sid, b in size.items():
        events[born[sid]] = events.get(born[sid], 0) + b
        events[last[sid] + 1] = events.get(last[sid] + 1, 0) - b
    live = peak = 0
    for t in sorted(events):
        live += events[t]
        peak = max(peak, live)
    return {"total_mib": sum(size.values()) / 2**20, "peak_mib": peak / 2**20}


def _status_kib(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_kib() -> int:
    # VmHWM, not ru_maxrss: on Linux ru_maxrss survives fork + exec, so a child spawned by a big
    # parent reports at least the parent's RSS at fork time (seen here as a constant ~450 MiB).
    hwm = _status_kib("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def mem_worker(spec: str) -> dict[str, Any]:
    """Runs in a fresh process: ``trace:MODEL:BATCH:SIZE`` or ``forward:MODEL:BATCH:SIZE``."""
    import gc

    import torch

    from resnet_verify import models
    from resnet_verify.tracing.tracer import trace

    what, name, batch_s, size_s = spec.split(":")
    batch, size = int(batch_s), int(size_s)
    model = getattr(models, name)(num_classes=1000).eval()
    if what == "trace-warm":  # a first trace pays one-time costs; measure a second one
        trace(model, (1, 3, 64, 64))
    gc.collect()
    peak_reset = _reset_peak()
    before_rss, before_peak = _status_kib("VmRSS") or 0, _peak_kib()
    started = time.perf_counter()
    extra: dict[str, Any] = {}
    if what in ("trace", "trace-warm"):
        tr = trace(model, (batch, 3, size, size))
        seconds = time.perf_counter() - started
        after_peak = _peak_kib()
        extra = {
            "ops": len(tr.ops),
            "crash": None if tr.crash is None else tr.crash.message,
            "device": tr.device,
            **activation_stats(tr),
        }
    elif what == "forward":
        with torch.no_grad():
            model(torch.randn(batch, 3, size, size))
        seconds = time.perf_counter() - started
        after_peak = _peak_kib()
    elif what == "metaforward":  # the same forward on meta tensors, without the tracer
        from resnet_verify.tracing.copies import meta_copy as _meta_copy

        copied = _meta_copy(model).eval()
        with torch.no_grad():
            copied(torch.empty(batch, 3, size, size, device="meta"))
        seconds = time.perf_counter() - started
        after_peak = _peak_kib()
    else:
        raise SystemExit(f"unknown worker job {what!r}")
    return {
        "what": what,
        "model": name,
        "batch": batch,
        "size": size,
        "seconds": seconds,
        "rss_before_mib": before_rss / 1024,
        "peak_before_mib": before_peak / 1024,
        "peak_after_mib": after_peak / 1024,
        "growth_mib": (after_peak - before_rss) / 1024,
        "peak_reset": peak_reset,
        "ru_maxrss_after_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch_threads": torch.get_num_threads(),
        **extra,
    }


def _spawn(spec: str, timeout: float = 900) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--mem-worker", spec],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        return {"spec": spec, "error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_memory(*, quick: bool = False) -> dict[str, Any]:
    traces, forwards = [], []
    combos = [(b, s) for s in MEM_SIZES for b in MEM_BATCHES]
    if quick:
        combos = [(1, 224), (256, 512)]
    for batch, size in combos:
        log(f"  memory: trace {MEM_MODEL} batch {batch} @{size} (fresh process) ...")
        traces.append(_spawn(f"trace:{MEM_MODEL}:{batch}:{size}"))
        log(f"    {traces[-1]}")
    for batch, size in QUICK_FORWARDS if quick else REAL_FORWARDS:
        log(f"  memory: real forward {MEM_MODEL} batch {batch} @{size} (fresh process) ...")
        forwards.append(_spawn(f"forward:{MEM_MODEL}:{batch}:{size}"))
        log(f"    {forwards[-1]}")
    extras = []
    for spec, label in (
        (f"metaforward:{MEM_MODEL}:1:224", "plain meta-tensor forward, no tracer, 1 @224"),
        (f"trace-warm:{MEM_MODEL}:256:512", "second trace in the process (after one at 1 @64), 256 @512"),
    ):
        log(f"  memory: {label} (fresh process) ...")
        extras.append({"label": label, **_spawn(spec)})
        log(f"    {extras[-1]}")
    return {"model": MEM_MODEL, "traces": traces, "forwards": forwards, "extras": extras, "quick": quick}


def memory_markdown(res: dict[str, Any]) -> str:
    fwd = {(r.get("batch"), r.get("size")): r for r in res["forwards"] if "error" not in r}
    rows = []
    for r in res["traces"]:
        if "error" in r:
            rows.append([r["spec"], "error: " + r["error"], "", "", "", "", ""])
            continue
        f = fwd.get((r["batch"], r["size"]))
        if f:
            real = f"{fmt_mib(f['growth_mib'])} ({fmt_s(f['seconds'])})"
        else:
            rates = [
                x["seconds"] / x["batch"] for x in fwd.values() if x["size"] == r["size"] and x["batch"] > 1
            ]
            rates = rates or [x["seconds"] / x["batch"] for x in fwd.values() if x["size"] == r["size"]]
            guess = f" ≈ {fmt_s(min(rates) * r['batch'])} at the measured per-image rate" if rates else ""
            real = f"not run{guess}; see the estimate"
        rows.append(
            [
                f"{r['batch']} × 3 × {r['size']} × {r['size']}",
                fmt_mib(r["growth_mib"]),
                fmt_s(r["seconds"]),
                real,
                fmt_mib(r["peak_mib"]),
                fmt_mib(r["total_mib"]),
                r["ops"],
            ]
        )
    extra = [
        f
        for key, f in fwd.items()
        if not any(t.get("batch") == key[0] and t.get("size") == key[1] for t in res["traces"])
    ]
    per_image = {t["size"]: t for t in res["traces"] if "error" not in t and t["batch"] == 1}
    for f in extra:
        one = per_image.get(f["size"])  # activations are linear in the batch: scale the batch-1 trace
        rows.append(
            [
                f"{f['batch']} × 3 × {f['size']} × {f['size']}",
                "—",
                "—",
                f"{fmt_mib(f['growth_mib'])} ({fmt_s(f['seconds'])})",
                fmt_mib(one["peak_mib"] * f["batch"]) if one else "—",
                fmt_mib(one["total_mib"] * f["batch"]) if one else "—",
                "—",
            ]
        )
    breakdown = ""
    if res.get("extras"):
        brows = [
            [
                e["label"],
                "error: " + e["error"] if "error" in e else fmt_mib(e["growth_mib"]),
                "—" if "error" in e else fmt_s(e["seconds"]),
            ]
            for e in res["extras"]
        ]
        breakdown = "\n\nWhere the tracing growth comes from (fresh process each):\n\n" + table(
            ["measurement", "peak RSS growth", "time"], brows
        )
    headers = [
        "input",
        "trace: peak RSS growth",
        "trace time (first call in the process)",
        "real forward (no_grad): peak RSS growth (time)",
        "estimate: peak live activations (no_grad)",
        "estimate: all activations (≈ kept for backward)",
        "ops traced",
    ]
    base = next((r for r in res["traces"] if "error" not in r), None)
    note = ""
    if base:
        note = (
            f"\n\nRSS just before the measured call (imports done, {res['model']} built on CPU with real "
            f"weights): {fmt_mib(base['rss_before_mib'])}. Estimates are fp32 and come from the traced op "
            "graph (see `activation_stats` in `benchmarks/verifier.py`); weights are not included."
        )
    return table(headers, rows) + note + breakdown


# ------------------------------------------------------------------------------------ scaling


def bench_scaling(*, repeats: int = 5, size: int = 224) -> dict[str, Any]:
    from resnet_verify import models
    from resnet_verify.tracing.tracer import trace

    try:
        from resnet_verify.specs.sources import module_sites
    except ImportError:
        module_sites = None
    rows = []
    for name in DEPTHS:
        log(f"  scaling: trace {name} @{size} ...")
        model = getattr(models, name)(num_classes=1000).eval()
        holder: dict[str, Any] = {}
        r = timed(lambda: holder.__setitem__("t", trace(model, size)), repeats=repeats, warmup=1)
        row = {
            "model": name,
            "depth": int(name.removeprefix("resnet")),
            "ops": len(holder["t"].ops),
            "modules": sum(1 for _ in model.modules()),
            **r,
        }
        if module_sites is not None:
            row["module_sites_s"] = timed(lambda: module_sites(model), repeats=repeats, warmup=1)["median_s"]
        rows.append(row)
        log(f"    median {fmt_s(r['median_s'])}, {row['ops']} ops")
    return {"rows": rows, "size": size, "repeats": repeats}


def scaling_markdown(res: dict[str, Any]) -> str:
    rows = []
    first = res["rows"][0]
    for r in res["rows"]:
        rows.append(
            [
                r["model"],
                r["ops"],
                r["modules"],
                fmt_s(r["median_s"]),
                f"{r['median_s'] / r['ops'] * 1e3:.2f} ms",
                f"{r['median_s'] / first['median_s']:.2f}×",
                fmt_s(r.get("module_sites_s")),
            ]
        )
    return table(
        [
            "model",
            "ops traced",
            "modules",
            "trace median",
            "per op",
            "vs resnet18",
            "of which `sources.module_sites`",
        ],
        rows,
    )


def plot_scaling(res: dict[str, Any], path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = res["rows"]
    fig = Figure(figsize=(6.4, 4.0), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ops = [r["ops"] for r in rows]
    ax.plot(ops, [r["median_s"] for r in rows], "o-", label="trace (median)")
    ax.plot(ops, [r["min_s"] for r in rows], ":", color="C0", alpha=0.7, label="trace (fastest run)")
    if all("module_sites_s" in r for r in rows):
        ax.plot(ops, [r["module_sites_s"] for r in rows], "s--", label="of which sources.module_sites")
    for r in rows:
        ax.annotate(
            r["model"], (r["ops"], r["median_s"]), textcoords="offset points", xytext=(4, -12), fontsize=8
        )
    ax.set_xlabel("ops in the traced forward")
    ax.set_ylabel("seconds")
    ax.set_ylim(bottom=0)
    ax.set_title(f"trace() time vs depth, batch 1 @{res['size']} (CPU-built model, meta trace)")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    return path


def plot_memory(res: dict[str, Any], path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    traces = [r for r in res["traces"] if "error" not in r]
    fwd = {(r["batch"], r["size"]): r for r in res["forwards"] if "error" not in r}
    labels = [f"{r['batch']}@{r['size']}" for r in traces]
    x = list(range(len(traces)))
    fig = Figure(figsize=(7.2, 4.0), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    w = 0.27
    ax.bar(
        [i - w for i in x],
        [max(r["growth_mib"], 1) for r in traces],
        w,
        label="trace(): measured peak RSS growth",
    )
    ax.bar(
        x,
        [fwd[(r["batch"], r["size"])]["growth_mib"] if (r["batch"], r["size"]) in fwd else 0 for r in traces],
        w,
        label="real no_grad forward: measured",
    )
    ax.bar(
        [i + w for i in x],
        [r["peak_mib"] for r in traces],
        w,
        label="real no_grad forward: estimated",
        alpha=0.6,
    )
    floor = min([r["peak_mib"] for r in traces] + [max(r["growth_mib"], 1) for r in traces])
    for i, r in enumerate(traces):
        if (r["batch"], r["size"]) not in fwd:
            ax.annotate("not run", (i, floor * 1.2), ha="center", fontsize=7, rotation=90)
    ax.set_yscale("log")
    ax.set_xticks(x, labels)
    ax.set_xlabel("batch @ resolution")
    ax.set_ylabel("MiB (log scale)")
    ax.set_title(f"{res['model']}: memory of trace() vs a real forward")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    return path


# --------------------------------------------------------------------------------------- main


def run(
    *,
    quick: bool = False,
    only: tuple[str, ...] = ("compare", "cold", "memory", "scaling"),
    repeats: int | None = None,
) -> dict[str, Any]:
    reps = repeats or (2 if quick else 5)
    out: dict[str, Any] = {"quick": quick}
    if "compare" in only:
        log("verifier: compare vs torchinfo / fx / forward")
        out["compare"] = bench_compare(repeats=reps, sizes=(64, 224))
    if "cold" in only:
        log("verifier: fresh-process wall time")
        out["cold"] = bench_cold(repeats=1 if quick else 3)
    if "memory" in only:
        log("verifier: tracing memory")
        out["memory"] = bench_memory(quick=quick)
    if "scaling" in only:
        log("verifier: trace time vs depth")
        out["scaling"] = bench_scaling(repeats=reps)
    return out


def plots(res: dict[str, Any], plot_dir: Path) -> dict[str, str]:
    plot_dir.mkdir(parents=True, exist_ok=True)
    made = {}
    if "scaling" in res:
        made["scaling"] = str(plot_scaling(res["scaling"], plot_dir / "bench_trace_scaling.png"))
    if "memory" in res and any("error" not in r for r in res["memory"]["traces"]):
        made["memory"] = str(plot_memory(res["memory"], plot_dir / "bench_trace_memory.png"))
    return made


def markdown(res: dict[str, Any]) -> str:
    parts = []
    if "compare" in res:
        parts += [
            "### compare vs torchinfo, torch.fx and a plain forward",
            "",
            compare_markdown(res["compare"]),
            "",
        ]
    if "cold" in res:
        parts += ["### Fresh process (what a CLI user waits)", "", cold_markdown(res["cold"]), ""]
    if "memory" in res:
        parts += ["### Tracing memory", "", memory_markdown(res["memory"]), ""]
    if "scaling" in res:
        parts += ["### Trace time vs depth", "", scaling_markdown(res["scaling"]), ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats and memory points (a smoke run)")
    parser.add_argument("--only", default="compare,cold,memory,scaling", help="comma-separated sections")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per row (default 5, --quick 2)")
    parser.add_argument("--json", metavar="FILE", help="also write the raw results here")
    parser.add_argument("--plot-dir", default=str(ROOT / "reports"), help="where the PNG plots go")
    parser.add_argument("--mem-worker", metavar="SPEC", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.mem_worker:
        print(json.dumps(mem_worker(args.mem_worker)))
        return 0
    res = run(
        quick=args.quick,
        only=tuple(s.strip() for s in args.only.split(",") if s.strip()),
        repeats=args.repeats,
    )
    res["plots"] = plots(res, Path(args.plot_dir))
    print(markdown(res))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
