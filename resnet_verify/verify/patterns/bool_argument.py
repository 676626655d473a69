"""Crash cause: a bool where torch wants an int (``padding=True``), repaired on the traced copy.

PyTorch 1.x read ``nn.Conv2d(..., padding=True)`` as ``padding=1``; torch 2.x keeps the bools and
``conv2d`` raises "received an invalid combination of arguments ... tuple of (bool, bool)". The
tracer traced a copy with the ints PyTorch 1.x used (``tracing/repairs.py``) and the diff turned each
repair into a REPAIR mismatch; this finding names the cause once per line, with the int to write.
"""

from __future__ import annotations

from resnet_verify.tracing.records import SourceLoc
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def _scalar(value: object) -> object:
    return value[0] if isinstance(value, tuple) and value and len(set(value)) == 1 else value


def _holds_bool(value: object) -> bool:
    """A bool argument's repair, not a width's (the reference's repairs come swapped, on its side)."""
    return isinstance(value, tuple) and any(isinstance(v, bool) for v in value)


def detect_bool_argument(ctx: Context) -> list[Finding]:
    groups: dict[tuple[SourceLoc | None, str | None], list[int]] = {}
    for i, m in enumerate(ctx.mismatches):
        if m.kind is MismatchKind.REPAIR and m.candidate_path is not None and _holds_bool(m.actual):
            groups.setdefault((m.source, m.field), []).append(i)
    findings = []
    for (source, field), idx in groups.items():
        first = ctx.mismatches[idx[0]]
        given, used = _scalar(first.actual), _scalar(first.expected)
        n = len(idx)
        where = f" ({source})" if source is not None else ""
        findings.append(
            Finding(
                pattern=Pattern.BOOL_ARGUMENT,
                title=f"{field}={given}: a bool where torch needs an int",
                message=(
                    f"{n} layer{'s' if n > 1 else ''} built with {field}={given}{where} crash under torch 2.x "
                    f"(conv2d / pooling reject a bool); PyTorch 1.x read it as {field}={used}. The rest of "
                    f"the model was traced with {field}={used} on a copy, so its other differences are "
                    "reported below."
                ),
                locations=tuple(
                    dict.fromkeys(m.candidate_path or "" for m in (ctx.mismatches[i] for i in idx))
                ),
                mismatches=tuple(idx),
                suggestion=f"{source or first.candidate_path}: write {field}={used} instead of {field}={given}",
                source=source,
            )
        )
    return findings


__all__ = ["detect_bool_argument"]
