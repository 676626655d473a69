"""One line of the candidate's code, the same difference in many blocks: one cause, not N.

A block class is written once and instantiated 16 times, so a defect in its ``forward`` (a ReLU
left out, the add on the wrong side of bn3) shows in every block, each time at the same source line.
Named variants claim what they know first; what is left, grouped by (kind, region, field, op kind,
expected, actual, source line) over two or more blocks, is one finding with the line to change;
groups from one line in the same blocks (a kernel and the padding that follows it) are one finding.
A difference in one block only, or without a source line, stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import SourceLoc
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.op_phrases import extra_op_phrase
from resnet_verify.verify.records import Finding, Mismatch, Pattern, Region

_WHERE = {Region.MAIN: "main path", Region.SHORTCUT: "shortcut", Region.TAIL: "after the add",
          Region.BLOCK: "block"}  # fmt: skip


def _key(m: Mismatch) -> tuple[object, ...] | None:
    if m.block is None or m.source is None or m.cause is not None:
        return None
    return (m.kind, m.region, m.field, m.op_kind, repr(m.expected), repr(m.actual), m.source)


def _what(m: Mismatch, ctx: Context) -> str:
    where = (_WHERE.get(m.region) or m.region.value) if m.region else "block"
    if m.field == "op":
        if m.actual is None:
            return f"{m.expected} missing in the candidate ({where})"
        if m.expected is None:
            what = extra_op_phrase(ctx.candidate, m.candidate_op, f"an extra {m.actual}")
            return f"{what} in the candidate ({where})"
        return f"{m.actual} where the reference has {m.expected} ({where})"
    if m.field == "op_order":
        return str(m.actual)
    kind = m.op_kind.value if m.op_kind else "layer"
    return f"{kind} {m.field} {m.actual} where the reference has {m.expected} ({where})"


def _fix(m: Mismatch, n: int) -> str:
    ref = m.reference_path or "the reference's layer"
    if m.field == "op" and m.actual is None:
        action = f"add the {m.expected} the reference has ({ref})"
    elif m.field == "op" and m.expected is None:
        action = f"remove the extra {m.actual}"
    elif m.field == "op_order":
        action = f"order the ops as the reference's {ref.rsplit('.', 1)[0]}"
    else:
        action = f"make {m.field} {m.expected} as in the reference ({ref})"
    return f"{m.source}: this one line builds all {n} blocks; {action}"


def _block_paths(ctx: Context, ms: Sequence[Mismatch]) -> list[str]:
    """The blocks the mismatches sit in, in order: the reference's name, else the candidate's."""
    rb, cb = ctx.reference.structure.blocks, ctx.candidate.structure.blocks
    pairs = dict.fromkeys((m.block.reference, m.block.candidate) for m in ms if m.block is not None)
    return [rb[r].path if r is not None else cb[c].path if c is not None else "" for r, c in pairs]


def detect_repeated(ctx: Context) -> list[Finding]:
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, m in enumerate(ctx.mismatches):
        key = _key(m) if i not in ctx.claimed else None
        if key is not None:
            groups.setdefault(key, []).append(i)
    # Differences from the same line in the same blocks are one edit (a 3x3 made 5x5 changes the
    # kernel and the padding of one call): one finding that lists them, not one per attribute.
    edits: dict[tuple[SourceLoc | None, tuple[str, ...]], list[list[int]]] = {}
    for idx in groups.values():
        paths = _block_paths(ctx, [ctx.mismatches[i] for i in idx])
        if len(paths) >= 2:
            edits.setdefault((ctx.mismatches[idx[0]].source, tuple(paths)), []).append(idx)
    return [_finding(ctx, parts, list(paths)) for (_, paths), parts in edits.items()]


def _finding(ctx: Context, parts: list[list[int]], paths: list[str]) -> Finding:
    firsts = [ctx.mismatches[idx[0]] for idx in parts]
    first, n = firsts[0], len(paths)
    shown = ", ".join(paths[:4]) + (f" ... {paths[-1]}" if len(paths) > 4 else "")
    what = "; ".join(_what(m, ctx) for m in firsts)
    fix = (
        _fix(first, n)
        if len(firsts) == 1
        else f"{first.source}: this one line builds all {n} blocks; "
        + ("; ".join(_fix(m, n).split("; ", 1)[1] for m in firsts))
    )
    return Finding(
        Pattern.REPEATED, f"One line, the same difference in {n} blocks",
        f"{what}, in {n} blocks ({shown}): every one comes from {first.source}, the block code they "
        "share, so it is one change, not one per block.",
        tuple(paths[:8]), tuple(sorted(i for idx in parts for i in idx)), fix, first.source,
    )  # fmt: skip
