"""Renderers: pure functions ``Comparison -> str``. No I/O, no timestamps, no absolute paths added:
the same comparison always renders to the same bytes."""

from __future__ import annotations

from resnet_verify.report.github import render_github
from resnet_verify.report.html import render_html
from resnet_verify.report.json_report import load_report, render_json, to_dict
from resnet_verify.report.markdown import render_markdown
from resnet_verify.report.text import render_text
from resnet_verify.verify.records import Comparison

FORMATS: tuple[str, ...] = ("text", "markdown", "json", "html", "github")


def render(comparison: Comparison, fmt: str = "text", *, color: bool = False) -> str:
    """Render ``comparison`` as ``fmt`` (one of :data:`FORMATS`). ``color`` only affects text."""
    if fmt == "text":
        return render_text(comparison, color=color)
    if fmt == "markdown":
        return render_markdown(comparison)
    if fmt == "json":
        return render_json(comparison)
    if fmt == "html":
        return render_html(comparison)
    if fmt == "github":
        return render_github(comparison)
    raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "load_report",
    "render",
    "render_github",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "to_dict",
]
