"""Train-mode regularizers one side has and the other lacks: dropout before the classifier, stochastic
depth (timm's ``drop_path_rate``, torchvision's ``StochasticDepth``), DropBlock, channel dropout.

All of them are the identity in eval mode, so shapes, parameters and eval outputs match and nothing
else in the comparison can see them; what differs is the network training sees: a transfer-learning
head with ``nn.Dropout(0.5)`` trains a different classifier than the reference's bare ``Linear``.
One finding per cause, whichever side holds it: the same change (only in the candidate, only in the
reference, another p, another kind) of one kind in one part of the network. Sixteen blocks with
stochastic depth are one finding with the count and the range of p, not sixteen. Claims only the
``regularizer`` mismatches (verify/regularizer_diff.py).
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from resnet_verify.tracing.records import OpKind, Part, Regularizer, RegularizerKind, Trace
from resnet_verify.verify.patterns.context import Context, at, first_op
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern
from resnet_verify.verify.regularizer_diff import call_text, eval_mode

_PATTERN = {
    RegularizerKind.DROPOUT: Pattern.DROPOUT,
    RegularizerKind.CHANNEL_DROPOUT: Pattern.DROPOUT,
    RegularizerKind.ALPHA_DROPOUT: Pattern.DROPOUT,
    RegularizerKind.DROP_PATH: Pattern.STOCHASTIC_DEPTH,
    RegularizerKind.DROP_BLOCK: Pattern.DROP_BLOCK,
    RegularizerKind.TRAINING_ONLY: Pattern.DESCRIBED,  # no variant: what runs, where, from which module
    RegularizerKind.EVAL_IN_TRAINING: Pattern.DESCRIBED,  # (tracing/train_mode.py)
}
# In a change of one kind for another, the finding names the more specific of the two (DropBlock
# for dropout is the DropBlock variant, whichever side holds it).
_SPECIFIC = {RegularizerKind.DROP_BLOCK: 2, RegularizerKind.DROP_PATH: 2, RegularizerKind.DROPOUT: 1,
             RegularizerKind.CHANNEL_DROPOUT: 1, RegularizerKind.ALPHA_DROPOUT: 1}  # fmt: skip
_LABEL = {
    RegularizerKind.DROPOUT: "Dropout",
    RegularizerKind.CHANNEL_DROPOUT: "Channel (spatial) dropout",
    RegularizerKind.ALPHA_DROPOUT: "Alpha dropout",
    RegularizerKind.DROP_PATH: "Stochastic depth (drop path)",
    RegularizerKind.DROP_BLOCK: "DropBlock",
    RegularizerKind.TRAINING_ONLY: "A training-mode branch",
    RegularizerKind.EVAL_IN_TRAINING: "A BatchNorm kept in eval mode in training",
}
_WHAT = {
    RegularizerKind.DROPOUT: "zeroes random activations",
    RegularizerKind.CHANNEL_DROPOUT: "zeroes whole feature maps",
    RegularizerKind.ALPHA_DROPOUT: "drops activations keeping SELU's mean and variance",
    RegularizerKind.DROP_PATH: "skips residual branches at random",
    RegularizerKind.DROP_BLOCK: "zeroes contiguous regions of the feature maps",
    RegularizerKind.TRAINING_ONLY: "changes the activations (code behind `if self.training:`)",
    RegularizerKind.EVAL_IN_TRAINING: "normalises with running statistics it never updates (the model's train() "
    "sets it to eval)",
}
# torch's module for each functional spelling, for a fix that adds what the reference calls in forward
_MODULE = {
    "dropout": "nn.Dropout",
    "dropout1d": "nn.Dropout1d",
    "dropout2d": "nn.Dropout2d",
    "dropout3d": "nn.Dropout3d",
    "feature_dropout": "nn.Dropout2d",
    "alpha_dropout": "nn.AlphaDropout",
    "feature_alpha_dropout": "nn.FeatureAlphaDropout",
}
_TORCH_CLASSES = frozenset(
    {"Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"}
)


class Change(str, enum.Enum):
    CANDIDATE_ONLY = "candidate_only"
    REFERENCE_ONLY = "reference_only"
    RATE = "rate"
    POSITION = "position"  # the same regularizer on the other side of the residual add
    KIND = "kind"
    EVAL_MODE = "eval_mode"  # the same regularizer, kept on at test time on one side (MC dropout)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One regularizer mismatch with the records of both sides."""

    index: int
    mismatch: Mismatch
    ref: Regularizer | None
    cand: Regularizer | None

    @property
    def change(self) -> Change:
        if self.ref is None:
            return Change.CANDIDATE_ONLY
        if self.cand is None:
            return Change.REFERENCE_ONLY
        if self.mismatch.field == "position":
            return Change.POSITION
        if self.mismatch.field == "in_eval":
            return Change.EVAL_MODE
        return Change.RATE if self.ref.kind is self.cand.kind else Change.KIND

    @property
    def held(self) -> Regularizer:
        """The record that names the cause: the candidate's, unless only the reference has one."""
        held = self.cand or self.ref
        assert held is not None
        return held

    def key(self) -> tuple[Change, RegularizerKind | None, RegularizerKind, Part]:
        ref_kind = self.ref.kind if self.change is Change.KIND and self.ref is not None else None
        return self.change, ref_kind, self.held.kind, self.held.part


