"""The same code, the same difference in many blocks: one cause, not N.

A block class is written once and instantiated 16 times, so a defect in its ``forward`` (a ReLU
left out, the add on the wrong side of bn3) shows in every block, each time at the same source line.
Named variants claim what they know first; what is left, grouped by (kind, region, field, op kind,
expected, actual, source line) over two or more blocks, is one finding with the line to change;
groups from one line in the same blocks (a kernel and the padding that follows it) are one finding.
A model from an installed library (timm) has no line of the user's to point at: there the same
module in each block (``conv3_1x1.conv``, its path inside the block) stands for the shared code.
A difference in one block only stays as it is (``described`` may group it with its neighbours).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from resnet_verify.tracing.records import SourceLoc
from resnet_verify.verify.patterns.context import Context, under
from resnet_verify.verify.patterns.wording import action, shorten, what
from resnet_verify.verify.records import Finding, Mismatch, Pattern

_INDEX = re.compile(r"\.\d+(?=\.|$)")


def _role(ctx: Context, m: Mismatch) -> str | None:
    """``conv3_1x1.conv``: where the mismatch sits inside its block, indices blanked (``convs.#``)."""
    if m.block is None:
        return None
    sides = (
        (ctx.candidate, m.block.candidate, m.candidate_path, "candidate"),
        (ctx.reference, m.block.reference, m.reference_path, "reference"),
    )
    for trace, block, path, side in sides:
        if block is None or path is None:
            continue
        root = trace.structure.blocks[block].path
        if under(path, root):
            inner = path[len(root) :].lstrip(".")
            return f"{side}:{_INDEX.sub('.#', '.' + inner)[1:] if inner else ''}"
    return None


def _key(ctx: Context, m: Mismatch) -> tuple[object, ...] | None:
    if m.block is None or m.cause is not None:
        return None
    site: object = m.source if m.source is not None else _role(ctx, m)
    if site is None:
        return None
    return (m.kind, m.region, m.field, m.op_kind, repr(m.expected), repr(m.actual), site)


def _block_paths(ctx: Context, ms: Sequence[Mismatch]) -> list[str]:
    """The blocks the mismatches sit in, in order: the reference's name, else the candidate's."""
    rb, cb = ctx.reference.structure.blocks, ctx.candidate.structure.blocks
    pairs = dict.fromkeys((m.block.reference, m.block.candidate) for m in ms if m.block is not None)
    return [rb[r].path if r is not None else cb[c].path if c is not None else "" for r, c in pairs]


def detect_repeated(ctx: Context) -> list[Finding]:
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, m in enumerate(ctx.mismatches):
        key = _key(ctx, m) if i not in ctx.claimed else None
        if key is not None:
            groups.setdefault(key, []).append(i)
    # Differences from the same line in the same blocks are one edit (a 3x3 made 5x5 changes the
    # kernel and the padding of one call): one finding that lists them, not one per attribute.
    # Without lines (library code), differences at several places of the same blocks are taken as
    # one way of building those blocks (a CSP stage's transition: its split, cat, 1x1 conv and BN).
    edits: dict[tuple[object, tuple[str, ...]], list[list[int]]] = {}
    for key, idx in groups.items():
        paths = _block_paths(ctx, [ctx.mismatches[i] for i in idx])
        if len(paths) >= 2:
            site = key[-1] if isinstance(key[-1], SourceLoc) else None
            edits.setdefault((site, tuple(paths)), []).append(idx)
    return [_finding(ctx, parts, list(paths)) for (_, paths), parts in edits.items()]


def _origin(ctx: Context, firsts: list[Mismatch], n: int) -> tuple[str, str]:
    """Where the shared cause is, for the message and for the fix."""
    first = firsts[0]
    if first.source is not None:
        return (
            f"every one comes from {first.source}, the block code they share",
            f"{first.source}: this one line builds all {n} blocks",
        )
    inners = dict.fromkeys((_role(ctx, m) or ":").split(":", 1)[1] for m in firsts)
    inner = ", ".join(f"`{i}`" for i in inners if i.strip("#."))
    place = f" ({inner} in each)" if inner else ""
    return (
        f"every one sits at the same place of its block{place}",
        f"the code that builds all {n} blocks{place}",
    )


def _finding(ctx: Context, parts: list[list[int]], paths: list[str]) -> Finding:
    firsts = [ctx.mismatches[idx[0]] for idx in parts]
    first, n = firsts[0], len(paths)
    origin, shared = _origin(ctx, firsts, n)
    return Finding(
        pattern=Pattern.REPEATED,
        title=(
            f"One line, the same difference in {n} blocks"
            if first.source is not None
            else f"The same difference{'s' if len(firsts) > 1 else ''} in {n} blocks"
        ),
        message=f"{'; '.join(what(ctx.mismatches[idx[0]], ctx, [ctx.mismatches[i] for i in idx]) for idx in parts)}, "
        f"in {n} blocks ({shorten(paths)}): {origin}, "
        "so it is one change, not one per block.",
        locations=tuple(paths[:8]),
        mismatches=tuple(sorted(i for idx in parts for i in idx)),
        suggestion=f"{shared}; " + "; ".join(action(m) for m in firsts),
        source=first.source,
    )
