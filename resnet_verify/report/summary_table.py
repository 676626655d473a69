"""Shape report of one model: stem, stages and blocks with shapes, parameters, MACs, receptive field
and stride, as text (followed by torchinfo's layer table), Markdown, JSON or HTML.

One list of :class:`SummaryRow` built from the trace feeds every format, so the four never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import torch
from torch import nn

from resnet_verify.formats import SUMMARY_FORMATS
from resnet_verify.report._common import DASH, fmt_int, fmt_macs, fmt_px, fmt_shape, summarize_block
from resnet_verify.tracing.input_channels import trace_as_it_takes
from resnet_verify.tracing.metrics import PartMetrics, trace_metrics
from resnet_verify.tracing.records import Shape, Trace
from resnet_verify.tracing.repairs import describe
from resnet_verify.verify.classes import ClassesFrom, classes_from_head, classes_phrase, head_classes
from resnet_verify.verify.crash_causes import diagnose

SUMMARY_SCHEMA_VERSION = 1
_HEADER = ("part", "path", "input", "output", "params", "MACs", "RF", "stride", "detail")


@dataclass(frozen=True, slots=True)
class SummaryRow:
    part: str  # "stem", "stage", "block" or "head"
    name: str  # "stem", "stage 1", "block 0", "head"
    path: str
    in_shape: Shape | None
    out_shape: Shape | None
    params: int
    metrics: PartMetrics
    detail: str = ""
    stage: int | None = None  # the stage a block belongs to


def summary_rows(tr: Trace) -> list[SummaryRow]:
    s, m = tr.structure, trace_metrics(tr)
    rows = [SummaryRow("stem", "stem", s.stem_path, tr.input_shape, s.stem_out_shape, s.stem_params, m.stem)]
    for stage in s.stages:
        detail = f"{len(stage.blocks)} blocks"
        rows.append(
            SummaryRow(
                "stage",
                f"stage {stage.index + 1}",
                stage.path,
                stage.in_shape,
                stage.out_shape,
                stage.num_params,
                m.stages[stage.index],
                detail,
            )
        )
        for i in stage.blocks:
            b = s.blocks[i]
            info = summarize_block(tr, b)
            detail = f"{b.kind.value} {info.in_channels}→{info.flow}" + (" +proj" if info.projection else "")
            rows.append(
                SummaryRow(
                    "block",
                    f"block {i}",
                    b.path,
                    b.in_shape,
                    b.out_shape,
                    b.num_params,
                    m.blocks[i],
                    detail,
                    stage.index,
                )
            )
    head_in = s.blocks[-1].out_shape if s.blocks else None
    rows.append(SummaryRow("head", "head", s.head_path, head_in, tr.output_shape, s.head_params, m.head))
    return rows


def _cells(row: SummaryRow) -> tuple[str, ...]:
    name = f"  {row.name}" if row.part == "block" else row.name
    return (
        name,
        row.path or DASH,
        fmt_shape(row.in_shape),
        fmt_shape(row.out_shape),
        fmt_int(row.params),
        fmt_macs(row.metrics.macs),
        fmt_px(row.metrics.receptive_field, row.metrics.receptive_field_axes),
        fmt_px(row.metrics.stride, row.metrics.stride_axes),
        row.detail,
    )


def _crash_line(tr: Trace) -> str | None:
    if tr.crash is None and tr.repairs:
        r = tr.repairs[0]
        at = f" ({r.source})" if r.source else ""
        return (
            f"forward fails at {r.module_path}{at} as written; traced on a copy with {describe(tr.repairs)}, "
            "so the shapes and MACs are the repaired model's"
        )
    if tr.crash is None:
        return None
    where = tr.crash.module_path or "the top-level forward"
    at = f" ({tr.crash.source})" if tr.crash.source else ""
    return f"forward failed at {where}{at}: {tr.crash.error_type}: {tr.crash.message}"


def _cause_lines(tr: Trace) -> list[str]:
    """The named causes of the crash (and of repaired crashes), as ``compare`` reports them."""
    if tr.crash is None and not tr.repairs:
        return []
    return [f"cause [{c.pattern.value}]: {c.title}; fix: {c.fix}" for c in diagnose(tr)]


def _totals(tr: Trace) -> str:
    macs = fmt_macs(trace_metrics(tr).total_macs) + (
        " up to the crash (partial)" if tr.crash is not None else ""
    )
    return f"total params: {tr.total_params:,} (trainable {tr.trainable_params:,}), MACs: {macs}"


def structure_table(tr: Trace) -> str:
    rows = [_HEADER, *(_cells(r) for r in summary_rows(tr))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_HEADER))]
    right = {4, 5, 6, 7}
    lines = [
        "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))
        ).rstrip()
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(_totals(tr))
    crash = _crash_line(tr)
    if crash:
        lines.append(crash)
    lines += _cause_lines(tr)
    return "\n".join(lines) + "\n"


def _row_dict(row: SummaryRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "path": row.path,
        "in_shape": list(row.in_shape) if row.in_shape is not None else None,
        "out_shape": list(row.out_shape) if row.out_shape is not None else None,
        "params": row.params,
        "macs": row.metrics.macs,
        "receptive_field": row.metrics.receptive_field,
        "stride": row.metrics.stride,
        "detail": row.detail,
    }


def summary_dict(tr: Trace, name: str) -> dict[str, Any]:
    """The shape report as JSON-native data."""
    rows = summary_rows(tr)
    stages: list[dict[str, Any]] = []
    for row in (r for r in rows if r.part == "stage"):
        index = len(stages)
        blocks = [_row_dict(b) for b in rows if b.part == "block" and b.stage == index]
        stages.append({**_row_dict(row), "blocks": blocks})
    crash = tr.crash
    return {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "model": name,
        "input_shape": list(tr.input_shape),
        "totals": {
            "params": tr.total_params,
            "trainable_params": tr.trainable_params,
            "macs": trace_metrics(tr).total_macs,
        },
        "stem": _row_dict(rows[0]),
        "stages": stages,
        "head": _row_dict(rows[-1]),
        "crash": None
        if crash is None
        else {
            "module_path": crash.module_path,
            "module_type": crash.module_type,
            "in_shapes": [list(s) for s in crash.in_shapes],
            "error_type": crash.error_type,
            "message": crash.message,
            "source": str(crash.source) if crash.source else None,
        },
        "causes": [
            {
                "pattern": c.pattern.value,
                "title": c.title,
                "message": c.message,
                "fix": c.fix,
                "source": str(c.source) if c.source else None,
            }
            for c in diagnose(tr)
        ]
        if crash is not None or tr.repairs
        else [],
        "repairs": [
            {
                "module_path": r.module_path,
                "attribute": r.attribute,
                "given": list(r.given),
                "used": list(r.used),
            }
            for r in tr.repairs
        ],
    }


def _title(tr: Trace, name: str, num_classes: int | None) -> str:
    """``name @ 1x3x64x64, 6 classes``: the spellings of compare's header, in every format."""
    found = head_classes(tr)
    if num_classes is None:
        classes = classes_phrase(*classes_from_head(tr))
    elif found is not None and found != num_classes:
        classes = f"{classes_phrase(found, ClassesFrom.HEAD)} (asked for {num_classes})"
    else:
        classes = classes_phrase(num_classes, ClassesFrom.GIVEN)
    return f"{name} @ {fmt_shape(tr.input_shape)}, {classes}"


