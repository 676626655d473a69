"""A softmax (or log-softmax) as the last op of the forward, where the reference returns logits.

A common port of Keras code (``Dense(classes, activation="softmax")``) and of tutorials: the model
returns probabilities, and ``nn.CrossEntropyLoss``, which applies log-softmax itself, then trains on
the softmax of a softmax: gradients shrink as the outputs saturate and training stalls well below
what the same network reaches on logits. Keyed on an extra op of the head whose torch name is
``softmax`` / ``log_softmax`` and whose output nothing but layout ops reads (the model's output); a
softmax anywhere else (an attention map, an SE-style gate) is not this.
"""

from __future__ import annotations

from resnet_verify.tracing.records import LAYOUT_KINDS, OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, consumers
from resnet_verify.verify.records import Finding, Mismatch, Pattern, Region

_NAMES = frozenset({"softmax", "log_softmax", "_softmax"})
_MIXING = frozenset({"sum", "mean", "mean_of", "gather", "index_select", "mul", "add", "stack", "einsum"})


def _is_output_softmax(ctx: Context, m: Mismatch) -> bool:
    if m.region is not Region.HEAD or m.field != "op" or m.candidate_op is None:
        return False
    if m.expected is not None and not _output_sigmoid(ctx, m):
        return False
    op: OpRecord = ctx.candidate.ops[m.candidate_op]
    return _spelled(op) in _NAMES and not _computed_on(ctx.candidate, op.id)


def _output_sigmoid(ctx: Context, m: Mismatch) -> bool:
    """The reference's op there is the sigmoid its forward ends with (a multi-label head)."""
    if m.reference_op is None:
        return False
    op = ctx.reference.ops[m.reference_op]
    return _spelled(op) == "sigmoid" and not _computed_on(ctx.reference, op.id)


def _computed_on(trace: Trace, op_id: int, mixed: bool = False) -> bool:
    """Something other than layout reads the op's output, past views and flattens (an attentive
    pooling's softmax over frames is viewed, then multiplies the features: not the output). With
    ``mixed``, past a weighted sum too: probabilities stacked, picked, weighted and summed (a
    mixture of expert heads) are still probabilities; a nonlinearity or a layer is computing on."""
    return any(
        _computed_on(trace, c.id, mixed) if c.kind in LAYOUT_KINDS or (mixed and _mixes(c)) else True
        for c in consumers(trace, op_id)
    )


def _mixes(op: OpRecord) -> bool:
    """A step of a weighted sum of probability vectors: stack, pick, weight, sum."""
    if op.params:
        return False
    if op.kind in (OpKind.CAT, OpKind.SLICE, OpKind.MUL, OpKind.ADD):
        return True
    return op.kind is OpKind.OTHER and _spelled(op) in _MIXING


def _is_mixture(ctx: Context, m: Mismatch) -> bool:
    """An extra softmax of the head whose output reaches the model's output through a weighted sum
    only (a router mixing expert heads that each end with softmax)."""
    if m.region is not Region.HEAD or m.field != "op" or m.candidate_op is None or m.expected is not None:
        return False
    op: OpRecord = ctx.candidate.ops[m.candidate_op]
    return _spelled(op) == "softmax" and not _computed_on(ctx.candidate, op.id, mixed=True)


def _spelled(op: OpRecord) -> str:
    """The function an op computes: torch's name, or the ``activation=`` a Keras layer runs
    (``Dense(classes, activation="softmax")`` is recorded as the layer with function softmax)."""
    return str(dict(op.attrs).get("function", op.name))