def _entries(ctx: Context) -> list[_Entry]:
    out = []
    for i, m in enumerate(ctx.mismatches):
        if (
            m.kind is not MismatchKind.REGULARIZER
            or i in ctx.claimed
            or m.field in ("calls", "unit")
            or m.cause is not None
        ):
            # (a training-mode branch computing otherwise, or the same drop path drawn per batch on one side and
            # per sample on the other, is no regularizer added, removed or re-rated: described; one inside
            # a branch the other side lacks goes with that branch: regularizer_diff._amid_gone)
            continue
        ref = (
            ctx.reference.regularizers[m.reference_regularizer]
            if m.reference_regularizer is not None
            else None
        )
        cand = (
            ctx.candidate.regularizers[m.candidate_regularizer]
            if m.candidate_regularizer is not None
            else None
        )
        update = RegularizerKind.STATE_UPDATE  # layer state, not a regularizer: state_update.py
        if (ref is not None or cand is not None) and update not in {r.kind for r in (ref, cand) if r}:
            out.append(_Entry(i, m, ref, cand))
    return out


def rates(values: Sequence[float]) -> str:
    """``p=0.5``; ``p rising linearly 0.00667→0.1`` over blocks in forward order; else the range."""
    if max(values) - min(values) <= 1e-9:
        return f"p={values[0]:.4g}"
    steps = [b - a for a, b in itertools.pairwise(values)]
    if all(s > 0 for s in steps):
        how = "linearly " if max(steps) - min(steps) <= 1e-6 * max(values) else ""
        return f"p rising {how}{values[0]:.4g}→{values[-1]:.4g}"
    return f"p {min(values):.4g}-{max(values):.4g}"


def _rates(trace: Trace, regs: Sequence[Regularizer]) -> str:
    """:func:`rates`, naming timm's stochastic-depth rule (block i of n gets rate * i / (n - 1)) when
    the rates follow it, since that is the one number to set (``drop_path_rate``)."""
    text = rates([r.p for r in regs])
    n, top = len(trace.structure.blocks), regs[-1].p
    fits = n > 1 and regs[-1].block == n - 1 and len(regs) > 1
    fits = fits and all(
        r.kind is RegularizerKind.DROP_PATH
        and r.block is not None
        and abs(r.p - top * r.block / (n - 1)) <= 1e-6
        for r in regs
    )
    return f"{text} (timm's drop_path_rate={top:.4g})" if fits else text


