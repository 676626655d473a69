"""Pure renderers ``Comparison -> str``: no I/O, no timestamps, no absolute paths added."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from resnet_verify.report.formats import FORMATS, render

if TYPE_CHECKING:
    from resnet_verify.report.json_report import load_report, to_dict

__all__ = ["FORMATS", "load_report", "render", "to_dict"]


def __getattr__(name: str) -> Any:
    # JSON's reader and writer, imported on first use like the other renderers (report/formats.py).
    if name in ("load_report", "to_dict"):
        from resnet_verify.report import json_report

        value = getattr(json_report, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
