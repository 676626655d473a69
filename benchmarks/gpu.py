"""GPU benchmarks: training-step and inference throughput of ResNet50 in fp32, AMP bf16 and AMP bf16 +
channels_last (+ ``torch.compile``, in a capped subprocess), at 64x64 and 224x224; optionally a
full SIGNS training run with the project's default recipe.

    python benchmarks/gpu.py [--out reports/gpu.json] [--train-signs DIR] [--time-cap 240]
    python benchmarks/gpu.py --smoke --out /tmp/gpu-smoke.json     # CPU, resnet18 @32, tiny steps

* Synthetic data on the device (the input pipeline is not measured here), SGD momentum 0.9,
  cross-entropy, ``cudnn.benchmark = True``; warm-up steps, then timed steps between
  ``torch.cuda.synchronize()`` calls. "fp32" is PyTorch's default fp32, in which cuDNN convolutions
  may use TF32 (``torch.backends.cudnn.allow_tf32``, recorded in the JSON).
* ``torch.compile`` (default mode, bf16 + channels_last) runs in a subprocess killed at its time
  cap, so a slow compile costs at most the cap; results finished before the cap are kept.
* ``--train-signs DIR``: ``resnet-verify train --data DIR --recipe default`` (the project's engine,
  bf16 autocast + channels_last on CUDA) in a subprocess, killed when the total time cap is reached;
  per-epoch times, best test accuracy and the time to 97.5% come from the run's metrics.csv, which
  the engine rewrites after every epoch, so a capped run still reports what it finished.
* ``--time-cap`` bounds the whole script (seconds, approximately: a measurement in progress is
  finished). Progress goes to stderr; the Markdown table to stdout; everything to ``--out``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the package sits at the root; the device machine runs it uninstalled

T0 = time.perf_counter()
TARGET = 0.975


def log(message: str) -> None:
    print(f"[gpu.py {time.perf_counter() - T0:6.1f}s] {message}", file=sys.stderr, flush=True)


def elapsed() -> float:
    return time.perf_counter() - T0


# ------------------------------------------------------------------------------ measurements


def _sync(device: Any) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _model(name: str, device: Any, channels_last: bool) -> Any:
    import torch

    from resnet_verify import models

    torch.manual_seed(0)
    model = getattr(models, name)(num_classes=1000).to(device)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    return model


def _inputs(batch: int, size: int, device: Any, channels_last: bool) -> tuple[Any, Any]:
    import torch

    gen = torch.Generator(device="cpu").manual_seed(0)
    x = torch.randn(batch, 3, size, size, generator=gen).to(device)
    y = torch.randint(0, 1000, (batch,), generator=gen).to(device)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    return x, y


def measure(
    model: Any, x: Any, y: Any, *, mode: str, amp: Any, warmup: int, steps: int, device: Any
) -> dict[str, Any]:
    """Images/s of ``steps`` training steps (``mode='train'``) or inference batches after ``warmup``."""
    import torch
    import torch.nn.functional as F

    batch = x.shape[0]
    if mode == "train":
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

        def step() -> None:
            with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
                loss = F.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    else:
        model.eval()

        def step() -> None:
            with (
                torch.inference_mode(),
                torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None),
            ):
                model(x)

    started = time.perf_counter()
    for _ in range(warmup):
        step()
    _sync(device)
    warm_s = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(steps):
        step()
    _sync(device)
    total = time.perf_counter() - started
    out = {
        "images_per_s": steps * batch / total,
        "ms_per_step": 1e3 * total / steps,
        "steps": steps,
        "warmup": warmup,
        "warmup_s": warm_s,
    }
    if device.type == "cuda":
        out["max_memory_gib"] = torch.cuda.max_memory_allocated(device) / 2**30
    return out


VARIANTS = (
    ("fp32", None, False),
    ("bf16 autocast", "bf16", False),
    ("bf16 autocast + channels_last", "bf16", True),
)


def plan(smoke: bool) -> dict[str, Any]:
    if smoke:
        return {"model": "resnet18", "shapes": ((32, 8),), "warmup": 1, "steps": {"train": 2, "infer": 2}}
    return {
        "model": "resnet50",
        "shapes": ((64, 256), (224, 128)),
        "warmup": 5,
        "steps": {"train": 20, "infer": 30},
    }


def eager_benchmarks(device: Any, p: dict[str, Any], deadline: float) -> list[dict[str, Any]]:
    import torch

    results = []
    for size, batch in p["shapes"]:
        for label, amp_name, cl in VARIANTS:
            for mode in ("train", "infer"):
                if elapsed() > deadline:
                    results.append(
                        {"variant": label, "size": size, "batch": batch, "mode": mode, "skipped": "time cap"}
                    )
                    log(f"skip {mode} {label} @{size}: time cap")
                    continue
                amp = torch.bfloat16 if amp_name == "bf16" else None
                log(f"{mode} {label} {p['model']} @{size} batch {batch} ...")
                try:
                    if device.type == "cuda":
                        torch.cuda.reset_peak_memory_stats(device)
                    model = _model(p["model"], device, cl)
                    x, y = _inputs(batch, size, device, cl)
                    r = measure(
                        model,
                        x,
                        y,
                        mode=mode,
                        amp=amp,
                        warmup=p["warmup"],
                        steps=p["steps"][mode],
                        device=device,
                    )
                    log(f"  {r['images_per_s']:.0f} images/s ({r['ms_per_step']:.1f} ms/step)")
                except Exception as exc:
                    r = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}
                    log(f"  failed: {r['error']}")
                finally:
                    model = x = y = None
                    if device.type == "cuda":
                        torch.cuda.empty_cache()
                results.append({"variant": label, "size": size, "batch": batch, "mode": mode, **r})
    return results


def compile_worker(spec: str) -> None:
    """Subprocess: compiled bf16 + channels_last, one JSON line per finished measurement."""
    import torch

    cfg = json.loads(spec)
    device = torch.device(cfg["device"])
    torch.backends.cudnn.benchmark = True
    for size, batch in cfg["shapes"]:
        for mode in ("train", "infer"):
            started = time.perf_counter()
            model = _model(cfg["model"], device, True)
            compiled = torch.compile(model)
            x, y = _inputs(batch, size, device, True)
            print(
                f"[gpu.py compile] {mode} @{size} batch {batch}: compiling ...", file=sys.stderr, flush=True
            )
            r = measure(
                compiled,
                x,
                y,
                mode=mode,
                amp=torch.bfloat16,
                warmup=cfg["warmup"],
                steps=cfg["steps"][mode],
                device=device,
            )
            r["compile_and_warmup_s"] = time.perf_counter() - started - r["ms_per_step"] * r["steps"] / 1e3
            print(
                json.dumps(
                    {
                        "variant": "bf16 autocast + channels_last + torch.compile",
                        "size": size,
                        "batch": batch,
                        "mode": mode,
                        **r,
                    }
                ),
                flush=True,
            )
            print(f"[gpu.py compile]   {r['images_per_s']:.0f} images/s", file=sys.stderr, flush=True)
            del model, compiled, x, y
            if device.type == "cuda":
                torch.cuda.empty_cache()


def run_capped(cmd: list[str], cap: float, *, capture_stderr: bool) -> tuple[int | None, str, str, bool]:
    """Run ``cmd`` in its own session; at ``cap`` seconds kill the whole group, keep its output."""
    import signal

    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if capture_stderr else None,
        text=True,
        env=_env(),
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=cap)
        return proc.returncode, stdout or "", stderr or "", False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        return None, stdout or "", stderr or "", True


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def compile_benchmarks(device: Any, p: dict[str, Any], cap: float) -> dict[str, Any]:
    # small inputs first: that is where launch overhead dominates and compile can help most
    spec = json.dumps(
        {"device": str(device), "model": p["model"], "shapes": p["shapes"], "warmup": 3, "steps": p["steps"]}
    )
    log(f"torch.compile in a subprocess, cap {cap:.0f}s ...")
    started = time.perf_counter()
    code, stdout, _, timed_out = run_capped(
        [sys.executable, str(Path(__file__).resolve()), "--compile-worker", spec], cap, capture_stderr=False
    )
    results = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                results.append(json.loads(line))
    wanted = [(s, b, m) for s, b in p["shapes"] for m in ("train", "infer")]
    done = {(r["size"], r["batch"], r["mode"]) for r in results}
    for s, b, m in wanted:
        if (s, b, m) not in done:
            results.append(
                {
                    "variant": "bf16 autocast + channels_last + torch.compile",
                    "size": s,
                    "batch": b,
                    "mode": m,
                    "skipped": f"not finished within the {cap:.0f}s compile cap"
                    if timed_out
                    else f"compile subprocess failed (exit {code})",
                }
            )
    wall = time.perf_counter() - started
    log(f"torch.compile done in {wall:.0f}s ({'time cap hit' if timed_out else f'exit {code}'})")
    return {"results": results, "cap_s": cap, "wall_s": wall, "timed_out": timed_out, "exit": code}


# ------------------------------------------------------------------------------- SIGNS training


def _metrics(path: Path) -> list[dict[str, float]]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        out = []
        for raw in csv.DictReader(handle):
            row = {}
            for k, v in raw.items():
                with contextlib.suppress(TypeError, ValueError):
                    row[k] = float(v)
            out.append(row)
        return out


def train_signs(data: str, device: Any, cap: float, smoke: bool, keep: str | None) -> dict[str, Any]:
    from resnet_verify.train.recipes import RECIPES

    run_dir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="gpu-signs-"))
    model = "resnet18" if smoke else "resnet50"
    cmd = [
        sys.executable,
        "-m",
        "resnet_verify",
        "train",
        "--data",
        data,
        "--recipe",
        "default",
        "--model",
        model,
        "--device",
        device.type,
        "--out",
        str(run_dir),
        "--no-progress",
    ]
    if smoke:
        cmd += ["--epochs", "1"]
    log(f"SIGNS training: {' '.join(cmd[1:])} (cap {cap:.0f}s) ...")
    started = time.perf_counter()
    code, stdout, stderr, timed_out = run_capped(cmd, cap, capture_stderr=True)
    wall = time.perf_counter() - started
    rows = _metrics(run_dir / "metrics.csv")
    epochs = 1 if smoke else int(RECIPES["default"]["epochs"])
    # The engine keeps the test split out of selection: per epoch it logs validation accuracy only,
    # and result.json holds the test accuracy of the selected and the last checkpoint.
    reached = next((r for r in rows if r.get("val_acc", 0) >= TARGET), None)
    best = max(rows, key=lambda r: r.get("val_acc", 0)) if rows else None
    result = json.loads((run_dir / "result.json").read_text()) if (run_dir / "result.json").exists() else {}
    selected, final = result.get("selected", {}), result.get("final", {})
    out = {
        "command": "resnet-verify " + " ".join(cmd[3:]),
        "model": model,
        "recipe": "default",
        "epochs": epochs,
        "epochs_done": len(rows),
        "wall_s": wall,
        "exit": code,
        "timed_out": timed_out,
        "cap_s": cap,
        "history": rows,
        "best_val_acc": best.get("val_acc") if best else None,
        "best_epoch": int(best["epoch"]) if best else None,
        "selected_test_acc": selected.get("test_accuracy"),
        "selected_test_correct": selected.get("correct"),
        "selected_epoch": selected.get("epoch"),
        "final_test_acc": final.get("test_accuracy"),
        "reached_epoch": int(reached["epoch"]) if reached else None,
        "reached_s": reached.get("elapsed_s") if reached else None,
        "stdout_tail": stdout.strip().splitlines()[-3:],
        "stderr_tail": [
            ln for ln in stderr.strip().splitlines() if not ln.startswith("epoch ") or "acc" in ln
        ][-6:],
    }
    if rows:
        epoch_times = [r["epoch_s"] for r in rows if "epoch_s" in r]
        out["epoch_s_first"] = epoch_times[0]
        out["epoch_s_median_after_first"] = (
            sorted(epoch_times[1:])[len(epoch_times[1:]) // 2] if len(epoch_times) > 1 else None
        )
        out["images_per_s_median"] = sorted(r["images_per_s"] for r in rows)[len(rows) // 2]
    log(
        f"SIGNS training: {len(rows)}/{epochs} epochs in {wall:.0f}s, best val {out['best_val_acc']}, test (selected) {out['selected_test_acc']}, "
        f"{'time cap hit' if timed_out else f'exit {code}'}"
    )
    return out


# -------------------------------------------------------------------------------------- report


def markdown(res: dict[str, Any]) -> str:
    lines = [
        f"Device: **{res['device_name']}**; torch {res['torch']} (CUDA {res.get('cuda')}, cuDNN {res.get('cudnn')}); "
        f"model {res['plan']['model']}; {'SMOKE run (CPU, tiny steps): not GPU figures' if res['smoke'] else ''}".rstrip(
            "; "
        ),
        "",
    ]
    rows = res["results"] + [r for r in (res.get("compile") or {}).get("results", [])]
    base = {
        (r["size"], r["mode"]): r.get("images_per_s")
        for r in rows
        if r["variant"] == "fp32" and "images_per_s" in r
    }
    table = [
        "| variant | input | batch | mode | images/s | ms/step | vs fp32 | note |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for r in sorted(rows, key=lambda r: (r["size"], r["mode"] != "train", r["mode"])):
        ips = r.get("images_per_s")
        b = base.get((r["size"], r["mode"]))
        note = r.get("skipped") or r.get("error") or ""
        if "compile_and_warmup_s" in r:
            note = f"compile + warm-up {r['compile_and_warmup_s']:.0f}s"
        if "max_memory_gib" in r and not note:
            note = f"peak {r['max_memory_gib']:.1f} GiB"
        ips_s = "—" if ips is None else f"{ips:,.0f}"
        ms_s = "—" if ips is None else f"{r['ms_per_step']:.1f}"
        rel_s = "—" if ips is None or not b else f"{ips / b:.2f}×"
        table.append(
            f"| {r['variant']} | {r['size']}×{r['size']} | {r['batch']} | {r['mode']} | "
            f"{ips_s} | {ms_s} | {rel_s} | {note} |"
        )
    lines += table
    sig = res.get("signs")
    if sig:
        lines += ["", f"SIGNS training, `{sig['command']}`:", ""]
        if sig["history"]:
            reached = (
                f"epoch {sig['reached_epoch']} after {sig['reached_s']:.1f}s"
                if sig["reached_epoch"]
                else f"not reached in {sig['epochs_done']} epochs"
            )
            lines.append(
                f"- {sig['epochs_done']}/{sig['epochs']} epochs in {sig['wall_s']:.0f}s wall "
                f"(process start, data load, verification gate included)"
                f"{'; stopped by the time cap' if sig['timed_out'] else ''}"
            )
            later = sig.get("epoch_s_median_after_first")
            later_s = f", then median {later:.1f}s/epoch" if later is not None else ""
            lines.append(
                f"- first epoch {sig['epoch_s_first']:.1f}s{later_s}; "
                f"median {sig['images_per_s_median']:,.0f} training images/s"
            )
            lines.append(
                f"- best validation accuracy {sig['best_val_acc']:.1%} (epoch {sig['best_epoch']}); "
                f"first ≥ {TARGET:.1%} on validation: {reached}"
            )
            if sig.get("selected_test_acc") is not None:
                lines.append(
                    f"- test accuracy of the checkpoint selected on validation (epoch {sig['selected_epoch']}): "
                    f"{sig['selected_test_acc']:.1%} ({sig['selected_test_correct']}/120); "
                    f"last epoch's: {sig['final_test_acc']:.1%}"
                )
            lines += [
                "",
                "| epoch | val acc | epoch s | elapsed s | images/s |",
                "| ---: | ---: | ---: | ---: | ---: |",
            ]
            for r in sig["history"]:
                lines.append(
                    f"| {int(r['epoch'])} | {r.get('val_acc', 0):.1%} | {r.get('epoch_s', 0):.1f} | "
                    f"{r.get('elapsed_s', 0):.1f} | {r.get('images_per_s', 0):,.0f} |"
                )
        else:
            lines.append(
                f"- no epoch finished (exit {sig['exit']}, {'time cap' if sig['timed_out'] else 'see stderr'}): "
                + " / ".join(sig["stderr_tail"][-2:])
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", default=str(ROOT / "reports" / "gpu.json"), help="JSON results (default reports/gpu.json)"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny run (resnet18 @32, 2 steps); works on CPU")
    parser.add_argument(
        "--time-cap", type=float, default=240.0, help="seconds for the whole script (default 240)"
    )
    parser.add_argument("--train-signs", metavar="DIR", help="also train on SIGNS with the default recipe")
    parser.add_argument(
        "--train-reserve",
        type=float,
        default=120.0,
        help="seconds of the cap kept for --train-signs (default 120)",
    )
    parser.add_argument(
        "--train-out", metavar="DIR", help="keep the SIGNS run folder here (default: a temp folder)"
    )
    parser.add_argument(
        "--compile",
        dest="compile",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="measure torch.compile too (default: on with CUDA, off with --smoke)",
    )
    parser.add_argument("--compile-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.compile_worker:
        compile_worker(args.compile_worker)
        return 0

    import torch

    cuda = torch.cuda.is_available()
    if not cuda and not args.smoke:
        print("gpu.py: no CUDA device here; use --smoke for a CPU smoke run", file=sys.stderr)
        return 2
    device = torch.device("cuda" if cuda and not args.smoke else "cpu")
    if args.smoke and cuda:
        device = torch.device("cuda")  # a smoke run on a GPU machine still checks the CUDA path
    torch.backends.cudnn.benchmark = True
    p = plan(args.smoke)
    do_compile = args.compile if args.compile is not None else (device.type == "cuda" and not args.smoke)
    reserve = args.train_reserve if args.train_signs else 0.0
    log(
        f"device {device}, plan {p}, time cap {args.time_cap:.0f}s, compile {do_compile}, "
        f"SIGNS {'yes' if args.train_signs else 'no'} (reserve {reserve:.0f}s)"
    )

    res: dict[str, Any] = {
        "device_name": torch.cuda.get_device_name(device)
        if device.type == "cuda"
        else f"CPU ({platform.processor() or platform.machine()})",
        "device": str(device),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version() if cuda else None,
        "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32,
        "matmul_allow_tf32": torch.backends.cuda.matmul.allow_tf32 if cuda else None,
        "cudnn_benchmark": True,
        "smoke": args.smoke,
        "plan": p,
        "time_cap_s": args.time_cap,
        "python": platform.python_version(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "command": "python benchmarks/gpu.py " + " ".join(sys.argv[1:] if argv is None else argv),
    }
    if cuda:
        res["bf16_supported"] = torch.cuda.is_bf16_supported()
    eager_deadline = args.time_cap - reserve - 15
    res["results"] = eager_benchmarks(device, p, eager_deadline)
    if do_compile:
        cap = args.time_cap - reserve - elapsed() - 10
        if cap >= 45:
            res["compile"] = compile_benchmarks(device, p, cap)
        else:
            res["compile"] = {"results": [], "skipped": f"only {max(cap, 0):.0f}s left of the time cap"}
            log(f"torch.compile skipped: {res['compile']['skipped']}")
    if args.train_signs:
        cap = max(30.0, args.time_cap - elapsed() - 5)
        res["signs"] = train_signs(args.train_signs, device, cap, args.smoke, args.train_out)
    res["elapsed_s"] = elapsed()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    text = markdown(res)
    print(text)
    log(f"done in {elapsed():.0f}s; wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
