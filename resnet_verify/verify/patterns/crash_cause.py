"""Findings for the named crash causes of ``verify/crash_causes``: one finding per cause.

A repaired cause (a Linear or conv re-sized on the traced copy) claims the REPAIR mismatches of the
layers it names, and the comparison of the rest of the model goes on below it; a cause of the crash
that stopped the trace claims the CRASH mismatch.
"""

from __future__ import annotations

from resnet_verify.verify.crash_causes import CrashCause, diagnose
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Finding, MismatchKind

_WIDTHS = ("in_features", "in_channels")


def _claims(ctx: Context, cause: CrashCause) -> tuple[int, ...]:
    if cause.repaired:  # the re-sized layer's repair, and its parameter count as written
        return ctx.indices(
            lambda m: (
                m.candidate_path in cause.paths
                and (
                    (m.kind is MismatchKind.REPAIR and m.field in _WIDTHS)
                    or m.kind is MismatchKind.PARAMS
                    or (m.kind is MismatchKind.ATTRIBUTE and m.field in _WIDTHS)
                )
            )
        )
    return ctx.indices(lambda m: m.kind is MismatchKind.CRASH)


def detect_crash_cause(ctx: Context) -> list[Finding]:
    if ctx.candidate.crash is None and not ctx.candidate.repairs:
        return []
    findings = []
    for cause in diagnose(ctx.candidate):
        claimed = _claims(ctx, cause)
        if not claimed:
            continue
        findings.append(
            Finding(
                pattern=cause.pattern,
                title=cause.title,
                message=cause.message,
                locations=tuple(
                    dict.fromkeys(
                        ctx.mismatches[i].reference_path or ""
                        for i in claimed
                        if ctx.mismatches[i].reference_path
                    )
                ),
                mismatches=claimed,
                suggestion=cause.fix,
                source=cause.source,
            )
        )
    return findings


__all__ = ["detect_crash_cause"]
