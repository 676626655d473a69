"""The Markdown section of ``speed_targets.py``, rendered from its raw rounds (so ``--from-json``
re-renders a run without measuring): verdicts against the targets, the tables behind them."""

from __future__ import annotations

from typing import Any

from _common import fmt_s, summarize, table

BEGIN, END = "<!-- speed-targets:begin -->", "<!-- speed-targets:end -->"
# The article's model, ported by hand (its fixed-size head runs the head's size-range finding), and a
# torchvision-style one that matches.
MODELS = (
    "tests/fixtures/models/classic_keras_resnet50.py:build",
    "tests/fixtures/edits/torchvision_style.py:build",
)
TORCH = "python -c 'import torch'"
# torch imported as the CLI imports it (resnet_verify/_fast_import.py): what is left above it is the
# verifier's own work, whatever the import's own cost.
TORCH_AS_CLI = "python -c 'import gc; gc.disable(); import torch; gc.freeze(); gc.enable()'"
INFO = "torchinfo.summary"
IN_MEMORY = "compare (reference trace in memory)"
FROM_CACHE = "first compare, reference read from the trace cache"
NO_CACHE = "first compare, reference built and traced (no cache)"
TARGETS = {"cli": 1.15, "in_process": 1.0, "first": 1.5}


def _verdict(ratio: float | None, target: float) -> str:
    if ratio is None:
        return "not measured"
    if ratio <= target:
        return f"**{ratio:.2f}×** — meets ≤ {target:g}×"
    return f"**{ratio:.2f}×** — misses ≤ {target:g}× by {ratio / target - 1:.0%}"


def _ratios(result: dict[str, Any], suffix: str) -> list[tuple[str, float | None, float]]:
    """(target, measured ratio, target ratio) for one checkout ("" or the baseline's suffix)."""
    cli = summarize(result["cli_runs"], TORCH)
    label = f"resnet-verify compare --model {MODELS[0]} --input-size {result['size']}{suffix}"
    # Only this checkout's CLI imports torch that way; a baseline's figure here would mix the two.
    own = summarize(result["cli_runs"], TORCH_AS_CLI)[label]["ratio"] if not suffix else None
    found = [
        (
            "1. warm CLI compare, hand-written ResNet-50 @64 ÷ `import torch`",
            cli[label]["ratio"],
            TARGETS["cli"],
        ),
        (
            "1'. the same ÷ `import torch` with the collector paused, as the CLI imports it",
            own,
            TARGETS["cli"],
        ),
    ]
    sizes = result["in_process_runs"].get(suffix, {}).get("sizes", {})
    cases = {size: summarize(got["cases"], INFO) for size, got in sizes.items()}
    for size, c in cases.items():
        found.append(
            (f"2. in-process compare @{size} ÷ {INFO}", c[IN_MEMORY]["ratio"], TARGETS["in_process"])
        )
    for size, c in cases.items():
        found.append(
            (
                f"3. first compare @{size}, reference built and traced ÷ {INFO}",
                c[NO_CACHE]["ratio"],
                TARGETS["first"],
            )
        )
        found.append(
            (
                f"3'. first compare @{size}, reference from the trace cache ÷ {INFO}",
                c[FROM_CACHE]["ratio"],
                TARGETS["first"],
            )
        )
    return found


def _target_table(result: dict[str, Any]) -> str:
    now = _ratios(result, "")
    base = result.get("baseline")
    if not base:
        return table(["target", "measured"], [[name, _verdict(r, t)] for name, r, t in now])
    before = {name: r for name, r, _ in _ratios(result, base["suffix"])}
    rows = [
        [name, _verdict(r, t), "—" if before.get(name) is None else f"{before[name]:.2f}×"]
        for name, r, t in now
    ]
    return table(["target", "measured", base.get("label") or f"{base['path']}, same rounds"], rows)


def _timing_rows(times: dict[str, Any], with_ratio: bool = True) -> list[list[str]]:
    rows = []
    for label, t in times.items():
        row = [label, fmt_s(t["median_s"]), f"{fmt_s(t['min_s'])}–{fmt_s(t['max_s'])}"]
        rows.append(row + ([f"{t['ratio']:.2f}×"] if with_ratio and t.get("ratio") is not None else []))
    return rows


def _header(result: dict[str, Any]) -> str:
    inproc, load = result["in_process_runs"].get("", {}), result["load"]
    base = f" --baseline {result['baseline']['path']}" if result.get("baseline") else ""
    return (
        f"Reproduce: `python benchmarks/speed_targets.py --rounds {result['rounds']}{base}` "
        f"({result['when']}, "
        f"commit {result.get('commit', 'unknown')}, {result['machine']['cores']} cores shared with other "
        f"work, torch threads {inproc.get('threads', '?')}; 1-minute load average {load[0]:.2f} at the "
        f"start, {load[1]:.2f} at the end). Command-line rounds: {result['rounds']}, in-process rounds: "
        f"{result['in_process_rounds']}, each alternating its commands (order rotated per round); a ratio "
        "is the median of the rounds' own ratios, so load that hits a round hits both sides. Processes "
        "run with bytecode caching on, as an installed package runs (see `benchmarks/README.md`)."
    )


def _in_process_lines(result: dict[str, Any]) -> list[str]:
    inproc = result["in_process_runs"].get("", {})
    lines: list[str] = []
    for size, got in inproc.get("sizes", {}).items():
        meta = "on meta tensors" if inproc.get("dynamo_loaded") else "on a CPU copy"
        lines += [
            f"In process @{size} (`resnet_verify.models.resnet50` built on the CPU, 1000 classes; the "
            f"candidate traced {meta}, torch._dynamo being loaded by then):",
            "",
            table(["what", "median", "min–max", f"÷ {INFO}"], _timing_rows(summarize(got["cases"], INFO))),
            "",
            table(
                ["a compare's parts", "median", "min–max"], _timing_rows(summarize(got["parts"], None), False)
            ),
            "",
        ]
    return lines


def render_section(result: dict[str, Any], notes: str = "") -> str:
    cli = summarize(result["cli_runs"], TORCH)
    lines = [
        BEGIN,
        "## Speed targets (issue #25)",
        "",
        _header(result),
        "",
        _target_table(result),
        "",
        "Command line, fresh processes, reference-trace cache warm:",
        "",
        table(
            ["command", "median", "min–max", "÷ import torch"],
            [[f"`{r[0]}`", *r[1:]] for r in _timing_rows(cli)],
        ),
        "",
        f"Where the command's time goes (`{MODELS[0]}`, median of 3 fresh processes, one step after the "
        "other; the import of torch inside a process is shorter than the `python -c` process above, which "
        "also starts the interpreter and tears torch down at exit):",
        "",
        table(["step", "time"], [[k, fmt_s(v)] for k, v in result["cli_phases"].items()]),
        "",
        *_in_process_lines(result),
    ]
    if notes:
        lines += [notes.strip(), ""]
    lines.append(END)
    return "\n".join(lines)
