"""Renderers: pure functions ``Comparison -> str``. No I/O, no timestamps, no absolute paths added:
the same comparison always renders to the same bytes."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from resnet_verify.formats import FORMATS, ReportFormat
from resnet_verify.report.text import render_text
from resnet_verify.verify.records import Comparison

if TYPE_CHECKING:
    from resnet_verify.report.github import render_github
    from resnet_verify.report.html import render_html
    from resnet_verify.report.json_report import load_report, render_json, to_dict
    from resnet_verify.report.markdown import render_markdown

# A command renders one format: the other renderers (HTML's diagram, JSON's schema, GitHub's
# annotations: ~15 ms of imports in a new process) are imported when first asked for.
_HOMES = {
    "render_markdown": "resnet_verify.report.markdown",
    "render_json": "resnet_verify.report.json_report",
    "load_report": "resnet_verify.report.json_report",
    "to_dict": "resnet_verify.report.json_report",
    "render_html": "resnet_verify.report.html",
    "render_github": "resnet_verify.report.github",
}
_RENDERERS = {
    ReportFormat.MARKDOWN: "render_markdown",
    ReportFormat.JSON: "render_json",
    ReportFormat.HTML: "render_html",
    ReportFormat.GITHUB: "render_github",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def render(
    comparison: Comparison,
    fmt: str | ReportFormat = ReportFormat.TEXT,
    *,
    color: bool = False,
    verbose: bool = False,
) -> str:
    """Render ``comparison`` as ``fmt`` (one of :data:`FORMATS`). ``color`` and ``verbose`` (every raw
    mismatch, not only the unexplained ones) affect text only: the other formats list everything."""
    try:
        kind = ReportFormat(fmt)
    except ValueError:
        raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None
    if kind is ReportFormat.TEXT:
        return render_text(comparison, color=color, verbose=verbose)
    renderer: Callable[[Comparison], str] = __getattr__(_RENDERERS[kind])
    return renderer(comparison)


__all__ = [
    "FORMATS",
    "ReportFormat",
    "load_report",
    "render",
    "render_github",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "to_dict",
]
