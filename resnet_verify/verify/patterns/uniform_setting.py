"""One setting changed the same way at many places: one cause, one finding, described.

A LeakyReLU slope of 0.01 where the network has 0.1 at all 23 activations, a GELU's approximation,
BatchNorm's eps written at several lines: the same value change on the same kind of layer, from more
than one line of the user's file (one line left to ``repeated``, which names it). A shape-giving
setting (stride, kernel, padding, bias, groups) has its own detectors and consequences, and a
buffer's values are each their own constant, so neither is grouped here. Either direction: the words
say which side has which value.
"""

from __future__ import annotations

from collections import defaultdict

from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.patterns.wording import shorten, where
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern

_NOT_A_SETTING = frozenset(
    {"stride", "kernel_size", "padding", "dilation", "ceil_mode", "output_size", "bias", "groups", "affine",
     "elementwise_affine", "in_features", "out_features", "values", "over", "function"}
)  # fmt: skip
MIN_PLACES = 3


def _layer(ctx: Context, m: Mismatch) -> str:
    op = ctx.candidate.ops[m.candidate_op] if m.candidate_op is not None else None
    if op is not None:
        return str(dict(op.attrs).get("function", op.name))
    return m.op_kind.value.replace("_", " ") if m.op_kind else "layer"


def detect_uniform_setting(ctx: Context) -> list[Finding]:
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, m in enumerate(ctx.mismatches):
        if i in ctx.claimed or m.kind is not MismatchKind.ATTRIBUTE or m.field in _NOT_A_SETTING:
            continue
        groups[(m.op_kind, m.field, repr(m.expected), repr(m.actual))].append(i)
    out: list[Finding] = []
    for idx in groups.values():
        ms = [ctx.mismatches[i] for i in idx]
        lines = list(dict.fromkeys(str(m.source) for m in ms if m.source is not None))
        places = list(dict.fromkeys(where(m) for m in ms))
        if len(idx) < MIN_PLACES or (len(lines) < 2 and len(places) < 2):
            continue  # one line: ``repeated`` says it with the line to change
        out.append(_finding(ctx, tuple(idx), ms, lines, places))
    return out


def _finding(
    ctx: Context, idx: tuple[int, ...], ms: list[Mismatch], lines: list[str], places: list[str]
) -> Finding:
    first, layer = ms[0], _layer(ctx, ms[0])
    blocks = len({m.block.candidate for m in ms if m.block is not None and m.block.candidate is not None})
    spread = ", ".join(p for p in places if p not in ("main path", "shortcut", "after the add"))
    within = f"{blocks} blocks" + (f", {spread}" if spread else "") if blocks else spread
    return Finding(
        pattern=Pattern.DESCRIBED,
        title=f"{layer} {first.field} {first.actual} where the reference has {first.expected} ({len(idx)} places)",
        message=(
            f"{len(idx)} {layer} layers ({within}) have {first.field} {first.actual} where the reference's have "
            f"{first.expected}: one setting changed the same way everywhere, so one cause, not one per place"
            + (f" (set at {shorten(lines, 3)})" if lines else "")
            + "."
        ),
        locations=tuple(dict.fromkeys(m.reference_path or "" for m in ms)),
        mismatches=idx,
        suggestion=f"{at(first.candidate_path, first.source)} and the others: {first.field}={first.expected} "
        "as in the reference",
        source=first.source,
    )


__all__ = ["detect_uniform_setting"]
