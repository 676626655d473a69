"""Run the verifier and training benchmarks and regenerate ``reports/benchmarks.md`` (+ PNG plots).

    python benchmarks/run.py            # full run: waits for a quiet machine first
    python benchmarks/run.py --quick    # smoke run: fewer repeats/steps, no waiting

A full run first waits until the 1-minute load average is below ``--max-load`` (default 1.2;
polled every 60 s for at most ``--wait`` seconds, default 3600), because timings taken while other
work runs are wrong; the load average at each stage is written into the report. GPU figures come
from ``reports/gpu.json`` when it exists (written by ``benchmarks/gpu.py`` on a CUDA machine).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import training as training_bench
import verifier as verifier_bench
from _common import (
    DEFAULT_DATA,
    ROOT,
    cpu_snapshot,
    fmt_mib,
    fmt_s,
    loadavg,
    log,
    machine_facts,
    marked_sections,
    others_share,
    table,
)

GPU_COMMAND = "python benchmarks/gpu.py --train-signs ../shared/data/signs --out reports/gpu.json"


def wait_for_quiet(max_load: float, wait_s: float, poll_s: float = 60.0) -> dict[str, Any]:
    started = time.time()
    first = loadavg()
    samples = [first]
    while True:
        load = loadavg()
        if load is None or load < max_load:
            break
        if time.time() - started >= wait_s:
            log(f"load average still {load:.2f} after {wait_s:.0f}s: running anyway (figures are flagged)")
            break
        log(f"load average {load:.2f} >= {max_load}: waiting {poll_s:.0f}s ...")
        time.sleep(poll_s)
        samples.append(loadavg())
    return {
        "load_at_start": first,
        "load_when_started": loadavg(),
        "waited_s": time.time() - started,
        "max_load": max_load,
        "quiet": (loadavg() or 0) < max_load,
    }


def _git() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return f"{rev}{' + uncommitted changes' if dirty else ''}" if rev else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def key_figures(v: dict[str, Any], t: dict[str, Any]) -> list[str]:
    out = []
    if "compare" in v:
        r = v["compare"]["ratios"]
        out.append(
            "`compare` resnet50 vs torchvision / one `torchinfo.summary`: "
            + ", ".join(
                f"**{x['compare_cpu_vs_torchinfo']:.2f}×** @{s}"
                for s, x in sorted(r.items(), key=lambda kv: int(kv[0]))
            )
            + " with the reference's trace cached (every compare after the first)"
            + (
                "; a first compare: "
                + ", ".join(
                    f"**{x['first_compare_vs_torchinfo']:.2f}×** @{s}"
                    for s, x in sorted(r.items(), key=lambda kv: int(kv[0]))
                )
                if all("first_compare_vs_torchinfo" in x for x in r.values())
                else ""
            )
            + " (targets, issue #25: ≤ 1× cached, ≤ 1.5× first)"
        )
    if "memory" in v:
        growth = [x["growth_mib"] for x in v["memory"]["traces"] if "error" not in x]
        fwd = [x for x in v["memory"]["forwards"] if "error" not in x]
        if growth:
            text = (
                f"tracing resnet152 at batch 1–256 × 224–512: peak RSS growth {fmt_mib(min(growth))}–"
                f"{fmt_mib(max(growth))}"
            )
            if fwd:
                text += "; a real no-grad forward: " + ", ".join(
                    f"{fmt_mib(x['growth_mib'])} at {x['batch']}@{x['size']}" for x in fwd
                )
            out.append(text)
    if "scaling" in v:
        rows = v["scaling"]["rows"]
        out.append(
            f"trace time resnet18 → resnet152: {fmt_s(rows[0]['median_s'])} → {fmt_s(rows[-1]['median_s'])} "
            f"({rows[-1]['median_s'] / rows[0]['median_s']:.1f}× for {rows[-1]['ops'] / rows[0]['ops']:.1f}× the ops)"
        )
    if "throughput" in t:
        seed = next(r for r in t["throughput"] if r["kind"] == "seed")
        out.append(
            "training images/s vs the seed-style loop: "
            + ", ".join(
                f"{r['name'].split(' (')[0]} **{r['images_per_s'] / seed['images_per_s']:.2f}×** ({r['images_per_s']:.1f}/s)"
                for r in t["throughput"]
                if r["kind"] == "engine"
            )
            + f"; seed loop {seed['images_per_s']:.1f}/s"
        )
    return out


def notes(v: dict[str, Any], t: dict[str, Any]) -> list[str]:
    """Plain readings of the figures above, computed from them (no numbers typed in by hand)."""
    out = []
    c = v.get("compare")
    if c:
        by = {(r["name"], r["size"]): r["median_s"] for r in c["rows"]}
        parts = []
        for size in sorted({r["size"] for r in c["rows"]}):
            got = [
                by.get((name, size))
                for name in (
                    "↳ trace(candidate)",
                    "↳ reference trace (torchvision resnet50 built on meta + traced)",
                    "↳ compare_traces (align + diff + explain)",
                    "torchinfo.summary (one resnet50, verbose=0)",
                    "plain forward (eval, no_grad, batch 1)",
                )
            ]
            if all(x is not None for x in got):
                cand, ref, rest, ti, fwd = got
                parts.append(
                    f"@{size}: candidate trace {fmt_s(cand)}, reference trace {fmt_s(ref)} (first compare "
                    f"only), alignment + diff + explanation {fmt_s(rest)}; torchinfo {fmt_s(ti)}, bare "
                    f"forward {fmt_s(fwd)}"
                )
        if parts:
            out.append(
                "A compare is a meta-tensor trace of the candidate, plus the reference's the first time, plus "
                "the alignment; `torchinfo.summary` is one real forward with hooks. "
                + "; ".join(parts)
                + ". A meta trace costs about the same whatever the input size, while a real batch-1 forward "
                "gets cheaper as the input shrinks, so the ratio is worse at small inputs."
            )
    m = v.get("memory")
    if m:
        growth = [x["growth_mib"] for x in m["traces"] if "error" not in x]
        extras = {e.get("label", ""): e for e in m.get("extras", []) if "error" not in e}
        meta = next((e for k, e in extras.items() if k.startswith("plain meta")), None)
        second = next((e for k, e in extras.items() if k.startswith("second trace")), None)
        if growth and meta and second:
            out.append(
                f"Tracing memory does not depend on the input: {fmt_mib(min(growth))}–{fmt_mib(max(growth))} "
                f"from batch 1 @224 to batch 256 @512. It is a one-time cost of torch's meta-tensor "
                f"machinery (a plain meta forward without the tracer: {fmt_mib(meta['growth_mib'])}; a second "
                f"trace in the same process: {fmt_mib(second['growth_mib'])}), so for a tiny real forward "
                "(batch 1) tracing costs more memory than running the model, and for any real batch far less."
            )
    th = t.get("throughput")
    if th:
        spread = [
            max(r["images_per_s_rounds"]) / min(r["images_per_s_rounds"]) - 1
            for r in th
            if len(r.get("images_per_s_rounds", [])) > 1
        ]
        dp = t.get("data_path")
        step = statistics.mean(r["step_s"] for r in th)
        text = (
            (
                f"Training on the CPU is bound by the model: a step takes ~{fmt_s(step)}, while a batch's data "
                f"costs {fmt_s(dp['seed_dataloader_s'] / dp['batches'])} through the seed `DataLoader` and "
                f"{fmt_s(dp['engine_normalize_augment_s'] / dp['batches'])} through the engine's tensor path. "
            )
            if dp
            else ""
        )
        if spread:
            text += f"Rounds of the same measurement differ by up to {max(spread):.0%} on this VM. "
            rows = {r["kind"] + ":" + r.get("recipe", ""): r for r in th}
            d, sd, loop = rows.get("engine:default"), rows.get("engine:seed"), rows.get("seed:")
            if d and sd and max(d["images_per_s_rounds"]) < min(sd["images_per_s_rounds"]):
                text += (
                    f"The default recipe (AdamW + augmentation) was slower than the seed recipe (SGD) in every "
                    f"round ({d['images_per_s'] / sd['images_per_s'] - 1:+.0%} on average). "
                )
            if sd and loop:
                gap = sd["images_per_s"] / loop["images_per_s"] - 1
                text += (
                    f"With the same optimizer, the engine and the seed-style loop differ by {gap:+.0%}"
                    + (", within that round-to-round spread." if abs(gap) <= max(spread) else ".")
                )
        if text:
            out.append(text)
    return out


def gpu_section(path: Path) -> str:
    if not path.exists():
        return (
            "No GPU was available on this machine, so there are no GPU figures. On a CUDA machine run\n\n"
            f"```\n{GPU_COMMAND}\n```\n\nthen `python benchmarks/run.py --from-json benchmarks/results/last-run.json` "
            "includes `reports/gpu.json` here without measuring the CPU again."
        )
    import gpu as gpu_bench

    try:
        res = json.loads(path.read_text())
        text = gpu_bench.markdown(res)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"`{path}` exists but cannot be read ({exc}); rerun `{GPU_COMMAND}`."
    when = res.get("started", "?")
    return (
        f"From `{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}` (measured {when}, "
        f"{res.get('elapsed_s', 0):.0f}s). Reproduce: `{res.get('command', GPU_COMMAND)}`\n\n{text}"
    )


def report(
    *,
    v: dict[str, Any],
    t: dict[str, Any],
    facts: dict[str, Any],
    load: dict[str, Any],
    load_end: float | None,
    quick: bool,
    plots: dict[str, str],
    gpu_json: Path,
    report_path: Path,
    wall_s: float | None,
    contention: dict[str, dict[str, Any]],
    generated: str | None = None,
    commit: str | None = None,
) -> str:
    def rel(p: str) -> str:
        return Path(p).name if Path(p).parent == report_path.parent else str(p)

    q = " --quick" if quick else ""
    lines = ["# Benchmarks", ""]
    took = f", in {wall_s / 60:.1f} min" if wall_s else ""
    lines.append(
        f"Generated by `python benchmarks/run.py{q}` on {generated or time.strftime('%Y-%m-%d %H:%M')} at "
        f"commit {commit or _git()}{took}. Every section names the command that reproduces it; "
        "`python benchmarks/run.py --from-json benchmarks/results/last-run.json` rebuilds this file "
        "(e.g. after adding `reports/gpu.json`) without measuring again."
    )
    if quick:
        lines += [
            "",
            "> **Quick smoke run** (`--quick`): 2 repeats, 3 training steps, fewer memory points. "
            "The figures show that the scripts work, not what the tool costs: run "
            "`python benchmarks/run.py` for the real report.",
        ]
    if not load.get("quiet", True):
        lines += [
            "",
            f"> **Warning:** the machine was busy (1-minute load average {load.get('load_when_started') or 0:.2f} "
            f"≥ {load.get('max_load')} when the benchmarks started); timings are inflated.",
        ]
    busy = {
        k: c["others_cpu_share"]
        for k, c in contention.items()
        if c.get("others_cpu_share") is not None and c["others_cpu_share"] > 0.10
    }
    if busy:
        lines += [
            "",
            "> **Warning:** other processes took CPU time during "
            + ", ".join(f"the {k} section ({x:.0%} of the CPUs)" for k, x in busy.items())
            + "; those timings are inflated by contention.",
        ]
    lines += ["", "## Key figures", ""] + [f"- {k}" for k in key_figures(v, t)]
    lines += ["", "## Machine", ""]

    def num(x: Any) -> str:
        return "?" if x is None else f"{x:.2f}"

    la = (
        f"{num(load.get('load_at_start'))} when run.py started, {num(load.get('load_when_started'))} when the "
        f"benchmarks started (after waiting {load.get('waited_s', 0):.0f}s for < {load.get('max_load')}), "
        f"{num(load_end)} at the end"
    )
    lines.append(
        table(
            ["", ""],
            [
                ["CPU", facts["cpu"]],
                ["cores", f"{facts['cores']} (torch threads: {facts['torch_threads']})"],
                ["memory", facts["memory"]],
                ["python / torch", f"{facts['python']} / {facts['torch']}"],
                ["platform", facts["platform"]],
                ["1-minute load average", la],
                [
                    "CPU used by other processes, per section",
                    ", ".join(
                        f"{k} {'?' if c['others_cpu_share'] is None else format(c['others_cpu_share'], '.0%')}"
                        for k, c in contention.items()
                    )
                    or "—",
                ],
            ],
        )
    )
    lines += ["", "## Verifier", ""]
    if "compare" in v:
        c = v["compare"]
        lines += [
            "### `compare` vs torchinfo, torch.fx and a plain forward",
            "",
            f"Reproduce: `python benchmarks/verifier.py --only compare{q}`",
            "",
            f"`resnet_verify.models.resnet.resnet50` (built normally on CPU, and on the meta device) against "
            f"torchvision's resnet50, {c['num_classes']} classes, batch 1; median of {c['repeats']} runs after "
            "one warm-up, all in one process. `compare` traces *two* models (candidate and reference) on meta "
            "tensors and aligns, diffs and explains them (the reference's trace is memoised per name, "
            "shape and classes, so after the warm-up the plain `compare` rows trace only the candidate; "
            "the *first compare* row clears that cache before every run); torchinfo, fx and the forward handle one model with "
            "real weights. `check_equivalence` builds a real reference with calibrated BatchNorm, copies its "
            "weights into a copy of the candidate and compares every block's output (batch 2).",
            "",
            verifier_bench.compare_markdown(c),
            "",
        ]
    if "cold" in v:
        lines += [
            "### Fresh process (what a command-line user waits)",
            "",
            f"Reproduce: `python benchmarks/verifier.py --only cold{q}`",
            "",
            f"Wall time of a new Python process, imports included (median of {v['cold']['repeats']}).",
            "",
            verifier_bench.cold_markdown(v["cold"]),
            "",
        ]
    if "memory" in v:
        lines += [
            "### Tracing memory: flat in batch size and resolution",
            "",
            f"Reproduce: `python benchmarks/verifier.py --only memory{q}`",
            "",
            f"`trace({v['memory']['model']}, (N, 3, S, S))` of a CPU-built model, one fresh subprocess per "
            "row (model built, imports done); the figure is peak RSS after the call minus RSS just before "
            "it. Peak = `VmHWM`, reset to the current RSS just before the call through `/proc/self/clear_refs` "
            "(`ru_maxrss` is not usable: on Linux it survives fork + exec, so a child of a big parent reports "
            "at least the parent's RSS). A real "
            "no-grad forward was run for the inputs a 2-core CPU handles in about a minute; for the others "
            "the analytic estimate stands in (a training step would also keep roughly the activations of the "
            "last column for the backward pass).",
            "",
            verifier_bench.memory_markdown(v["memory"]),
            "",
        ]
        if "memory" in plots:
            lines += [f"![trace memory]({rel(plots['memory'])})", ""]
    if "scaling" in v:
        lines += [
            "### Trace time vs depth",
            "",
            f"Reproduce: `python benchmarks/verifier.py --only scaling{q}`",
            "",
            f"`trace(model, {v['scaling']['size']})`, batch 1, median of {v['scaling']['repeats']} after a "
            "warm-up.",
            "",
            verifier_bench.scaling_markdown(v["scaling"]),
            "",
        ]
        if "scaling" in plots:
            lines += [f"![trace scaling]({rel(plots['scaling'])})", ""]
    lines += ["## Training (CPU)", "", f"Reproduce: `python benchmarks/training.py{q}`", ""]
    if "throughput" in t:
        lines += [
            f"ResNet50 (`resnet_verify.models.resnet.resnet50`, 6 classes) at 64×64 on the real SIGNS data "
            f"({t.get('n_train')} training images), batch 24, fp32 on the CPU, {t['steps']} timed steps each "
            f"after warm-up, torch threads {t.get('torch_threads')}, {t.get('rounds', 1)} round(s) in "
            "alternating order (mean shown). *Engine* rows run "
            "`resnet_verify.training.train` itself for two epochs over the first "
            f"{t['steps']}×24 images and report epoch 2's `images_per_s` (training steps only, as the engine "
            "measures it); the *seed-style loop* is a per-sample `DataLoader` over a Dataset applying "
            "`torchvision.transforms.ToTensor` to each HWC uint8 image, SGD lr 0.009 momentum 0.8. "
            "Epoch time = 45 steps (1080 // 24) at the measured rate.",
            "",
        ]
    lines += [training_bench.throughput_markdown(t), ""]
    if "throughput" in plots:
        lines += [f"![training throughput]({rel(plots['throughput'])})", ""]
    lines += [
        "### Time to 97.5% test accuracy",
        "",
        "Read from the training runs' `runs/*/metrics.csv` + `config.json` (the engine's own `elapsed_s`, "
        "training and evaluation time, not process start-up). These runs were not made by this script; "
        "their timings reflect whatever else the machine was doing then.",
        "",
        training_bench.runs_markdown(t),
        "",
    ]
    lines += ["## GPU", "", gpu_section(gpu_json), ""]
    readings = notes(v, t)
    if readings:
        lines += ["## Reading the numbers", ""] + [f"- {x}" for x in readings] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer repeats and steps, no waiting")
    parser.add_argument(
        "--report",
        default=str(ROOT / "reports" / "benchmarks.md"),
        help="Markdown report to write (PNGs go beside it)",
    )
    parser.add_argument("--gpu-json", default=str(ROOT / "reports" / "gpu.json"))
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="SIGNS folder")
    parser.add_argument(
        "--max-load", type=float, default=1.2, help="wait until the 1-min load average is below"
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=None,
        help="seconds to wait for that at most (default 3600; 0 with --quick)",
    )
    parser.add_argument("--only", default="verifier,training", help="verifier and/or training")
    parser.add_argument(
        "--json",
        metavar="FILE",
        default=None,
        help="raw results (default benchmarks/results/last-run[-quick].json)",
    )
    parser.add_argument(
        "--from-json",
        metavar="FILE",
        help="measure nothing: rebuild the report (and plots) from a previous run's raw results, "
        "with the current reports/gpu.json and runs/*/metrics.csv",
    )
    args = parser.parse_args(argv)
    report_path = Path(args.report)
    report_path.parent.mkdir(parents=True, exist_ok=True)

    if args.from_json:
        raw = json.loads(Path(args.from_json).read_text())
        v, t = raw.get("verifier") or {}, raw.get("training") or {}
        if t:
            t["runs"] = training_bench.scan_runs(ROOT / "runs")
        meta = raw
        quick = bool(raw.get("quick", v.get("quick", t.get("quick", False))))
    else:
        quick = args.quick
        wait_s = args.wait if args.wait is not None else (0.0 if quick else 3600.0)
        load = wait_for_quiet(args.max_load, wait_s)
        log(f"load average {load['load_when_started']} after {load['waited_s']:.0f}s; starting")
        started = time.time()
        facts = machine_facts()
        only = {s.strip() for s in args.only.split(",")}
        contention: dict[str, dict[str, Any]] = {}

        def section(name: str, fn: Any) -> Any:
            before, load_before = cpu_snapshot(), loadavg()
            result = fn()
            share = others_share(before, cpu_snapshot())
            contention[name] = {
                "others_cpu_share": share,
                "load_before": load_before,
                "load_after": loadavg(),
            }
            log(
                f"section {name}: other processes used {'?' if share is None else f'{share:.0%}'} of the CPUs"
            )
            return result

        v = {}
        if "verifier" in only:
            for part in ("compare", "cold", "memory", "scaling"):
                v.update(section(part, lambda part=part: verifier_bench.run(quick=quick, only=(part,))))
        t = (
            section("training", lambda: training_bench.run(quick=quick, data_dir=Path(args.data)))
            if "training" in only
            else {}
        )
        meta = {
            "machine": facts,
            "load": load,
            "load_end": loadavg(),
            "contention": contention,
            "quick": quick,
            "wall_s": time.time() - started,
            "generated": time.strftime("%Y-%m-%d %H:%M"),
            "commit": _git(),
        }
        raw_path = (
            Path(args.json)
            if args.json
            else ROOT / "benchmarks" / "results" / ("last-run-quick.json" if quick else "last-run.json")
        )
        raw_path.parent.mkdir(parents=True, exist_ok=True)
        raw_path.write_text(json.dumps({"verifier": v, "training": t, **meta}, indent=2, default=str) + "\n")
        log(f"raw results: {raw_path}")

    plots = verifier_bench.plots(v, report_path.parent) if v else {}
    if t:
        made = training_bench.plot_throughput(t, report_path.parent / "bench_training_throughput.png")
        if made:
            plots["throughput"] = str(made)
    text = report(
        v=v,
        t=t,
        facts=meta.get("machine") or machine_facts(),
        load=meta.get("load") or {},
        load_end=meta.get("load_end"),
        quick=quick,
        plots=plots,
        gpu_json=Path(args.gpu_json),
        report_path=report_path,
        wall_s=meta.get("wall_s"),
        contention=meta.get("contention") or {},
        generated=meta.get("generated"),
        commit=meta.get("commit"),
    )
    old = report_path.read_text() if report_path.exists() else ""
    # Sections measured by their own scripts (startup.py, speed_targets.py, init_cost.py ...): kept.
    for kept in marked_sections(old):
        text = text.rstrip("\n") + "\n\n" + kept + "\n"
    report_path.write_text(text)
    print(text)
    log(f"wrote {report_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
