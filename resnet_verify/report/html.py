"""One self-contained HTML page: verdict, stage table, findings, mismatches and a side-by-side
diagram of both networks (stem, stages of blocks, head). Inline CSS only; no scripts, no URLs.
Everything that comes from a user's model goes through :func:`html.escape`."""

from __future__ import annotations

from html import escape

from resnet_verify.report._common import (
    DASH,
    explained_by,
    fmt_indices,
    fmt_int,
    fmt_macs,
    fmt_message,
    fmt_mismatch_source,
    fmt_px,
    fmt_shape,
    fmt_source,
    fmt_value,
    verdict,
)
from resnet_verify.report._diagram import diagram
from resnet_verify.tracing.metrics import total_macs
from resnet_verify.verify.classes import classes_phrase
from resnet_verify.verify.records import Comparison

_CSS = """
*{box-sizing:border-box}
body{margin:0;padding:28px 36px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:1320px;margin:0 auto}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;
font-size:12.5px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 12px}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:18px 20px;
margin:0 0 18px}
.top{display:flex;align-items:center;justify-content:space-between;gap:20px}
.sub{color:#59636e;margin:0}
.verdict{font-weight:700;font-size:18px;padding:8px 16px;border-radius:999px;white-space:nowrap}
.verdict.ok{background:#dafbe1;color:#116329}.verdict.bad{background:#ffebe9;color:#a40e26}
.crash{border-color:#cf222e;background:#fff5f5}.crash h2{color:#a40e26}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#59636e;
background:#f6f8fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td{background:#fff5f5}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600}
.pill.ok{background:#dafbe1;color:#116329}.pill.bad{background:#ffebe9;color:#a40e26}
.pill.kind{background:#eef1f5;color:#32383f}
.finding{border-left:4px solid #d4a72c;background:#fffbea;padding:10px 14px;margin:0 0 10px;
border-radius:0 6px 6px 0}
.finding h3{margin:0 0 4px;font-size:15px}.finding p{margin:4px 0}.muted{color:#59636e}
.diagram{display:grid;grid-template-columns:96px 1fr 1fr;gap:10px 18px;align-items:stretch}
.diagram .colhead{font-weight:700;font-size:15px;padding-bottom:4px;border-bottom:2px solid
#d0d7de}
.rowlabel{font-weight:600;padding-top:6px}.rowlabel.bad{color:#a40e26}
.rowlabel small{display:block;font-weight:400;color:#59636e}
.cell{display:flex;flex-wrap:wrap;gap:8px;align-content:flex-start;padding:6px;
border-radius:8px;background:#f6f8fa}
.box{width:132px;min-height:66px;padding:6px 8px;border:1.5px solid #8c959f;border-radius:6px;
background:#fff;font-size:12px;overflow:hidden}
.box .p{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;color:#59636e;
white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.box .f{font-weight:700;font-size:13px;margin:2px 0;white-space:nowrap}
.box.wide{width:auto;min-width:260px}
.box.bad{border:2px solid #cf222e;background:#fff5f5}
.box.ghost{border:1.5px dashed #afb8c1;background:transparent;color:#8c959f}
.box.ghost .f{font-weight:600}
.box.ghost.crashed{border:2px dashed #cf222e;color:#a40e26;background:#fff5f5}
.tag{display:inline-block;font-size:10.5px;padding:0 5px;margin-right:3px;border-radius:4px;
background:#ddf4ff;color:#0550ae}
.tag.down{background:#fbefff;color:#6e40c9}.tag.plain{background:#fff1e5;color:#953800}
.tag.bad{background:#ffebe9;color:#a40e26}
.legend{display:flex;gap:14px;align-items:center;margin:12px 0 0;color:#59636e;font-size:12px}
.legend .box{width:auto;min-height:0;padding:2px 8px}
footer{color:#8c959f;font-size:12px;text-align:center}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _code(value: str | None) -> str:
    return DASH if value is None or value == "" else f"<code>{_e(value)}</code>"


def _shape(shape: tuple[int, ...] | None) -> str:
    return DASH if shape is None else _code(fmt_shape(shape))


def _value(value: object) -> str:
    return DASH if value is None else _code(fmt_value(value))


def _pill(ok: bool, good: str = "ok", bad: str = "differs") -> str:
    return f'<span class="pill {"ok" if ok else "bad"}">{_e(good if ok else bad)}</span>'


def _header(c: Comparison) -> str:
    ref_p, cand_p = c.reference.total_params, c.candidate.total_params
    delta = cand_p - ref_p
    return (
        '<section class="top"><div>'
        f"<h1>resnet-verify: {_e(c.candidate_name)} vs {_e(c.reference_name)}</h1>"
        f'<p class="sub">input <code>{_e(fmt_shape(c.input_shape))}</code> · '
        f"{_e(classes_phrase(c.num_classes, c.classes_from))} · parameters: reference {fmt_int(ref_p)}, "
        f"candidate {fmt_int(cand_p)}{f' ({delta:+,})' if delta else ' (equal)'} · MACs: reference "
        f"{fmt_macs(total_macs(c.reference))}, candidate {fmt_macs(total_macs(c.candidate))}"
        f"{' up to the crash (partial)' if c.candidate.crash is not None else ''}</p></div>"
        f'<div class="verdict {"ok" if c.ok else "bad"}">'
        f"{'✓ MATCH' if c.ok else '✗ ' + _e(verdict(c))}</div></section>"
    )


def _crash(c: Comparison) -> str:
    k = c.candidate.crash
    if k is None:
        return ""
    shapes = ", ".join(_code(fmt_shape(s)) for s in k.in_shapes) or DASH
    op = f" ({_code(k.op_name)})" if k.op_name else ""
    source = k.source
    op += f" at {_code(fmt_source(source))}" if source is not None else ""
    return (
        f'<section class="crash"><h2>The candidate crashed</h2><p>Forward failed in '
        f"{_code(k.module_path or '<root>')}{op} on input {shapes} after {k.ops_before} ops."
        f"</p><p><strong>{_e(k.error_type)}</strong>: {'<br>'.join(_e(ln) for ln in k.message.splitlines())}</p></section>"
    )


def _stage_table(c: Comparison) -> str:
    if not c.stages:
        return ""
    head = (
        "<tr><th>Stage</th><th>Reference path</th><th>Candidate path</th><th>Ref output</th>"
        '<th>Cand output</th><th class="num">Ref params</th><th class="num">Cand params</th>'
        '<th class="num">Blocks</th><th>Status</th></tr>'
    )
    rows = []
    for r in c.stages:
        blocks = "" if r.name in ("stem", "head") else f"{r.candidate_blocks} / {r.reference_blocks}"
        rows.append(
            f'<tr class="{"ok" if r.ok else "bad"}"><td><strong>{_e(r.name)}</strong></td>'
            f"<td>{_code(r.reference_path)}</td><td>{_code(r.candidate_path)}</td>"
            f"<td>{_shape(r.reference_shape)}</td><td>{_shape(r.candidate_shape)}</td>"
            f'<td class="num">{fmt_int(r.reference_params)}</td>'
            f'<td class="num">{fmt_int(r.candidate_params)}</td><td class="num">{blocks}</td>'
            f"<td>{_pill(r.ok)}</td></tr>"
        )
    return f"<section><h2>Stages</h2><table>{head}{''.join(rows)}</table></section>"


def _cost_table(c: Comparison) -> str:
    if not c.stages:
        return ""
    names = ("Ref MACs", "Cand MACs", "Ref RF", "Cand RF", "Ref stride", "Cand stride")
    head = "<tr><th>Stage</th>" + "".join(f'<th class="num">{n}</th>' for n in names) + "</tr>"
    rows = []
    for r in c.stages:
        cells = (
            fmt_macs(r.reference_macs),
            fmt_macs(r.candidate_macs),
            fmt_px(r.reference_receptive_field, r.reference_receptive_field_axes),
            fmt_px(r.candidate_receptive_field, r.candidate_receptive_field_axes),
            fmt_px(r.reference_stride, r.reference_stride_axes),
            fmt_px(r.candidate_stride, r.candidate_stride_axes),
        )
        tds = "".join(f'<td class="num">{_e(v)}</td>' for v in cells)
        rows.append(f"<tr><td><strong>{_e(r.name)}</strong></td>{tds}</tr>")
    return (
        '<section><h2>Cost and view</h2><p class="muted">Receptive field and stride in input pixels; '
        f"the receptive field is the largest over all paths.</p><table>{head}{''.join(rows)}</table></section>"
    )


def _findings(c: Comparison) -> str:
    if not c.findings:
        return ""
    items = []
    for f in c.findings:
        extra = []
        if f.suggestion:
            extra.append(f"<p><strong>Suggestion:</strong> {_e(f.suggestion)}</p>")
        if f.locations:
            extra.append(
                '<p class="muted">Locations: ' + ", ".join(_code(loc) for loc in f.locations) + "</p>"
            )
        if f.source is not None:
            extra.append(f'<p class="muted">Source: {_code(fmt_source(f.source))}</p>')
        if f.mismatches:
            extra.append(f'<p class="muted">Explains mismatches {fmt_indices(f.mismatches)}</p>')
        items.append(
            f'<div class="finding"><h3>{_e(f.title)} <span class="pill kind">'
            f"{_e(f.pattern.value)}</span></h3><p>{_e(f.message)}</p>"
            f"{''.join(extra)}</div>"
        )
    return f"<section><h2>Findings ({len(c.findings)})</h2>{''.join(items)}</section>"


def _mismatch_table(c: Comparison) -> str:
    if not c.mismatches:
        return ""
    head = (
        "<tr><th>#</th><th>Kind</th><th>Reference</th><th>Candidate</th><th>Field</th>"
        "<th>Expected</th><th>Actual</th><th>Message</th><th>Source</th><th>Explained by</th></tr>"
    )
    rows = [
        f'<tr><td class="num">{i + 1}</td><td><span class="pill kind">{_e(m.kind.value)}</span>'
        f"</td><td>{_code(m.reference_path)}</td><td>{_code(m.candidate_path)}</td>"
        f"<td>{_code(m.field)}</td><td>{_value(m.expected)}</td>"
        f"<td>{_value(m.actual)}</td><td>{_e(fmt_message(m))}</td>"
        f"<td>{_code(fmt_mismatch_source(m)) if m.source is not None else DASH}</td>"
        f"<td>{_e(explained_by(c, i))}</td></tr>"
        for i, m in enumerate(c.mismatches)
    ]
    return f"<section><h2>Mismatches ({len(c.mismatches)})</h2><table>{head}{''.join(rows)}</table></section>"


def _notes(c: Comparison) -> str:
    if not c.notes:
        return ""
    items = "".join(f"<li>{_e(n)}</li>" for n in c.notes)
    return f"<section><h2>Notes</h2><ul>{items}</ul></section>"


def render_html(comparison: Comparison) -> str:
    c = comparison
    title = f"resnet-verify: {c.candidate_name} vs {c.reference_name} ({verdict(c)})"
    body = (
        _header(c)
        + _crash(c)
        + _findings(c)
        + _stage_table(c)
        + _cost_table(c)
        + diagram(c)
        + _mismatch_table(c)
        + _notes(c)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n<footer>generated by resnet-verify</footer>\n</main>\n</body>\n</html>\n"
    )
