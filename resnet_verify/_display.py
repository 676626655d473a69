"""Jupyter display of the pipeline's records: ``Comparison`` and ``Trace`` show as their reports.

The records live in early stages (``tracing``, ``verify``) and the renderers in a later one
(``report``), which the early stages must never import. A notebook asks for a display only after
the whole pipeline has run, so the renderer is looked up at that moment, by name, the way
``resnet_verify.__getattr__`` resolves the public API: the records keep no dependency on the
report stage, and importing them costs nothing more.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def _renderers() -> ModuleType:
    return importlib.import_module("resnet_verify.report.notebook")


def html(record: object) -> str:
    """The record's report as an HTML fragment: a scoped stylesheet, no script."""
    return str(_renderers().to_html(record))


def markdown(record: object) -> str:
    return str(_renderers().to_markdown(record))


def one_line(record: object) -> str:
    """``repr()``: one line, the report's header (a notebook's text/plain, a debugger's view)."""
    try:
        return str(_renderers().one_line(record))
    except Exception:  # repr must never raise: a half-built record still prints
        return f"<{type(record).__name__}>"