def _markdown(tr: Trace, title: str) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") or DASH

    lines = [f"# {cell(title)}", ""]
    lines.append("| " + " | ".join(_HEADER) + " |")
    lines.append("|" + "|".join("---:" if i in (4, 5, 6, 7) else "---" for i in range(len(_HEADER))) + "|")
    for row in summary_rows(tr):
        cells = [cell(c.strip()) for c in _cells(row)]
        if row.part != "block":
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    totals = _totals(tr)
    lines += ["", totals[0].upper() + totals[1:] + "."]
    crash = _crash_line(tr)
    if crash:
        lines += ["", f"> {cell(crash)}"]
    lines += [f"- {cell(c)}" for c in _cause_lines(tr)]
    return "\n".join(lines) + "\n"


def _html(tr: Trace, title: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in _HEADER)
    body = []
    for row in summary_rows(tr):
        tds = "".join(
            f'<td class="{"num" if i in (4, 5, 6, 7) else ""}">{escape(c.strip())}</td>'
            for i, c in enumerate(_cells(row))
        )
        body.append(f'<tr class="{row.part}">{tds}</tr>')
    crash = _crash_line(tr)
    title = escape(title)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>body{{font:14px system-ui,sans-serif;margin:24px}}"
        "table{border-collapse:collapse}th,td{padding:4px 10px;border-bottom:1px solid #ddd;"
        "text-align:left}td.num{text-align:right}tr.stage td,tr.stem td,tr.head td{font-weight:600}"
        "tr.block td:first-child{padding-left:24px}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n<table><tr>{head}</tr>{''.join(body)}</table>\n"
        f"<p>{escape(_totals(tr))}</p>\n"
        + (f"<p><strong>{escape(crash)}</strong></p>\n" if crash else "")
        + "".join(f"<p>{escape(c)}</p>\n" for c in _cause_lines(tr))
        + "</body>\n</html>\n"
    )


