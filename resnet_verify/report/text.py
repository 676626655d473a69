"""Terminal report: header, crash, findings, unexplained mismatches, stage table, notes.

Every line is at most :data:`WIDTH` columns (ANSI codes excluded); colour only when asked."""

from __future__ import annotations

import textwrap

from resnet_verify.report._common import (
    DASH,
    consequences,
    fmt_indices,
    fmt_int,
    fmt_macs,
    fmt_message,
    fmt_mismatch_source,
    fmt_px,
    fmt_shape,
    fmt_source,
    fmt_value,
    mismatch_groups,
    plural,
    verdict,
)
from resnet_verify.tracing.metrics import total_macs
from resnet_verify.verify.classes import classes_phrase
from resnet_verify.verify.patterns.wording import action
from resnet_verify.verify.records import Comparison, StageRow

WIDTH = 100

_RESET = "\033[0m"
_STYLES = {
    "bold": "\033[1m",
    "dim": "\033[2m",
    "red": "\033[31m",
    "green": "\033[32m",
    "yellow": "\033[33m",
    "cyan": "\033[36m",
    "bold_red": "\033[1;31m",
    "bold_green": "\033[1;32m",
}

# name, width, right-aligned
_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("", 1, False),
    ("stage", 6, False),
    ("reference", 14, False),
    ("output", 13, False),
    ("params", 10, True),
    ("candidate", 18, False),
    ("output", 13, False),
    ("params", 10, True),
    ("blocks", 6, True),
)


