"""Shared helpers for the benchmark scripts: timing, machine facts, Markdown tables.

Not part of the package: the scripts put the checkout's root on ``sys.path`` so they also run from
a bare checkout (e.g. on a GPU machine where the package is not installed).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the package lives at the top level (resnet_verify/)
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "signs"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(fn: Callable[[], Any], *, repeats: int, warmup: int = 1) -> dict[str, Any]:
    """Run ``fn`` ``warmup`` times untimed, then ``repeats`` times; median/min/max in seconds."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return {
        "median_s": statistics.median(runs),
        "min_s": min(runs),
        "max_s": max(runs),
        "runs": len(runs),
        "warmup": warmup,
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_facts() -> dict[str, Any]:
    import torch

    try:
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        mem = f"{mem_kib / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        mem = "unknown"
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "memory": mem,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "platform": platform.platform(),
    }


def loadavg() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def cpu_snapshot() -> tuple[float, float, float] | None:
    """(wall time, CPU seconds used by the whole machine, CPU seconds used by this process and its
    finished children): two snapshots give the share of the CPUs that *other* processes used."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    t = os.times()
    return time.time(), busy, t.user + t.system + t.children_user + t.children_system


def others_share(a: tuple[float, float, float] | None, b: tuple[float, float, float] | None) -> float | None:
    """Fraction of all CPUs that other processes kept busy between snapshots ``a`` and ``b``."""
    if a is None or b is None or b[0] <= a[0]:
        return None
    others = (b[1] - a[1]) - (b[2] - a[2])
    return max(0.0, others / ((b[0] - a[0]) * (os.cpu_count() or 1)))


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_mib(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MiB"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub Markdown table; right-align columns whose cells all look numeric."""

    def numeric(cell: Any) -> bool:
        text = str(cell).replace(",", "").replace("×", "").replace("%", "").split(" ")[0]
        try:
            float(text)
            return True
        except ValueError:
            return False

    def column_numeric(i: int) -> bool:
        cells = [r[i] for r in rows if str(r[i]).strip() not in ("—", "")]
        return bool(cells) and all(numeric(c) for c in cells)

    align = ["---:" if column_numeric(i) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def replace_section(text: str, begin: str, end: str, section: str) -> str:
    """``text`` with the part from ``begin`` to ``end`` replaced by ``section`` (which carries both
    markers), or with ``section`` appended when the markers are not there yet."""
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        return head + section + rest.split(end, 1)[1]
    return text.rstrip("\n") + "\n\n" + section + "\n"


def marked_sections(text: str) -> list[str]:
    """Every ``<!-- NAME:begin -->`` ... ``<!-- NAME:end -->`` section of ``text``, markers included,
    in order: the sections each script replaces on its own (startup.py, speed_targets.py ...)."""
    import re

    return [m.group(0) for m in re.finditer(r"<!-- ([\w-]+):begin -->.*?<!-- \1:end -->", text, re.S)]


def summarize(runs: dict[str, list[float]], base: str | None) -> dict[str, dict[str, Any]]:
    """Per label: median, min and max of its times, and the median of each round's own ratio to
    ``base`` (its times taken in the same rounds, in the same order), or None without a base."""
    out: dict[str, dict[str, Any]] = {}
    for label, times in runs.items():
        ratio = None
        if base is not None and base in runs:
            ratio = statistics.median(a / b for a, b in zip(times, runs[base]))
        out[label] = {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}
        out[label]["ratio"] = ratio
    return out
