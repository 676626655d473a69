"""Several differences in one unit that no named variant explains: one description, not a list.

A block written another way (a CSP stage's split and transition, a Caffe pool, an attention-pool
head) leaves several mismatches in one place that no detector names. Shown one by one they read as
many causes; they are one unit built differently, so they become one finding that says what differs
there, in the same words the other describing detectors use (``wording.py``), and what to change.
The unit is one aligned block, or the stem, the head, or the model as a whole. A unit with a single
difference keeps it as it is (its own message already says what and where), and a guessed name is
never given: the finding's pattern says "described", not which variant it might be.
"""

from __future__ import annotations

from collections import Counter

from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.wording import action, what
from resnet_verify.verify.records import BlockPair, Finding, Mismatch, MismatchKind, Pattern, Region

_SHOWN = 6  # differences spelled out in the message; the rest are counted (``--verbose`` lists all)
_FIXES = 3


def _unit(m: Mismatch) -> tuple[str, BlockPair | None]:
    if m.block is not None and m.region not in (Region.STEM, Region.HEAD, Region.MODEL):
        return "block", m.block
    return (m.region.value if m.region in (Region.STEM, Region.HEAD) else "model"), None


def _name(ctx: Context, kind: str, pair: BlockPair | None) -> str:
    if pair is None:
        return {"stem": "the stem", "head": "the head"}.get(kind, "the model as a whole")
    rb, cb = ctx.reference.structure.blocks, ctx.candidate.structure.blocks
    # a block with no module of its own (a functional forward) goes by its index, as the diff says it
    if pair.reference is not None:
        return f"block {rb[pair.reference].path or pair.reference}"
    return f"block {cb[pair.candidate].path or pair.candidate}" if pair.candidate is not None else "a block"


def detect_described(ctx: Context) -> list[Finding]:
    loose = [i for i in range(len(ctx.mismatches)) if i not in ctx.claimed]
    units: dict[tuple[str, BlockPair | None], list[int]] = {}
    for i in loose:
        units.setdefault(_unit(ctx.mismatches[i]), []).append(i)
    left = set(loose)
    findings = []
    for (kind, pair), idx in units.items():
        roots = [i for i in idx if ctx.mismatches[i].cause not in left]
        if len(roots) >= 2:
            findings.append(_finding(ctx, _name(ctx, kind, pair), roots, idx))
    return findings


def _finding(ctx: Context, unit: str, roots: list[int], idx: list[int]) -> Finding:
    ms = [ctx.mismatches[i] for i in roots]
    counts = Counter(what(m, ctx) for m in ms)
    phrases = [p if k == 1 else f"{p} (x{k})" for p, k in counts.items()]
    more = len(phrases) - _SHOWN
    listed = "; ".join(phrases[:_SHOWN]) + (f"; and {more} more" if more > 0 else "")
    # a shape follows from the layers around it: what to change is said for those, not for it
    acts = [m for m in ms if m.kind is not MismatchKind.SHAPE] or ms
    fixes = list(dict.fromkeys(action(m) for m in acts))
    rest = len(fixes) - _FIXES
    fix = "; ".join(fixes[:_FIXES]) + (
        f"; and {rest} more (--verbose lists every mismatch)" if rest > 0 else ""
    )
    source = next((m.source for m in ms if m.source is not None), None)
    where = ms[0].reference_path if ms[0].reference_path else ms[0].candidate_path
    return Finding(
        pattern=Pattern.DESCRIBED,
        title=f"{unit[0].upper()}{unit[1:]} is built differently ({len(roots)} differences, no named variant)",
        message=(
            f"In {unit}, the candidate differs from the reference in ways no named variant explains: "
            f"{listed}. They sit in one place, so they are shown as one change to review rather than "
            f"{len(roots)} separate causes."
        ),
        locations=(where,) if where else (),
        mismatches=tuple(sorted(idx)),
        suggestion=f"{unit}: {fix}",
        source=source,
    )
