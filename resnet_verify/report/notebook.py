"""How a :class:`Comparison`, a :class:`Trace` and a :class:`Summary` show in Jupyter.

``_repr_html_`` is the HTML report cut down to a fragment: the page's ``<main>`` with its stylesheet
scoped to one wrapper class, because a notebook shows every output in one document and the report's
``body``, ``table`` and ``h1`` rules would restyle the notebook itself. It stays the size of the
report (tens of KB): inline CSS only, no script. ``_repr_markdown_`` is the Markdown report, and
``repr()`` one line, the header of the text report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from torch import nn

from resnet_verify.report._common import fmt_int, fmt_macs, fmt_shape, verdict
from resnet_verify.report.html import render_html
from resnet_verify.report.markdown import render_markdown
from resnet_verify.report.summary_table import render_trace
from resnet_verify.tracing.metrics import total_macs
from resnet_verify.tracing.records import Trace
from resnet_verify.tracing.tracer import normalize_input_shape, trace
from resnet_verify.verify.records import Comparison

SCOPE = "rv-report"
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_BODY = re.compile(r"<body>\s*(.*?)\s*</body>", re.S)
_MAIN = re.compile(r"<main>\s*(.*?)\s*</main>", re.S)


def _scoped_selector(selector: str) -> str:
    selector = selector.strip()
    if selector in ("body", "html", "main"):
        return f".{SCOPE}"
    if selector == "*":
        return f".{SCOPE}, .{SCOPE} *"
    return f".{SCOPE} {selector}"


def scope_css(css: str) -> str:
    """Every rule of ``css`` limited to elements inside ``.rv-report`` (page-level rules: the wrapper)."""
    rules = []
    for rule in css.split("}"):
        selectors, brace, body = rule.partition("{")
        if not brace or selectors.strip().startswith("@"):
            continue  # the report has no at-rules; one added later is dropped rather than leaked
        scoped = ", ".join(_scoped_selector(s) for s in selectors.split(","))
        rules.append(f"{scoped}{{{body.strip()}}}")
    return "\n".join(rules)


def html_fragment(page: str) -> str:
    """A whole report page as one ``<div>`` a notebook can show: scoped style, the page's content."""
    style = _STYLE.search(page)
    content = _MAIN.search(page) or _BODY.search(page)
    inner = content.group(1) if content else page
    css = f"<style>{scope_css(style.group(1))}</style>" if style else ""
    return f'<div class="{SCOPE}">{css}{inner}</div>'


def comparison_line(c: Comparison) -> str:
    return f"<Comparison {c.candidate_name} vs {c.reference_name} @ {fmt_shape(c.input_shape)}: {verdict(c)}>"


def trace_line(tr: Trace) -> str:
    s = tr.structure
    parts = [f"{len(s.blocks)} blocks in {len(s.stages)} stages", f"{fmt_int(tr.total_params)} params"]
    parts.append(f"{fmt_macs(total_macs(tr))} MACs")
    if tr.crash is not None:
        parts.append(f"forward crashed at {tr.crash.module_path or 'the top-level forward'}")
    return f"<Trace {tr.model_type} @ {fmt_shape(tr.input_shape)}: {', '.join(parts)}>"


@dataclass(frozen=True, slots=True)
class Summary:
    """The shape report of one model (``resnet-verify summary``), for a notebook or a script."""

    name: str
    trace: Trace
    num_classes: int | None = None  # the class count the model was asked to build, if any

    def text(self) -> str:
        return render_trace(self.trace, self.name, "text", num_classes=self.num_classes)

    def _repr_html_(self) -> str:
        return html_fragment(render_trace(self.trace, self.name, "html", num_classes=self.num_classes))

    def _repr_markdown_(self) -> str:
        return render_trace(self.trace, self.name, "markdown", num_classes=self.num_classes)

    def __repr__(self) -> str:
        return trace_line(self.trace).replace("<Trace", "<Summary", 1)


def summarize(
    model: nn.Module,
    input_size: int | Sequence[int] = 64,
    *,
    name: str | None = None,
    num_classes: int | None = None,
    output_key: str | None = None,
) -> Summary:
    """Trace ``model`` once (a copy: the model is left as it was) and return its shape report."""
    traced = trace(model, normalize_input_shape(input_size), output_key=output_key)
    return Summary(name or type(model).__name__, traced, num_classes)


def to_html(obj: Comparison | Trace) -> str:
    if isinstance(obj, Comparison):
        return html_fragment(render_html(obj))
    return html_fragment(render_trace(obj, obj.model_type, "html"))


def to_markdown(obj: Comparison | Trace) -> str:
    if isinstance(obj, Comparison):
        return render_markdown(obj)
    return render_trace(obj, obj.model_type, "markdown")


def one_line(obj: Comparison | Trace) -> str:
    return comparison_line(obj) if isinstance(obj, Comparison) else trace_line(obj)


__all__ = [
    "SCOPE",
    "Summary",
    "html_fragment",
    "one_line",
    "scope_css",
    "summarize",
    "to_html",
    "to_markdown",
]
