"""Markdown report (GitHub flavoured): summary, stage table, crash, findings, mismatches, notes."""

from __future__ import annotations

from resnet_verify.report._common import (
    DASH,
    explained_by,
    fmt_indices,
    fmt_int,
    fmt_macs,
    fmt_message,
    fmt_mismatch_source,
    fmt_px,
    fmt_shape,
    fmt_source,
    fmt_value,
    verdict,
)
from resnet_verify.tracing.metrics import total_macs
from resnet_verify.verify.classes import classes_phrase
from resnet_verify.verify.records import Comparison, StageRow

STAGE_HEADER = (
    "Stage",
    "Reference path",
    "Candidate path",
    "Ref output",
    "Cand output",
    "Ref params",
    "Cand params",
    "Status",
)
COST_HEADER = ("Stage", "Ref MACs", "Cand MACs", "Ref RF", "Cand RF", "Ref stride", "Cand stride")
MISMATCH_HEADER = (
    "#", "Kind", "Reference", "Candidate", "Field", "Expected", "Actual", "Message", "Source", "Explained by"
)  # fmt: skip


def escape(text: str) -> str:
    """Plain text safe inside a table cell or a paragraph: no raw HTML, no cell breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    for ch in ("*", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.splitlines())


def code(text: str | None) -> str:
    """Inline code for paths and values; falls back to escaped text when a backtick prevents it."""
    if text is None or text == "":
        return DASH
    text = " ".join(text.splitlines())
    if "`" in text:
        return escape(text)
    return "`" + text.replace("|", "\\|") + "`"


def _shape(shape: tuple[int, ...] | None) -> str:
    return DASH if shape is None else code(fmt_shape(shape))


def _value(value: object) -> str:
    return DASH if value is None else code(fmt_value(value))


def _table(header: tuple[str, ...], rows: list[list[str]], right: frozenset[int] = frozenset()) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return lines


def _stage_row(row: StageRow) -> list[str]:
    status = "✅ ok" if row.ok else "❌ differs"
    if row.name not in ("stem", "head") and row.candidate_blocks != row.reference_blocks:
        status += f" ({row.candidate_blocks} vs {row.reference_blocks} blocks)"
    return [
        escape(row.name),
        code(row.reference_path),
        code(row.candidate_path),
        _shape(row.reference_shape),
        _shape(row.candidate_shape),
        fmt_int(row.reference_params),
        fmt_int(row.candidate_params),
        status,
    ]


def _cost_row(row: StageRow) -> list[str]:
    return [
        escape(row.name),
        fmt_macs(row.reference_macs),
        fmt_macs(row.candidate_macs),
        fmt_px(row.reference_receptive_field, row.reference_receptive_field_axes),
        fmt_px(row.candidate_receptive_field, row.candidate_receptive_field_axes),
        fmt_px(row.reference_stride, row.reference_stride_axes),
        fmt_px(row.candidate_stride, row.candidate_stride_axes),
    ]


def _summary(c: Comparison) -> list[str]:
    mark = "✅ **MATCH**" if c.ok else f"❌ **{verdict(c)}**"
    ref_p, cand_p = c.reference.total_params, c.candidate.total_params
    delta = cand_p - ref_p
    return [
        f"# resnet-verify: {code(c.candidate_name)} vs {code(c.reference_name)}",
        "",
        f"{mark}, input {code(fmt_shape(c.input_shape))}, {classes_phrase(c.num_classes, c.classes_from)}.",
        "",
        f"Parameters: reference {fmt_int(ref_p)}, candidate {fmt_int(cand_p)}"
        + (f" ({delta:+,})." if delta else " (equal)."),
        "",
        f"MACs: reference {fmt_macs(total_macs(c.reference))}, candidate {fmt_macs(total_macs(c.candidate))}"
        + (" up to the crash (partial)." if c.candidate.crash is not None else "."),
    ]


def _crash(c: Comparison) -> list[str]:
    crash = c.candidate.crash
    if crash is None:
        return []
    shapes = ", ".join(code(fmt_shape(s)) for s in crash.in_shapes) or DASH
    op = f" ({code(crash.op_name)})" if crash.op_name else ""
    source = crash.source
    at = f" at {code(fmt_source(source))}" if source is not None else ""
    return [
        "",
        "## Crash",
        "",
        f"The candidate's forward failed in {code(crash.module_path or '<root>')}{op} "
        f"on input {shapes}{at} after {crash.ops_before} ops:",
        "",
        f"> **{escape(crash.error_type)}**: "
        + "<br>\n> ".join(escape(ln) for ln in crash.message.splitlines()),
    ]


def _findings(c: Comparison) -> list[str]:
    if not c.findings:
        return []
    lines = ["", "## Findings", ""]
    for f in c.findings:
        lines.append(f"- **{escape(f.title)}** ({code(f.pattern.value)}): {escape(f.message)}")
        if f.suggestion:
            lines.append(f"  - Suggestion: {escape(f.suggestion)}")
        if f.locations:
            lines.append("  - Locations: " + ", ".join(code(loc) for loc in f.locations))
        if f.source is not None:
            lines.append(f"  - Source: {code(fmt_source(f.source))}")
        if f.mismatches:
            lines.append("  - Explains mismatch rows " + fmt_indices(f.mismatches).replace("#", ""))
    return lines


def _mismatches(c: Comparison) -> list[str]:
    if not c.mismatches:
        return []
    rows = [
        [
            str(i + 1),
            escape(m.kind.value),
            code(m.reference_path),
            code(m.candidate_path),
            code(m.field),
            _value(m.expected),
            _value(m.actual),
            escape(fmt_message(m)),
            code(fmt_mismatch_source(m)) if m.source is not None else DASH,
            escape(explained_by(c, i)),
        ]
        for i, m in enumerate(c.mismatches)
    ]
    return ["", "## Mismatches", "", *_table(MISMATCH_HEADER, rows)]


def render_markdown(comparison: Comparison) -> str:
    c = comparison
    lines = _summary(c) + _crash(c) + _findings(c)  # root causes first
    if c.stages:
        lines += [
            "",
            "## Stages",
            "",
            *_table(STAGE_HEADER, [_stage_row(r) for r in c.stages], frozenset({5, 6})),
            "",
            "### Cost and view",
            "",
            "Receptive field and stride in input pixels; the receptive field is the largest over all paths.",
            "",
            *_table(COST_HEADER, [_cost_row(r) for r in c.stages], frozenset(range(1, 7))),
        ]
    lines += _mismatches(c)
    if c.notes:
        lines += ["", "## Notes", "", *(f"- {escape(n)}" for n in c.notes)]
    return "\n".join(lines) + "\n"