def _where(ctx: Context, entries: Sequence[_Entry]) -> str:
    """``before the classifier``, ``in the stem``, ``in layer3.2``, ``in 15 of 16 blocks (a ... b)``."""
    reg = entries[0].held
    trace = ctx.candidate if entries[0].cand is not None else ctx.reference
    if reg.part is Part.HEAD:
        linear = first_op(trace, trace.structure.head, OpKind.LINEAR)
        text = "before the classifier" if linear is not None and reg.position <= linear.id else "in the head"
        return text + (f" ({len(entries)} of them)" if len(entries) > 1 else "")  # (multi-sample dropout)
    if reg.part is not Part.BLOCK:
        return f"in the {reg.part.value}"
    paths = list(dict.fromkeys(_block_path(ctx, e) for e in entries))  # (several in one block: one block)
    if len(paths) == 1:
        return f"in {paths[0]}" + (f" ({len(entries)} of them)" if len(entries) > 1 else "")
    total = len(ctx.reference.structure.blocks)
    count = f"{len(entries)} " if len(entries) != len(paths) else ""
    return f"{count}in {len(paths)} of {total} blocks ({paths[0]} … {paths[-1]})"


def _block_path(ctx: Context, e: _Entry) -> str:
    pair = e.mismatch.block
    if pair is not None and pair.reference is not None:
        return ctx.reference.structure.blocks[pair.reference].path or f"block {pair.reference}"
    return e.mismatch.candidate_path or "a block"


def _name(r: Regularizer) -> str:
    return f"F.{r.spelling}" if r.functional else r.spelling


def _spell(trace: Trace, regs: Sequence[Regularizer]) -> str:
    """``Dropout(p=0.5)`` for one; ``DropPath with p rising linearly ...`` for several."""
    if len(regs) == 1 or regs[0].kind is RegularizerKind.TRAINING_ONLY or any(math.isnan(r.p) for r in regs):
        return call_text(regs[0])
    return f"{_name(regs[0])} with {_rates(trace, regs)}"


def _module_call(trace: Trace, regs: Sequence[Regularizer]) -> str:
    """What to add to the candidate to hold the reference's regularizer(s): a module, since the
    candidate may have no forward line to call a function from."""
    r = regs[0]
    name = _MODULE.get(r.spelling, "nn.Dropout") if r.functional else r.spelling
    if not r.functional and r.spelling in _TORCH_CLASSES:
        name = f"nn.{r.spelling}"
    if any(math.isnan(x.p) for x in regs):  # a rate the module is given in forward
        return f"{name}(...)"
    return f"{name}(p={r.p:.4g})" if len(regs) == 1 else f"{name} with {_rates(trace, regs)}"


def _removal(r: Regularizer, every: str) -> str:
    if r.kind is RegularizerKind.EVAL_IN_TRAINING:
        return f"the line of the model's train() that sets {r.spelling}{every} to eval"
    if r.kind is RegularizerKind.TRAINING_ONLY:
        return f"the `if self.training:` branch of {r.spelling}{every}, or run it in eval mode too"
    if r.functional:
        return f"the F.{r.spelling} call{every} (or pass p=0)"
    return f"the {r.spelling}{every} (nn.Identity(), or p=0)"