def _torchinfo_table(model: nn.Module, size: Sequence[int], depth: int) -> str:
    """torchinfo's layer table from a real CPU forward of a copy (the user's model is left as it
    was, and never moved by its own ``to()``); the model's prints go to stderr."""
    import torchinfo

    from resnet_verify.specs.usercode import copy_model, model_output, set_training

    copied = copy_model(model)
    nn.Module.to(copied, "cpu")
    set_training(copied, False)
    try:
        with model_output():
            info = torchinfo.summary(
                copied,
                input_data=torch.zeros((1, *size)),  # input_data: torchinfo then never calls .to()
                depth=depth,
                verbose=0,
                col_names=("output_size", "num_params"),
                mode="eval",
            )
    except Exception as exc:  # torchinfo's own limits (odd outputs, train() overrides) end the table only
        cause = exc.__cause__ or exc
        text = str(cause).strip().splitlines()
        return f"torchinfo could not summarise this model ({type(cause).__name__}{': ' + text[0] if text else ''})"
    return str(info)


def render_summary(
    model: nn.Module,
    name: str,
    size: Sequence[int],
    *,
    depth: int = 3,
    fmt: str = "text",
    output_key: str | None = None,
    num_classes: int | None = None,
) -> tuple[str, bool]:
    """The summary in ``fmt``, and whether the forward ran (False: the summary ends at the crash).

    ``num_classes``: the count the model was asked to build (None: the builder's own); the header
    states the count its head has and whether that was asked for.

    Only the text format appends torchinfo's layer table (it runs a real forward on the CPU).
    """
    if fmt not in SUMMARY_FORMATS:
        raise ValueError(f"unknown summary format {fmt!r}; choose one of: {', '.join(SUMMARY_FORMATS)}")
    # ``size`` is one sample's; a grayscale (or multispectral) model is shown on the channels it takes
    tr = trace_as_it_takes(model, (1, *size), output_key=output_key)
    size = tr.input_shape[1:]
    ran = tr.crash is None and not tr.repairs  # a repaired model does not run as written
    if fmt == "json":
        return json.dumps(summary_dict(tr, name), indent=2, ensure_ascii=False) + "\n", ran
    title = _title(tr, name, num_classes)
    if fmt == "markdown":
        return _markdown(tr, title), ran
    if fmt == "html":
        return _html(tr, title), ran
    out = [title, "", structure_table(tr), ""]
    if ran:
        out.append(_torchinfo_table(model, size, depth))
    return "\n".join(out) + "\n", ran


def render_trace(tr: Trace, name: str, fmt: str = "html", *, num_classes: int | None = None) -> str:
    """The summary of a trace already taken, in ``fmt`` (text: the structure table without
    torchinfo's layer table, which needs the model itself): what a notebook shows for a Trace."""
    if fmt not in SUMMARY_FORMATS:
        raise ValueError(f"unknown summary format {fmt!r}; choose one of: {', '.join(SUMMARY_FORMATS)}")
    if fmt == "json":
        return json.dumps(summary_dict(tr, name), indent=2, ensure_ascii=False) + "\n"
    title = _title(tr, name, num_classes)
    if fmt == "markdown":
        return _markdown(tr, title)
    if fmt == "html":
        return _html(tr, title)
    return f"{title}\n\n{structure_table(tr)}"
