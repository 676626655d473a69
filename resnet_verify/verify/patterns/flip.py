"""Either direction: a variant the *reference* holds is named as surely as one the candidate holds.

Users hold the variant on either side: the Keras or Caffe original they ported from is the
reference, or yesterday's version is. Detectors are written candidate-side ("the candidate's convs
carry a bias"); the registry runs each one on the swapped comparison too (:func:`flipped`), and a
finding it makes there is turned back (:func:`unflipped`): it claims the same mismatches (the list is
the same, each seen from the other side), says that the reference holds the variant, and points at
the candidate's line for it. Its fix, worked out for the other direction, would edit the reference:
the fix is rebuilt from the claimed mismatches instead (set eps=..., add the reference's ...).
"""

from __future__ import annotations

import re
from dataclasses import replace

from resnet_verify.tracing.records import SourceLoc, Trace
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import BlockPair, Finding, Mismatch, MismatchKind, Pattern

_SWAP_KIND = {MismatchKind.MISSING: MismatchKind.EXTRA, MismatchKind.EXTRA: MismatchKind.MISSING}
_SIDES = re.compile(r"\b(candidate|reference|Candidate|Reference)\b")
_OTHER = {
    "candidate": "reference",
    "reference": "candidate",
    "Candidate": "Reference",
    "Reference": "Candidate",
}


def _reference_source(ref: Trace, m: Mismatch) -> SourceLoc | None:
    """What the diff would have pointed at had the reference been the candidate."""
    if m.reference_op is not None and ref.ops[m.reference_op].source is not None:
        return ref.ops[m.reference_op].source
    return next((c.source for c in ref.modules if c.path == m.reference_path and c.source), None)


def _flip_pair(p: BlockPair | None) -> BlockPair | None:
    return None if p is None else BlockPair(p.candidate, p.reference, p.stage)


def _flip_mismatch(ref: Trace, m: Mismatch) -> Mismatch:
    return replace(
        m,
        kind=_SWAP_KIND.get(m.kind, m.kind),
        reference_path=m.candidate_path,
        candidate_path=m.reference_path,
        # a repair's values are (traced, written) on whichever side: nothing to swap
        expected=m.expected if m.kind is MismatchKind.REPAIR else m.actual,
        actual=m.actual if m.kind is MismatchKind.REPAIR else m.expected,
        source=_reference_source(ref, m),
        block=_flip_pair(m.block),
        reference_op=m.candidate_op,
        candidate_op=m.reference_op,
        reference_regularizer=m.candidate_regularizer,
        candidate_regularizer=m.reference_regularizer,
        layer_source=None,
    )


def flipped(ctx: Context) -> Context:
    """The same comparison seen from the other side: reference and candidate swap places."""
    return Context(
        ctx.candidate,
        ctx.reference,
        tuple(p for p in (_flip_pair(q) for q in ctx.pairs) if p is not None),
        tuple(_flip_mismatch(ctx.reference, m) for m in ctx.mismatches),
        ctx.claimed,
    )


def _swap_sides(text: str) -> str:
    return _SIDES.sub(lambda m: _OTHER[m.group(1)], text)


def _value(v: object) -> str:
    return str(v[0]) if isinstance(v, tuple) and v and len(set(v)) == 1 else str(v)


def _towards_reference(ms: list[Mismatch]) -> str:
    """What to change in the candidate, read from the mismatches themselves (expected = reference)."""
    settings: dict[str, str] = {}
    adds: dict[str, None] = {}
    removes: dict[str, None] = {}
    for m in ms:
        if m.kind is MismatchKind.ATTRIBUTE and m.field:
            settings.setdefault(m.field, _value(m.expected))
        elif m.actual is None and m.expected is not None and m.field in ("op", "block"):
            adds[str(m.expected)] = None
        elif m.expected is None and m.actual is not None and m.field in ("op", "block"):
            removes[str(m.actual)] = None
    parts = []
    if settings:
        parts.append("set " + ", ".join(f"{k}={v}" for k, v in list(settings.items())[:6]))
    if adds:
        parts.append("add the reference's " + ", ".join(list(adds)[:4]))
    if removes:
        parts.append("remove the " + ", ".join(list(removes)[:4]))
    return "; ".join(parts) or "build those layers as the reference does"


_DESCRIPTIONS = frozenset({Pattern.REPEATED, Pattern.DESCRIBED})


def unflipped(ctx: Context, finding: Finding) -> Finding:
    """A finding made on :func:`flipped` ``ctx``, told from the candidate's side: its fix is rebuilt
    from the claimed mismatches (the other direction's fix would edit the reference)."""
    claimed = [ctx.mismatches[i] for i in finding.mismatches]
    here = next((m.source for m in claimed if m.source is not None), None)
    where = f"{here}: " if here is not None else ""
    if claimed and all(m.kind is MismatchKind.REPAIR for m in claimed):
        # A crash of the reference as written: the fix is in the reference's file, as worked out.
        return replace(finding, title=f"{finding.title} (in the reference)", source=finding.source)
    # a description names no variant: only its sides are told the other way round
    lead = (
        ""
        if finding.pattern in _DESCRIPTIONS
        else "The reference holds this variant, the candidate does not. "
    )
    return replace(
        finding,
        title=f"{finding.title} (in the reference)",
        message=f"{lead}{_swap_sides(finding.message)}",
        suggestion=f"{where}to match the reference, {_towards_reference(claimed)}",
        source=here,
    )


__all__ = ["flipped", "unflipped"]
