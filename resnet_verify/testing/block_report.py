"""Render a :class:`~resnet_verify.testing.block_check.BlockCheck` as text or JSON.

The text leads with the verdict and the cause at the user's line, then the compare engine's report
of the failing config (every mismatch and finding, as ``compare`` prints them). JSON carries the
same, with the comparison as ``compare --format json`` writes it.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from resnet_verify.report.formats import render, to_dict
from resnet_verify.testing.block_signature import BlockKind, Shortcut

if TYPE_CHECKING:
    from resnet_verify.testing.block_check import BlockCheck, BlockFailure

BLOCK_FORMATS = ("text", "json")
_SHORTCUT_WORDS = {
    Shortcut.AUTO: "a projection when channels or stride change, else the identity",
    Shortcut.PROJECTION: "always a projection",
    Shortcut.IDENTITY: "the identity (identity blocks only: same channels, stride 1)",
}


def _contract(check: BlockCheck) -> str:
    sig = check.signature
    where = ""
    if sig.kind is BlockKind.BOTTLENECK:
        where = ", stride on the 1x1 (v1)" if sig.stride_in == "1x1" else ", stride on the 3x3 (v1.5)"
    return f"{sig.name} as a {sig.kind.value} block{where}, seed {check.seed}"


def _failure_lines(failure: BlockFailure, runs: int, command: str | None) -> list[str]:
    lines = [f"FAIL: {failure.case.signature.name} {failure.describe()}"]
    lines.append(f"  smallest failing config of {runs} checked ({failure.kind.value})")
    lines += [f"  - {d}" for d in failure.details[1:]]
    lines.append(f"  call: {failure.case.call_text()} on a {_shape(failure.case.input_shape)} input")
    if command:
        lines.append(f"  reproduce: {command}")
    if failure.comparison is not None:
        lines += ["", "Comparison with the reference block of this config:", ""]
        lines.append(_block_header(render(failure.comparison, "text").rstrip("\n")))
    return lines


def _block_header(text: str) -> str:
    """The compare header names a class count, which a block does not have."""
    first, _, rest = text.partition("\n")
    first = re.sub(r", \d+ class(es)?(?=:)", "", first, count=1)
    return f"{first}\n{rest}" if rest else first


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(str(s) for s in shape)


def render_text(check: BlockCheck, command: str | None = None) -> str:
    sig = check.signature
    lines = [
        f"fuzz-block: {_contract(check)}",
        f"  arguments: {sig.describe()}",
        f"  shortcut: {_SHORTCUT_WORDS[sig.shortcut]}",
    ]
    if check.failure is None:
        lines.append(f"PASS: {check.runs} configs of {sig.name} match the reference {sig.kind.value} block")
    else:
        lines += _failure_lines(check.failure, check.runs, command)
    return "\n".join(lines) + "\n"


def _failure_dict(failure: BlockFailure) -> dict[str, Any]:
    case = failure.case
    return {
        "kind": failure.kind.value,
        "call": case.call_text(),
        "arguments": case.summary(),
        "input_shape": list(case.input_shape),
        "config": {
            "in_channels": case.in_channels,
            "filters": list(case.filters),
            "kernel_size": case.kernel_size,
            "stride": case.stride,
            "groups": case.groups,
        },
        "cause": failure.cause,
        "line": str(failure.source) if failure.source is not None else None,
        "details": list(failure.details),
        "comparison": to_dict(failure.comparison) if failure.comparison is not None else None,
    }


def to_block_dict(check: BlockCheck, command: str | None = None) -> dict[str, Any]:
    sig = check.signature
    return {
        "block": sig.name,
        "kind": sig.kind.value,
        "stride_in": sig.stride_in,
        "shortcut": sig.shortcut.value,
        "arguments": {b.param: b.spelled() for b in sig.bindings},
        "expansion": sig.expansion,
        "seed": check.seed,
        "examples": check.examples,
        "runs": check.runs,
        "ok": check.ok,
        "reproduce": command,
        "failure": _failure_dict(check.failure) if check.failure is not None else None,
    }


def render_block_check(check: BlockCheck, fmt: str = "text", *, command: str | None = None) -> str:
    """``fmt``: ``text`` or ``json``; ``command`` is the line that reproduces the run, if any."""
    if fmt == "json":
        return json.dumps(to_block_dict(check, command), indent=2) + "\n"
    if fmt == "text":
        return render_text(check, command)
    raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(BLOCK_FORMATS)}")


__all__ = ["BLOCK_FORMATS", "render_block_check", "to_block_dict"]
