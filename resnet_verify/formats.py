"""The report formats: one list for the renderers and the CLI (torch-free, so ``--help`` stays fast)."""

from __future__ import annotations

import enum


class ReportFormat(str, enum.Enum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    HTML = "html"
    GITHUB = "github"


FORMATS: tuple[str, ...] = tuple(f.value for f in ReportFormat)
# `summary` renders every format but GitHub annotations (a shape report has no findings to annotate).
SUMMARY_FORMATS: tuple[str, ...] = tuple(f for f in FORMATS if f != ReportFormat.GITHUB.value)
