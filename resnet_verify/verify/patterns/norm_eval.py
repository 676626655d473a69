"""Every BatchNorm held in eval mode while training, where the other side's train: a frozen BatchNorm, one
cause (mmdetection's ``norm_eval=True``, QAT's ``freeze_bn_stats``, a fine-tune's ``train()`` override that
puts every BatchNorm back in eval). They normalise by running statistics they never update, in training as
at inference: the frozen-statistics BatchNorm that ``norm_frozen.py`` names for FrozenBatchNorm2d, whose
affine does not train either. Some of them held so (a stem's BN left training) stay with the regularizer
rule, which describes them where they are.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, RegularizerKind
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern


def _held(ctx: Context, m: Mismatch, candidate: bool) -> bool:
    """A BatchNorm one side (``candidate``) keeps in eval mode while training and the other does not."""
    mine, theirs = (
        (m.candidate_regularizer, m.reference_regularizer)
        if candidate
        else (m.reference_regularizer, m.candidate_regularizer)
    )
    holder = ctx.candidate if candidate else ctx.reference
    return (
        m.kind is MismatchKind.REGULARIZER
        and mine is not None
        and theirs is None
        and holder.regularizers[mine].kind is RegularizerKind.EVAL_IN_TRAINING
    )


def detect_norm_eval(ctx: Context) -> list[Finding]:
    for candidate in (True, False):
        idx = tuple(
            i for i, m in enumerate(ctx.mismatches) if i not in ctx.claimed and _held(ctx, m, candidate)
        )
        holder = ctx.candidate if candidate else ctx.reference
        if idx and len(idx) == sum(op.kind is OpKind.BATCH_NORM for op in holder.ops):
            return [_finding(ctx, idx, candidate, len(idx))]
    return []


def _finding(ctx: Context, idx: tuple[int, ...], candidate: bool, total: int) -> Finding:
    first = ctx.mismatches[idx[0]]
    side, other = ("candidate", "reference") if candidate else ("reference", "candidate")
    path = (first.candidate_path if candidate else first.reference_path) or "the model"
    return Finding(
        pattern=Pattern.NORMALIZATION,
        title="Every BatchNorm frozen while training",
        message=(
            f"All {total} of the {side}'s BatchNorm layers are kept in eval mode while training ({path} ...: "
            f"the model's own train() sets them so), where the {other}'s train: they normalise with running "
            "statistics they never update, in training as at inference. Shapes, parameters and eval outputs "
            "agree; training does not."
        ),
        locations=tuple(
            dict.fromkeys(
                (m.reference_path or m.candidate_path or "") for m in map(ctx.mismatches.__getitem__, idx)
            )
        ),
        mismatches=idx,
        suggestion=(
            f"{path}: let train() put the BatchNorms in training mode as the {other} does (norm_eval=False, no "
            "freeze_bn_stats), or freeze them on both sides on purpose (fine-tuning with small batches)"
            if candidate
            else f"{path}: keep the BatchNorms in eval mode while training (norm_eval=True, freeze_bn_stats), as "
            f"the reference does"
        ),
        source=first.source,
    )


__all__ = ["detect_norm_eval"]