class _Out:
    def __init__(self, color: bool) -> None:
        self.color = color
        self.lines: list[str] = []

    def style(self, text: str, style: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.color and text else text

    def add(self, text: str = "", style: str | None = None) -> None:
        self.lines.append(self.style(text, style) if style else text)

    def wrap(self, text: str, indent: str, first: str | None = None, style: str | None = None) -> None:
        """Wrap plain ``text`` to the width; ``first`` replaces ``indent`` on the first line."""
        lead = indent if first is None else first
        for paragraph in text.splitlines() or [""]:
            wrapped = textwrap.wrap(
                paragraph, WIDTH, initial_indent=lead, subsequent_indent=indent, break_on_hyphens=False
            ) or [lead]
            for line in wrapped:
                self.add(line, style)
            lead = indent


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(cells: list[str]) -> str:
    parts = []
    for (_, width, right), cell in zip(_COLUMNS, cells):
        cell = _clip(cell, width)
        parts.append(cell.rjust(width) if right else cell.ljust(width))
    return " ".join(parts).rstrip()


def _stage_cells(row: StageRow) -> list[str]:
    blocks = "" if row.name in ("stem", "head") else f"{row.candidate_blocks}/{row.reference_blocks}"
    return [
        "✓" if row.ok else "✗",
        row.name,
        row.reference_path or DASH,
        fmt_shape(row.reference_shape),
        fmt_int(row.reference_params),
        row.candidate_path if row.candidate_path is not None else DASH,
        fmt_shape(row.candidate_shape),
        fmt_int(row.candidate_params),
        blocks,
    ]


def _header(out: _Out, c: Comparison) -> None:
    head = (
        f"{c.candidate_name} vs {c.reference_name} @ {fmt_shape(c.input_shape)}, "
        f"{classes_phrase(c.num_classes, c.classes_from)}: "
    )
    mark = verdict(c)
    if len(head + mark) <= WIDTH:
        out.add(out.style(head, "bold") + out.style(mark, "bold_green" if c.ok else "bold_red"))
    else:
        out.wrap(head + mark, "  ", first="", style="bold")
    ref_p, cand_p = c.reference.total_params, c.candidate.total_params
    delta = cand_p - ref_p
    out.add(
        f"parameters: reference {fmt_int(ref_p)}, candidate {fmt_int(cand_p)}"
        + (f" ({delta:+,})" if delta else " (equal)")
    )
    ref_m, cand_m = total_macs(c.reference), total_macs(c.candidate)
    if c.candidate.crash is not None:  # counted up to the crash: a delta would read as a real one
        out.add(f"MACs: reference {fmt_macs(ref_m)}, candidate {fmt_macs(cand_m)} up to the crash (partial)")
        return
    out.add(
        f"MACs: reference {fmt_macs(ref_m)}, candidate {fmt_macs(cand_m)}"
        + (f" ({'+' if cand_m > ref_m else ''}{fmt_macs(cand_m - ref_m)})" if cand_m != ref_m else " (equal)")
    )


def _stages(out: _Out, c: Comparison) -> None:
    if not c.stages:
        return
    out.add()
    out.add("Stages", "bold")
    out.add(_row([name for name, _, _ in _COLUMNS]), "dim")
    for row in c.stages:
        line = _row(_stage_cells(row))
        if out.color:
            mark = out.style(line[0], "green" if row.ok else "red")
            line = mark + (out.style(line[1:], "red") if not row.ok else line[1:])
        out.add(line)


def _costs(out: _Out, c: Comparison) -> None:
    """MACs, receptive field and stride per stage: what each side costs and what it sees."""
    if not c.stages:
        return
    out.add()
    out.add("Cost and view (receptive field and stride in input pixels)", "bold")
    rows = [
        [
            r.name,
            fmt_macs(r.reference_macs),
            fmt_macs(r.candidate_macs),
            fmt_px(r.reference_receptive_field, r.reference_receptive_field_axes),
            fmt_px(r.candidate_receptive_field, r.candidate_receptive_field_axes),
            fmt_px(r.reference_stride, r.reference_stride_axes),
            fmt_px(r.candidate_stride, r.candidate_stride_axes),
        ]
        for r in c.stages
    ]
    # 11 characters fit every 2-D figure; per-axis 3-D views ("53x107x107 px") widen the table
    width = max(11, *(len(x) for row in rows for x in row[1:]))
    out.add(
        _cost_row(
            ["stage", "ref MACs", "cand MACs", "ref RF", "cand RF", "ref stride", "cand stride"], width
        ),
        "dim",
    )
    for cells in rows:
        out.add(_cost_row(cells, width))


def _cost_row(cells: list[str], width: int = 11) -> str:
    first, rest = _clip(cells[0], 8).ljust(8), [_clip(x, width).rjust(width) for x in cells[1:]]
    return "  " + " ".join([first, *rest])


def _crash(out: _Out, c: Comparison) -> None:
    crash = c.candidate.crash
    if crash is None:
        return
    out.add()
    where = crash.module_path or "the model's own forward"
    op = f" ({crash.op_name})" if crash.op_name else ""
    shapes = ", ".join(fmt_shape(s) for s in crash.in_shapes) or DASH
    out.wrap(
        f"CRASH: the candidate's forward failed in {where}{op} on input {shapes}",
        "       ",
        first="",
        style="bold_red",
    )
    out.wrap(f"{crash.error_type}: {crash.message}", "       ")
    out.wrap(f"{crash.ops_before} ops ran before the failure.", "       ")
    source = crash.source
    if source is not None:
        out.wrap(f"at {fmt_source(source)}", "       ")


def _findings(out: _Out, c: Comparison, verbose: bool) -> None:
    if not c.findings:
        return
    out.add()
    out.add(f"Findings ({len(c.findings)})", "bold")
    for f in c.findings:
        out.wrap(f"{f.title} [{f.pattern.value}]", "    ", first="  * ", style="yellow")
        out.wrap(f.message, "    ")
        if f.suggestion:
            out.wrap(f"fix: {f.suggestion}", "         ", first="    ")
        if f.source is not None:
            out.wrap(f"source: {fmt_source(f.source)}", "    ")
        if f.mismatches:
            listed = f": {fmt_indices(f.mismatches)}" if verbose else ""
            out.wrap(f"explains {plural(len(f.mismatches), 'mismatch')}{listed}", "    ", style="dim")


def _mismatch(out: _Out, c: Comparison, i: int, lead_width: int = 4) -> None:
    m = c.mismatches[i]
    num = f"#{i + 1}"
    lead = f"{' ' * lead_width}{num:<4} {m.kind.value:<9} "
    pad = " " * len(lead)
    ref = m.reference_path if m.reference_path is not None else DASH
    cand = m.candidate_path if m.candidate_path is not None else DASH
    out.wrap(f"{ref} ↔ {cand}", pad, first=lead)
    if m.field is not None or m.expected is not None or m.actual is not None:
        out.wrap(f"{m.field or 'value'}: {fmt_value(m.expected)} → {fmt_value(m.actual)}", pad)
    if m.message:
        out.wrap(fmt_message(m), pad)
    if m.source is not None:
        out.wrap(f"at {fmt_mismatch_source(m)}", pad, style="dim")


def _unexplained(out: _Out, c: Comparison) -> None:
    """What no finding explains, grouped by block; consequences hang under their cause."""
    loose = set(c.unexplained)
    if not loose:
        return
    roots = sorted(i for i in loose if c.mismatches[i].cause not in loose)
    out.add()
    out.add(f"Unexplained ({plural(len(roots), 'mismatch')})", "bold")
    for group, indices in mismatch_groups(c):
        mine = [i for i in indices if i in roots]
        if not mine:
            continue
        out.wrap(group, "  ", style="cyan")
        for i in mine:
            _mismatch(out, c, i)
            # what to change, in the words the describing findings use (a consequence needs none)
            out.wrap(f"fix: {action(c.mismatches[i])}", " " * 24, first=" " * 19)
            for j in consequences(c, i):
                _mismatch(out, c, j, lead_width=8)


def _mismatches(out: _Out, c: Comparison) -> None:
    if not c.mismatches:
        return
    out.add()
    out.add(f"All mismatches ({len(c.mismatches)})", "bold")
    for group, indices in mismatch_groups(c):
        out.wrap(group, "  ", style="cyan")
        for i in indices:
            _mismatch(out, c, i)


def _notes(out: _Out, c: Comparison) -> None:
    if not c.notes:
        return
    out.add()
    out.add("Notes", "bold")
    for note in c.notes:
        out.wrap(note, "    ", first="  - ")


def render_text(comparison: Comparison, *, color: bool = False, verbose: bool = False) -> str:
    """Findings first, then what they leave unexplained, then the stage table; ``verbose`` adds every
    raw mismatch, so a model with one systematic difference fits on one screen without it."""
    out = _Out(color)
    _header(out, comparison)
    _crash(out, comparison)
    _findings(out, comparison, verbose)
    _unexplained(out, comparison)
    _stages(out, comparison)
    _costs(out, comparison)
    if verbose:
        _mismatches(out, comparison)
    _notes(out, comparison)
    return "\n".join(line.rstrip() for line in out.lines) + "\n"
