"""timm's residual families, swept: every ResNet-family model timm can build (random weights, nothing
downloaded), compared with its closest torchvision ResNet, and how much of each difference the
findings name.

    python benchmarks/timm_sweep.py [--out reports] [--only resnet50,skresnet18] [--all] [--timeout 300]
    python benchmarks/timm_sweep.py --from-json reports/timm_sweep.json   # re-render the Markdown only

A model is built as ``compare --model timm:NAME`` builds it (``build_model(random_init=False)``) with
1000 classes and compared at 64 px; a model whose forward fails at 64 px is compared at the smallest
of ``--sizes`` where it runs. The reference is the torchvision ResNet of the model's block type
(basic blocks: resnet18, or resnet34 from depth 34; bottlenecks: resnet50, resnet101 from depth 101,
resnet152 from depth 152). Each model runs in its own process with a time limit, so one slow or
crashing model cannot stop the sweep. Writes ``timm_sweep.md`` and ``timm_sweep.json`` under ``--out``
(the JSON is rewritten after each model while the sweep runs).

The family is every ``timm.list_models()`` name with a residual-family prefix (resnet*, resnext*,
wide_resnet*, seresne*t*, ecaresne*t*, skresne*t*, resnest*, res2ne*t*, gcresne*t*, bat_resnext*,
lambda_resnet*, botnet*, halonet*, cspresne*t*, tresnet*, nf_*resnet*, ...). Without ``--all`` the
deeper (over 101 layers) and wider (x2 ... x64 multiplier) siblings of included models are left out
and listed.
"""

from __future__ import annotations

import argparse
import enum
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from _common import ROOT, log, machine_facts, table

CLASSES = 1000
SIZES = (64, 96, 128, 160, 192, 224, 256)
FAMILY = re.compile(
    r"^(resnet|resnext|wide_resnet|seresnet|seresnext|legacy_seresne|ecaresne|eca_resne|skresne|resnest|"
    r"res2ne|gcresne|bat_resnext|lambda_resnet|botnet|halonet|sehalonet|sebotnet|halo2botnet|lamhalobotnet|"
    r"eca_halonext|cspresne|tresnet|nf_resnet|nf_seresnet|nf_ecaresnet|test_resnet)"
)
WIDE = re.compile(r"x(3|4|16|64)_|x(2|3|4)_bit|x(3|4|16|64)$")  # resnet50x4_clip, resnetv2_152x2_bit ...
BASIC = re.compile(r"Basic|^SEResNetBlock$")  # BasicBlock, PreActBasic, SelectiveKernelBasic, legacy SE
BLOCK = re.compile(r"Bottle|neck|Block$")  # Bottleneck, Bottle2neck, ResNestBottleneck, SelfAttnBlock ...


def depth(name: str) -> int | None:
    """The layer count a timm name carries (resnet50d -> 50, res2net101_26w_4s -> 101), if any."""
    found = re.search(r"\d{2,3}", name.replace("res2net", "resnet").replace("v2_", "_"))
    return int(found.group(0)) if found else None


def select(include_all: bool) -> tuple[list[str], list[str]]:
    """(names swept, names left out) among timm's residual families."""
    import timm

    family = [n for n in timm.list_models() if FAMILY.match(n)]
    keep = [n for n in family if include_all or ((depth(n) or 0) <= 101 and not WIDE.search(n))]
    return keep + list(TRANSFORMERS), [n for n in family if n not in keep]


# transformers' ResNet and BiT (issue #23 asks for them beside timm's): benchmarks/hf_models.py
TRANSFORMERS = ("hf_resnet18", "hf_resnet34", "hf_resnet50", "hf_resnet101", "hf_resnet50_downsample_first",
                "hf_bit50")  # fmt: skip


def spec_for(name: str) -> str:
    if name in TRANSFORMERS:
        return f"{ROOT / 'benchmarks' / 'hf_models.py'}:{name}"
    return f"timm:{name}"


def reference_for(name: str, model: Any) -> tuple[str, str]:
    """(torchvision reference, block type) for a built model: basic blocks or bottlenecks, by count."""
    names = [type(m).__name__ for m in model.modules()]
    if name in TRANSFORMERS:  # a config, not a timm name: the block class says which
        names = ["Basic" if "Basic" in n else "Bottleneck" for n in names if "Basic" in n or "ottle" in n]
    basic = sum(1 for n in names if BASIC.search(n))
    other = sum(1 for n in names if BLOCK.search(n) and not BASIC.search(n))
    if basic > other:
        return ("resnet34" if (depth(name) or 18) >= 34 else "resnet18"), "basic"
    d = depth(name) or 50
    return ("resnet152" if d >= 152 else "resnet101" if d >= 101 else "resnet50"), "bottleneck"