def detect_output_softmax(ctx: Context) -> list[Finding]:
    idx = ctx.indices(lambda m: _is_output_softmax(ctx, m))
    mixture = not idx
    if mixture:
        idx = ctx.indices(lambda m: _is_mixture(ctx, m))
    if not idx:
        return []
    m = ctx.mismatches[idx[0]]
    assert m.candidate_op is not None
    name = _spelled(ctx.candidate.ops[m.candidate_op])
    if m.expected is not None:
        return [_for_sigmoid(ctx, m, idx, name)]
    scaled = _temperatures(ctx, {ctx.mismatches[i].candidate_op for i in idx})
    if scaled:  # the logits scaled first: a softmax with a temperature, one cause
        idx = tuple(sorted({*idx, *scaled}))
        name = f"{name} with a temperature ({_scale_text(ctx, scaled[0])})"
    if name == "log_softmax":
        why = (
            "it returns log-probabilities: right for nn.NLLLoss, but nn.CrossEntropyLoss (what "
            "resnet-verify train and torchvision's recipes use) applies log-softmax again"
        )
    else:
        why = (
            "trained with nn.CrossEntropyLoss, which applies log-softmax itself, the loss sees the "
            "softmax of a softmax and its gradients vanish as the outputs saturate"
        )
    return [
        Finding(
            pattern=Pattern.OUTPUT_SOFTMAX,
            title="Softmax in the forward (probabilities, not logits)",
            message=f"The candidate's forward ends with {name}"
            + (_mixed(len(idx)) if mixture else "")
            + f", where the reference returns logits: {why}. "
            + (
                "A mixture of probabilities is not the mixture of logits: predictions can differ too."
                if mixture
                else "Predictions (argmax) are unchanged."
            ),
            locations=(m.reference_path or "head",),
            mismatches=idx,
            suggestion=f"{at(m.candidate_path, m.source)}: return the logits from forward (drop the {name}); apply "
            f"softmax at inference only, e.g. torch.softmax(model(x), dim=1)",
            source=m.source,
        )
    ]


def _temperatures(ctx: Context, softmaxes: set[int | None]) -> tuple[int, ...]:
    """Extra scalar multiplies or divides of the candidate's head read by those softmaxes alone (DINO's
    ``softmax(logits / 0.04)``): the temperature is part of the output activation, not a cause of its own."""

    def feeds_softmax(op_id: int | None) -> bool:
        if op_id is None:
            return False
        op = ctx.candidate.ops[op_id]
        readers = consumers(ctx.candidate, op_id, through_layout=True)
        return (
            op.kind is OpKind.OTHER
            and _spelled(op) in ("mul", "div", "true_divide")
            and isinstance(dict(op.attrs).get("scalar"), float)
            and bool(readers)
            and all(r.id in softmaxes for r in readers)
        )

    return ctx.indices(
        lambda m: (
            m.region is Region.HEAD
            and m.field == "op"
            and m.expected is None
            and feeds_softmax(m.candidate_op)
        )
    )


def _scale_text(ctx: Context, i: int) -> str:
    op = ctx.candidate.ops[ctx.mismatches[i].candidate_op or 0]
    scalar = dict(op.attrs)["scalar"]
    return f"divided by {1 / scalar:g}" if _spelled(op) == "mul" and scalar else f"scaled by {scalar:g}"


def _mixed(n: int) -> str:
    """A mixture of expert heads' softmaxes, or one softmax of stacked predictions then averaged."""
    return (
        f" ({n} of them, mixed by a weighted sum)"
        if n > 1
        else " (its probabilities then averaged or weighted)"
    )


def _for_sigmoid(ctx: Context, m: Mismatch, idx: tuple[int, ...], name: str) -> Finding:
    return Finding(
        pattern=Pattern.OUTPUT_SOFTMAX,
        title="Softmax in the forward where the reference ends with a sigmoid",
        message=f"The candidate's forward ends with {name} where the reference's ends with a sigmoid: the "
        "classes now compete for one probability mass (one label per input), where the reference scores "
        "each label on its own (multi-label). Scores and thresholds no longer mean the same.",
        locations=(m.reference_path or "head",),
        mismatches=idx,
        suggestion=f"{at(m.candidate_path, m.source)}: end with torch.sigmoid as the reference does (or return "
        "the logits and use nn.BCEWithLogitsLoss)",
        source=m.source,
    )