def _texts(ctx: Context, entries: Sequence[_Entry]) -> tuple[str, str, str]:
    """(title, what happened, the fix), the fix computed from the reference side."""
    first, change = entries[0], entries[0].change
    ref, cand = ctx.reference, ctx.candidate
    where, site, label = _where(ctx, entries), _site(ctx, first), _LABEL[first.held.kind]
    refs = [e.ref for e in entries if e.ref is not None]
    cands = [e.cand for e in entries if e.cand is not None]
    blocks = all(e.held.part is Part.BLOCK for e in entries)
    every = (
        ""
        if len(entries) == 1
        else f" in each of the {len(entries)} blocks"
        if blocks
        else (" (both)" if len(entries) == 2 else f" (all {len(entries)})")
    )
    if change is Change.CANDIDATE_ONLY:
        return (
            f"{label} only in the candidate",
            f"{_spell(cand, cands)} {where} in the candidate, at {site}; the reference has none.",
            f"{site}: remove {_removal(cands[0], every)} to match the reference",
        )
    if change is Change.REFERENCE_ONLY:
        return (
            f"{label} missing in the candidate",
            f"The reference applies {_spell(ref, refs)} {where}; the candidate has none.",
            f"{site}: add {_module_call(ref, refs)} {where}, as the reference does",
        )
    if change is Change.POSITION:
        return (
            f"{label} on the other side of the residual add",
            f"{_spell(cand, cands)} {where} runs {first.mismatch.actual} in the candidate (at {site}), where the "
            f"reference's runs {first.mismatch.expected}: the skip path carries it, or not, otherwise.",
            f"{site}: apply it {first.mismatch.expected}{every}, as the reference does",
        )
    if change is Change.EVAL_MODE:
        on = "candidate" if cands[0].in_eval else "reference"
        return (
            f"{label} kept on in eval mode in the {on}",
            f"{_spell(cand, cands)} {where} in the candidate (at {site}) is {eval_mode(cands[0])}; the "
            f"reference's is {eval_mode(refs[0])}.",
            f"{site}: pass training={'True' if refs[0].in_eval else 'self.training'}{every}, as the reference does",
        )
    if change is Change.RATE:
        return (
            f"{label} at another rate",
            f"{label} {where}: {_rates(cand, cands)} in the candidate (at {site}) where the "
            f"reference has {_rates(ref, refs)}.",
            f"{site}: set {_rates(ref, refs)}{every}, as the reference does",
        )
    return (
        f"{label} where the reference has {_LABEL[refs[0].kind].lower()}",
        f"{_spell(cand, cands)} {where} in the candidate, at {site}, where the reference has "
        f"{_spell(ref, refs)}.",
        f"{site}: replace the {_name(cands[0])} with {_module_call(ref, refs)}{every}",
    )


def _finding(ctx: Context, entries: Sequence[_Entry]) -> Finding:
    title, what, fix = _texts(ctx, entries)
    kind = entries[0].held.kind
    in_eval = (
        "computes in eval mode what a training one does"
        if kind is RegularizerKind.EVAL_IN_TRAINING
        else "is the identity in eval mode"
    )
    why = (
        f" It {_WHAT[kind]} during training and {in_eval}, so shapes, parameters "
        f"and eval outputs match; the network training sees does not."
    )
    if entries[0].change is Change.EVAL_MODE:
        why = (
            f" It {_WHAT[kind]} during training on both sides; in eval mode one side keeps drawing masks (Monte "
            "Carlo dropout), so its test-time outputs are random and differ from the other's."
        )
    locations = sorted({e.mismatch.reference_path or _where_path(ctx, e) for e in entries})
    first = entries[0]
    if (
        first.change is Change.KIND
        and first.ref is not None
        and _SPECIFIC.get(first.ref.kind, 0) > _SPECIFIC.get(kind, 0)
    ):
        kind_named = first.ref.kind  # one kind for another: the named variant is the specific one, either way
    else:
        kind_named = kind
    return Finding(
        pattern=_PATTERN[kind_named],
        title=title,
        message=what + why,
        locations=tuple(locations),
        mismatches=tuple(e.index for e in entries),
        suggestion=fix,
        source=entries[0].mismatch.source,
    )


def _site(ctx: Context, e: _Entry) -> str:
    """The candidate's module and line to edit: its regularizer, else where the reference's goes (its
    block, or the classifier it should precede)."""
    path = e.mismatch.candidate_path
    if path is None and e.cand is None and e.held.part is Part.HEAD:
        linear = first_op(ctx.candidate, ctx.candidate.structure.head, OpKind.LINEAR)
        path = linear.module_path if linear is not None else None
    if path is None and e.mismatch.source is None:
        return "the model's forward"
    return at(path, e.mismatch.source)


def _where_path(ctx: Context, e: _Entry) -> str:
    return _block_path(ctx, e) if e.held.part is Part.BLOCK else e.held.part.value


def detect_regularizers(ctx: Context) -> list[Finding]:
    groups: dict[tuple[Change, RegularizerKind | None, RegularizerKind, Part], list[_Entry]] = {}
    for e in _entries(ctx):
        groups.setdefault(e.key(), []).append(e)
    return [_finding(ctx, entries) for entries in groups.values()]