def _text(value: Any, limit: int = 80) -> str:
    text = str(value.value if isinstance(value, enum.Enum) else value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def measure(name: str, sizes: tuple[int, ...]) -> dict[str, Any]:
    """Build timm's ``name`` as the CLI does and compare it at the first of ``sizes`` it runs at."""
    import torch

    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.comparison import compare
    from resnet_verify.verify.records import DESCRIPTIONS

    torch.set_num_threads(1)
    row: dict[str, Any] = {"model": name, "crash": False, "error": None}
    started = time.perf_counter()
    built: dict[str, str] = {}
    for size in sizes:
        model = build_model(
            spec_for(name), num_classes=CLASSES, input_size=(3, size, size), random_init=False
        )[0]
        if "reference" not in built:
            built["reference"], built["block"] = reference_for(name, model)
            row["reference"], row["block"] = built["reference"], built["block"]
            row["build_seconds"] = round(time.perf_counter() - started, 2)
        t = time.perf_counter()
        c = compare(model, built["reference"], input_size=size, num_classes=CLASSES, owned=True)
        row["compare_seconds"] = round(row.get("compare_seconds", 0.0) + time.perf_counter() - t, 2)
        row["size"] = size
        if c.candidate.crash is None:
            break
        row.setdefault("fails_at", []).append(size)
    claimed = {i for f in c.findings for i in f.mismatches}
    row.update(
        mismatches=len(c.mismatches),
        claimed=len(claimed),
        described=len({i for f in c.findings if f.pattern in DESCRIPTIONS for i in f.mismatches}),
        unexplained=len(c.unexplained),
        findings=sorted({f.pattern.value for f in c.findings}),
        verdict=sorted({f.pattern.value for f in c.findings if f.verdict}),
        model_crash=c.candidate.crash.message if c.candidate.crash is not None else None,
        unexplained_mismatches=[
            {
                "kind": _text(m.kind),
                "field": m.field,
                "expected": _text(m.expected),
                "actual": _text(m.actual),
                "region": _text(m.region) if m.region is not None else None,
                "op_kind": _text(m.op_kind) if m.op_kind is not None else None,
                "reference_path": m.reference_path,
                "candidate_path": m.candidate_path,
                "caused_by": m.cause,
                "message": _text(m.message, 200),
            }
            for m in (c.mismatches[i] for i in c.unexplained)
        ],
        seconds=round(time.perf_counter() - started, 2),
    )
    return row


def run_one(name: str, sizes: tuple[int, ...], timeout: float, package: Path | None) -> dict[str, Any]:
    """``measure(name)`` in a process of its own, killed after ``timeout`` seconds; with the package
    imported from ``package`` (a folder holding ``resnet_verify``) when given."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "row.json"
        cmd = [sys.executable, __file__, "--worker", name, "--result", str(result)]
        cmd += ["--sizes", ",".join(map(str, sizes))] + (["--package", str(package)] if package else [])
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
            error = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        except subprocess.TimeoutExpired:
            error = f"timed out after {timeout:.0f} s"
        row = (
            json.loads(result.read_text())
            if result.exists()
            else {"model": name, "crash": True, "error": error}
        )
    row["wall_seconds"] = round(time.perf_counter() - started, 2)
    return row


def worker(name: str, result: Path, sizes: tuple[int, ...], package: str | None) -> int:
    if package:  # ahead of the checkout that _common put first
        sys.path.insert(0, package)
    try:
        row = measure(name, sizes)
    except Exception as exc:  # the verifier (or the builder) raised: that is the measurement
        last = traceback.extract_tb(exc.__traceback__)[-1]
        row = {
            "model": name,
            "crash": True,
            "error": f"{type(exc).__name__}: {_text(exc, 200)} ({Path(last.filename).name}:{last.lineno})",
        }
    result.write_text(json.dumps(row))
    return 0


def _number_free(value: str) -> str:
    return re.sub(r"\d+", "N", value)


def shape_key(m: dict[str, Any]) -> tuple[str, str, str, str]:
    """What kind of difference a mismatch is, numbers abstracted where they are sizes (params, shapes)."""
    sized = m["kind"] in ("params", "shape") or m["field"] in ("params", "output_shape")
    exp, act = (
        (_number_free(m["expected"]), _number_free(m["actual"])) if sized else (m["expected"], m["actual"])
    )
    return m["kind"], str(m["field"]), f"{exp} → {act}", str(m["region"])


def common_shapes(rows: list[dict[str, Any]], top: int) -> list[list[Any]]:
    """The unexplained mismatch shapes that most models share, with the models that show them."""
    models: defaultdict[tuple[str, str, str, str], Counter[str]] = defaultdict(Counter)
    for r in rows:
        for m in r.get("unexplained_mismatches", []):
            models[shape_key(m)][r["model"]] += 1
    ranked = sorted(models.items(), key=lambda kv: (-len(kv[1]), -sum(kv[1].values()), kv[0]))
    return [
        [*key, len(found), sum(found.values()), ", ".join(n for n, _ in found.most_common(4))]
        for key, found in ranked[:top]
    ]


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|")


def render(rows: list[dict[str, Any]], left_out: list[str], facts: dict[str, Any], command: str) -> str:
    ok = [r for r in rows if not r["crash"]]
    verdict = [r for r in ok if "not_a_residual_network" in r["findings"]]
    explained = [r for r in ok if r["unexplained"] == 0 and r not in verdict]
    clean = [r for r in ok if r["mismatches"] == 0]
    total = sum(r["mismatches"] for r in ok)
    claimed = sum(r["claimed"] for r in ok)
    described = sum(r.get("described", 0) for r in ok)
    moved = [r for r in ok if r.get("fails_at")]
    summary = (
        f"**{len(rows)} models: {len(explained)} fully explained** (no crash, no unexplained mismatch, no "
        f"'not a residual network' verdict; {len(clean)} of them compare clean), **{len(verdict)} with a "
        f"'not_a_residual_network' verdict**, {len(rows) - len(ok)} crashed or timed out; "
        f"**{sum(r['unexplained'] for r in ok)} mismatches unexplained** of {total} "
        f"({claimed} claimed by a finding"
        + (
            f": {claimed - described} by a named variant, {described} by a description of what differs"
            if any("described" in r for r in ok)
            else ""
        )
        + "). A mismatch left unexplained is a single difference, shown at its layer with its own message."
    )
    body = [
        [
            r["model"],
            r.get("reference", "—"),
            f"{r['size']}"
            + (f" (fails at {', '.join(map(str, r['fails_at']))})" if r.get("fails_at") else "")
            if "size" in r
            else "—",
            "yes: " + _cell(r["error"]) if r["crash"] else "no",
            r.get("mismatches", "—"),
            r.get("claimed", "—"),
            r.get("unexplained", "—"),
            ", ".join(r.get("findings", [])) or "—",
            f"{r.get('seconds', r['wall_seconds']):.1f}",
        ]
        for r in rows
    ]
    shapes = common_shapes(ok, 15)
    commit, end = facts.get("commit"), facts.get("commit_at_end", facts.get("commit"))
    if end != commit:
        commit = f"{commit} at the start, {end} at the end (the package changed during the sweep)"
    lines = [
        "# timm's residual families against torchvision's ResNets (regenerated by `benchmarks/timm_sweep.py`)",
        "",
        f"Command: `{command}`",
        "",
        f"Commit {commit}; timm {facts.get('timm')}, torch {facts.get('torch')}, "
        f"{facts.get('cores')} cores (niced, one "
        f"thread, one model at a time). Random weights, nothing downloaded; {CLASSES} classes. Each model "
        f"at 64 px, or the smallest of {', '.join(map(str, SIZES))} where its forward runs "
        f"({len(moved)} models: {', '.join(r['model'] for r in moved) or 'none'}). Reference: the "
        "torchvision ResNet of the model's block type and depth (basic: resnet18 / resnet34; bottleneck: "
        "resnet50 / resnet101 / resnet152).",
        "",
        summary,
        "",
        "Columns: *claimed* = mismatches some finding claims (a verdict claims all of them); *unexplained* "
        "= mismatches no finding claims; *crash* = the verifier (or building the model) raised or timed "
        "out; *s* = build + compare seconds in the worker. Sorted by crash, then unexplained count.",
        "",
        table(
            ["model", "reference", "px", "crash", "mismatches", "claimed", "unexplained", "findings", "s"],
            body,
        ),
        "",
        "## Most common unexplained mismatch shapes",
        "",
        "Unexplained mismatches grouped by (kind, field, expected → actual, region); sizes in `params` / "
        "`shape` mismatches are written N. Ranked by how many models show the shape.",
        "",
        table(["kind", "field", "expected → actual", "region", "models", "mismatches", "e.g."], shapes),
        "",
        f"Left out ({len(left_out)}: deeper or wider siblings of swept models; `--all` sweeps them): "
        + (", ".join(left_out) or "none")
        + ".",
    ]
    return "\n".join(lines) + "\n"


def order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (not r["crash"], -(r.get("unexplained") or 0), r["model"]))


def write(out: Path, rows: list[dict[str, Any]], left_out: list[str], facts: dict[str, Any], command: str,
          complete: bool) -> str:  # fmt: skip
    rows = order(rows)
    out.mkdir(parents=True, exist_ok=True)
    data = {"command": command, "complete": complete, "machine": facts, "left_out": left_out, "rows": rows}
    (out / "timm_sweep.json").write_text(json.dumps(data, indent=1) + "\n")
    text = render(rows, left_out, facts, command)
    if complete:
        (out / "timm_sweep.md").write_text(text)
    return text


def checkout() -> str:
    """The checkout's commit, marked ``+ local changes`` when its tracked files differ from it."""

    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return run.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" + local changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def committed_package(folder: Path) -> Path:
    """``resnet_verify`` as committed at HEAD, written under ``folder``."""
    tar = subprocess.run(["git", "archive", "--format=tar", "HEAD", "resnet_verify"], cwd=ROOT,
                         capture_output=True, check=True).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(folder, filter="data")
    return folder


def sweep(names: list[str], sizes: tuple[int, ...], timeout: float, package: Path | None, out: Path,
          left_out: list[str], facts: dict[str, Any], command: str) -> list[dict[str, Any]]:  # fmt: skip
    rows: list[dict[str, Any]] = []
    for k, name in enumerate(names, 1):
        rows.append(run_one(name, sizes, timeout, package))
        r = rows[-1]
        log(
            f"[{k}/{len(names)}] {name}: "
            + (f"CRASH {r['error']}" if r["crash"] else f"{r['unexplained']}/{r['mismatches']} unexplained")
            + f" ({r['wall_seconds']:.0f} s)"
        )
        write(out, rows, left_out, facts, command, complete=False)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "reports"), help="folder for timm_sweep.md/.json")
    parser.add_argument("--only", help="comma-separated timm names instead of the whole family")
    parser.add_argument("--all", action="store_true", help="also the deeper and wider siblings")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per model (default 300)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="input sizes to try, in order")
    parser.add_argument(
        "--from-json", help="rebuild timm_sweep.md from this timm_sweep.json, measuring nothing"
    )
    parser.add_argument(
        "--at-head",
        action="store_true",
        help="measure resnet_verify as committed at HEAD (copied at the start), not the working tree, "
        "so that edits or commits during a long sweep do not mix into it",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--package", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    if args.worker:
        return worker(args.worker, Path(args.result), sizes, args.package)
    if args.from_json:  # re-render the Markdown from a finished sweep's JSON, measuring nothing
        data = json.loads(Path(args.from_json).read_text())
        text = render(order(data["rows"]), data["left_out"], data["machine"], data["command"])
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "timm_sweep.md").write_text(text)
        print(text)
        return 0
    import timm

    names, left_out = select(args.all)
    if args.only:
        names, left_out = [n.strip() for n in args.only.split(",") if n.strip()], []
    command = "nice -n 10 python benchmarks/timm_sweep.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    with tempfile.TemporaryDirectory() as snapshot:
        package = committed_package(Path(snapshot)) if args.at_head else None
        commit = checkout() if package is None else checkout().split(" ")[0] + " (resnet_verify as committed)"
        facts = {**machine_facts(), "timm": timm.__version__, "commit": commit}
        rows = sweep(names, sizes, args.timeout, package, Path(args.out), left_out, facts, command.strip())
    facts["commit_at_end"] = checkout() if package is None else commit  # a long sweep can see the tree change
    print(write(Path(args.out), rows, left_out, facts, command.strip(), complete=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
