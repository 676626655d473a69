"""Layers that write their own state in a training forward on one side only: a spectral norm whose
power iteration was left out, a moving average never updated (tracing/state_updates.py).

Eval outputs, shapes and parameters agree (the state is read the same way in eval), so nothing else in
the comparison sees it; the network training sees differs: a spectral norm whose ``u`` and ``v`` never
move divides by a stale estimate of the largest singular value. One finding per direction, whichever
side holds the update: "the candidate's layers write state the reference's keep fixed" or the other
way round, with the layers, the buffers and the class that writes them. Claims only the regularizer
mismatches of ``STATE_UPDATE`` records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from resnet_verify.tracing.records import Regularizer, RegularizerKind
from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.patterns.wording import shorten
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern


@dataclass(frozen=True, slots=True)
class _Entry:
    index: int
    mismatch: Mismatch
    record: Regularizer
    candidate: bool  # the candidate holds the update the reference lacks


def _entries(ctx: Context, kind: RegularizerKind) -> list[_Entry]:
    out = []
    for i, m in enumerate(ctx.mismatches):
        if m.kind is not MismatchKind.REGULARIZER or i in ctx.claimed or m.cause is not None:
            continue  # (a layer gone on one side takes its state with it: its rule claims both)
        for trace, index, candidate in (
            (ctx.candidate, m.candidate_regularizer, True),
            (ctx.reference, m.reference_regularizer, False),
        ):
            if index is not None and trace.regularizers[index].kind is kind:
                out.append(_Entry(i, m, trace.regularizers[index], candidate))
                break
    return out


def _branches(ctx: Context, entries: Sequence[_Entry]) -> list[_Entry]:
    """The training-mode branches one-sided at the same layers as the updates: the same cause (a norm
    written by hand computes batch statistics and writes its running ones in one branch)."""
    layers = {(e.candidate, e.record.path) for e in entries}
    return [
        e
        for e in _entries(ctx, RegularizerKind.TRAINING_ONLY)
        if (e.candidate, e.record.path) in layers and e.mismatch.field == "regularizer"
    ]


def _buffers(records: Sequence[Regularizer]) -> str:
    names = list(dict.fromkeys(n for r in records for n in r.calls))
    return ", ".join(names)


def _writers(records: Sequence[Regularizer]) -> str:
    return " / ".join(dict.fromkeys(r.spelling for r in records))


def _layers(records: Sequence[Regularizer]) -> str:
    paths = [r.path or "the model" for r in records]
    return f"{len(paths)} layers ({shorten(paths)})" if len(paths) > 1 else paths[0]


def _hint(records: Sequence[Regularizer]) -> str:
    if any(r.spelling == "spectral_norm" for r in records):
        return " (one power-iteration step under torch.no_grad() when self.training)"
    return ""


def _finding(ctx: Context, entries: Sequence[_Entry], branches: Sequence[_Entry]) -> Finding:
    records = [e.record for e in entries]
    first = entries[0]
    writer, buffers, layers = _writers(records), _buffers(records), _layers(records)
    calls = list(dict.fromkeys(c for e in branches for c in e.record.calls))
    computes = f"computes otherwise in training ({shorten(calls)}) and " if calls else ""
    why = (
        " Eval mode reads that state the same way, so shapes, parameters and eval outputs match; the "
        "network training sees does not (a stale estimate is never refreshed, or refreshed on one side only)."
    )
    if first.candidate:
        site = at(first.record.path, first.record.source or first.mismatch.source)
        title = "Layer state updated in training only in the candidate"
        what = (
            f"In {layers}, the candidate's {writer} {computes}writes {buffers} in every training forward; "
            f"the reference's layers keep theirs fixed."
        )
        fix = f"{site}: stop writing {buffers} in training, as the reference does"
    else:
        path = first.record.path if ctx.site(first.record.path) is not None else first.mismatch.candidate_path
        site = at(path, ctx.site(path) or first.mismatch.source)
        title = "Layer state the reference updates in training is fixed in the candidate"
        what = (
            f"In {layers}, the reference's {writer} {computes}writes {buffers} in every training forward; "
            f"the candidate's layers never write theirs."
        )
        fix = f"{site}: update {buffers} in each training forward as the reference's {writer} does{_hint(records)}"
    return Finding(
        pattern=Pattern.DESCRIBED,
        title=title,
        message=what + why,
        locations=tuple(sorted({e.mismatch.reference_path or e.record.path for e in entries})),
        mismatches=tuple(sorted(e.index for e in (*entries, *branches))),
        suggestion=fix,
        source=first.record.source if first.candidate else ctx.site(first.record.path),
    )


def detect_state_updates(ctx: Context) -> list[Finding]:
    groups: dict[bool, list[_Entry]] = {}
    for e in _entries(ctx, RegularizerKind.STATE_UPDATE):
        groups.setdefault(e.candidate, []).append(e)
    return [_finding(ctx, entries, _branches(ctx, entries)) for entries in groups.values()]
