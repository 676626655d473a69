"""GitHub Actions workflow commands: one ``::error`` per root cause (each finding, each unexplained
mismatch; with ``file``/``line`` when it has a source), one ``::notice`` per note, and a summary.

Escaping follows GitHub's toolkit (``@actions/core`` ``command.ts``): data escapes ``%``, ``\\r``,
``\\n``; property values additionally escape ``:`` and ``,``."""

from __future__ import annotations

from resnet_verify.report._common import (
    DASH,
    consequences,
    fmt_indices,
    fmt_message,
    fmt_source,
    fmt_value,
    plural,
    verdict,
)
from resnet_verify.tracing.records import SourceLoc, format_shape
from resnet_verify.verify.classes import classes_phrase
from resnet_verify.verify.records import Comparison, MismatchKind

TOOL = "resnet-verify"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, *, title: str | None = None, source: SourceLoc | None = None) -> str:
    props: list[tuple[str, str]] = []
    if source is not None:
        props += [("file", source.file), ("line", str(source.line))]
    if title is not None:
        props.append(("title", title))
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{level}{' ' + prop_text if prop_text else ''}::{escape_data(message)}"


def _mismatch_error(c: Comparison, i: int) -> str:
    m = c.mismatches[i]
    where = m.reference_path or m.candidate_path or "model"
    parts = [fmt_message(m)] if m.message else []
    parts.append(f"reference {m.reference_path or DASH}, candidate {m.candidate_path or DASH}")
    if m.field is not None or m.expected is not None or m.actual is not None:
        parts.append(f"{m.field or 'value'}: expected {fmt_value(m.expected)}, got {fmt_value(m.actual)}")
    if m.layer_source is not None:
        parts.append(f"the value is passed here; the layer is built at {fmt_source(m.layer_source)}")
    follow = consequences(c, i)
    if follow:
        parts.append(f"with {plural(len(follow), 'consequence')}: {fmt_indices(follow)}")
    return command("error", f"#{i + 1} " + "\n".join(parts), title=f"{TOOL}: {m.kind.value} mismatch at {where}",
                   source=m.source)  # fmt: skip


def render_github(comparison: Comparison) -> str:
    """One ``::error`` per root cause (a finding at its source line, or an unexplained mismatch with
    its consequences folded in), so a pull request shows one annotation per thing to fix."""
    c = comparison
    lines: list[str] = []
    for f in c.findings:
        parts = [f.message]
        if f.suggestion:
            parts.append(f"Fix: {f.suggestion}")
        if f.locations:
            parts.append("Locations: " + ", ".join(f.locations))
        if f.mismatches:
            parts.append(f"Explains {plural(len(f.mismatches), 'mismatch')} {fmt_indices(f.mismatches)}")
        lines.append(command("error", "\n".join(parts), title=f"{TOOL}: {f.title}", source=f.source))
    loose = set(c.unexplained)
    for i in sorted(loose):
        if c.mismatches[i].cause not in loose:
            lines.append(_mismatch_error(c, i))
    crash = c.candidate.crash
    if crash is not None and not any(m.kind is MismatchKind.CRASH for m in c.mismatches):
        lines.append(
            command(
                "error",
                f"{crash.error_type}: {crash.message}",
                title=f"{TOOL}: candidate crashed in {crash.module_path or 'forward'}",
                source=crash.source,
            )
        )
    for note in c.notes:
        lines.append(command("notice", note, title=f"{TOOL} note"))
    if c.ok:
        summary = (
            f"match: {c.candidate_name} equals {c.reference_name} "
            f"(input {format_shape(c.input_shape)}, "
            f"{classes_phrase(c.num_classes, c.classes_from)})"
        )
    else:
        sourced = sum(m.source is not None for m in c.mismatches)
        summary = (
            f"{verdict(c)} between {c.candidate_name} and {c.reference_name}"
            + (f", {plural(len(c.findings), 'finding')}" if c.findings else "")
            + (f", {sourced} with a source location" if sourced else "")
        )
    lines.append(command("notice", summary, title=TOOL))
    return "\n".join(lines) + "\n"
