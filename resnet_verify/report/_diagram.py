"""The side-by-side architecture diagram of the HTML report (a CSS grid; no SVG, no script).

Rows are stem, one row per stage, head; columns are the reference and the candidate. Each stage row
shows one box per :class:`BlockPair`, so both sides have the same boxes in the same places: a block
without a counterpart appears as a dashed ghost box on the other side. After a crash, the
candidate's ghosts read "crashed" (the first) and "not reached" (the rest)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from resnet_verify.report._common import (
    DASH,
    block_pairs,
    describe_ops,
    fmt_indices,
    fmt_int,
    fmt_shape,
    plural,
    stage_rows,
    summarize_block,
    under,
)
from resnet_verify.tracing.records import Block, BlockKind, Trace
from resnet_verify.verify.records import BlockPair, Comparison, StageRow

LEGEND = (
    '<div class="legend"><span class="box">block</span>'
    '<span class="box bad">has a mismatch</span>'
    '<span class="box ghost">missing / extra</span>'
    '<span><span class="tag down">↓2</span>downsamples</span>'
    '<span><span class="tag">+proj</span>projection shortcut</span>'
    "<span>64→64→256: out channels of the main-path convolutions</span></div>"
)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _issue_title(c: Comparison, issues: list[int]) -> str:
    lines = [f"#{i + 1} {c.mismatches[i].message}" for i in issues[:6]]
    if len(issues) > 6:
        lines.append(f"… and {len(issues) - 6} more")
    return "\n".join(lines)


def _block_box(c: Comparison, trace: Trace, block: Block, issues: list[int]) -> str:
    s = summarize_block(trace, block)
    tags = []
    if s.reduction > 1:
        tags.append(f'<span class="tag down">↓{s.reduction}</span>')
    if s.projection:
        tags.append('<span class="tag">+proj</span>')
    if block.kind is BlockKind.PLAIN:
        tags.append('<span class="tag plain">no add</span>')
    if issues:
        text = fmt_indices(issues) if len(issues) <= 2 else f"{len(issues)} issues"
        tags.append(f'<span class="tag bad">{text}</span>')
    title = (
        f"{block.path or '(unnamed)'}: {fmt_shape(block.in_shape)} → "
        f"{fmt_shape(block.out_shape)}, {fmt_int(s.num_params)} params"
    )
    if issues:
        title += "\n" + _issue_title(c, issues)
    return (
        f'<div class="box{" bad" if issues else ""}" title="{_e(title)}">'
        f'<div class="p">{_e(block.path or "(unnamed)")}</div><div class="f">{_e(s.flow)}</div>'
        f"<div>{''.join(tags) or '&nbsp;'}</div></div>"
    )


def _ghost(label: str, hint: str, extra: str = "", title: str = "") -> str:
    attr = f' title="{_e(title)}"' if title else ""
    return (
        f'<div class="box ghost{extra}"{attr}><div class="p">{_e(hint) or "&nbsp;"}</div>'
        f'<div class="f">{_e(label)}</div><div>&nbsp;</div></div>'
    )


def _end_box(
    trace: Trace, ops: tuple[int, ...], path: str, shape: tuple[int, ...] | None, params: int, bad: bool
) -> str:
    labels = describe_ops(trace, ops)
    return (
        f'<div class="cell"><div class="box wide{" bad" if bad else ""}">'
        f'<div class="p">{_e(path or DASH)}</div>'
        f'<div class="f">{_e(" · ".join(labels) or DASH)}</div>'
        f'<div class="muted">{_e(fmt_shape(shape))} · {fmt_int(params)} params</div>'
        "</div></div>"
    )


def _get(blocks: tuple[Block, ...], index: int | None) -> Block | None:
    return blocks[index] if index is not None and 0 <= index < len(blocks) else None


def _label(name: str, row: StageRow | None, note: str = "") -> str:
    bad = row is not None and not row.ok
    sub = f"<small>{_e(note)}</small>" if note else ""
    return f'<div class="rowlabel{" bad" if bad else ""}">{_e(name)}{sub}</div>'


@dataclass(frozen=True, slots=True)
class _Layout:
    """What every row of the diagram needs: the alignment, the mismatches per block pair, the crash."""

    c: Comparison
    pairs: tuple[BlockPair, ...]
    issues: tuple[tuple[int, ...], ...]  # mismatch indices per block pair
    crash_at: int  # the pair index where the candidate crashed (len(pairs) when it did not)


def _layout(c: Comparison) -> _Layout:
    rblocks, cblocks = c.reference.structure.blocks, c.candidate.structure.blocks
    pairs = block_pairs(c)
    issues = tuple(
        tuple(
            i
            for i, m in enumerate(c.mismatches)
            if ((rb := _get(rblocks, p.reference)) is not None and under(m.reference_path, rb.path))
            or ((cb := _get(cblocks, p.candidate)) is not None and under(m.candidate_path, cb.path))
        )
        for p in pairs
    )
    present = [k for k, p in enumerate(pairs) if _get(cblocks, p.candidate) is not None]
    crashed = c.candidate.crash is not None
    crash_at = (present[-1] + 1 if present else 0) if crashed else len(pairs)
    return _Layout(c, pairs, issues, crash_at)


def _box(lay: _Layout, k: int, side: str) -> str:
    c, p = lay.c, lay.pairs[k]
    trace = c.reference if side == "reference" else c.candidate
    block = _get(trace.structure.blocks, p.reference if side == "reference" else p.candidate)
    crash = c.candidate.crash
    if block is not None:
        return _block_box(c, trace, block, list(lay.issues[k]))
    if side == "reference":
        return _ghost("extra block", "no counterpart")
    if crash is not None and k == lay.crash_at:
        return _ghost("✗ crashed", crash.module_path, " crashed", f"{crash.error_type}: {crash.message}")
    if crash is not None and k > lay.crash_at:
        return _ghost("not reached", "")
    other = _get(c.reference.structure.blocks, p.reference)
    return _ghost("missing", other.path if other else "")


def _stages(lay: _Layout) -> list[str]:
    srows = stage_rows(lay.c)
    out = []
    for i in range(max([p.stage + 1 for p in lay.pairs] + [len(srows)])):
        row = srows[i] if i < len(srows) else None
        mine = [k for k, p in enumerate(lay.pairs) if p.stage == i]
        out.append(_label(row.name if row else f"stage {i + 1}", row, plural(len(mine), "block")))
        for side in ("reference", "candidate"):
            out.append(f'<div class="cell">{"".join(_box(lay, k, side) for k in mine)}</div>')
    return out


def _end(trace: Trace, head: bool, bad: bool) -> str:
    st = trace.structure
    if head:
        return _end_box(trace, st.head, st.head_path, trace.output_shape, st.head_params, bad)
    return _end_box(trace, st.stem, st.stem_path, st.stem_out_shape, st.stem_params, bad)


def diagram(c: Comparison) -> str:
    ref, cand = c.reference, c.candidate
    rows_by_name = {r.name: r for r in c.stages}
    out = [
        '<div class="diagram"><div></div>',
        f'<div class="colhead">Reference · {_e(c.reference_name)}</div>',
        f'<div class="colhead">Candidate · {_e(c.candidate_name)}</div>',
    ]
    stem, head = rows_by_name.get("stem"), rows_by_name.get("head")
    stem_bad, head_bad = stem is not None and not stem.ok, head is not None and not head.ok
    out += [_label("stem", stem), _end(ref, False, stem_bad), _end(cand, False, stem_bad)]
    out += _stages(_layout(c))
    out += [_label("head", head), _end(ref, True, head_bad)]
    if cand.crash is not None and not cand.structure.head:
        out.append(f'<div class="cell">{_ghost("not reached", "head", " wide")}</div>')
    else:
        out.append(_end(cand, True, head_bad))
    out.append("</div>")
    return f"<section><h2>Architecture</h2>{''.join(out)}{LEGEND}</section>"
