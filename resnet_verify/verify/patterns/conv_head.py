"""A classifier written as a 1x1 conv on the globally pooled map (timm's ``resnetv2_*`` heads,
``ClassifierHead(use_conv=True)``; fully convolutional nets): on a 1x1 map it computes exactly what
``Linear(C, n)`` computes, its weight is the Linear's with two unit dimensions. An equivalence worth
naming, not a defect."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, attr, first_op, square
from resnet_verify.verify.records import Finding, Pattern, Region


def _conv_classifier(trace: Trace, in_features: object, out_features: object) -> OpRecord | None:
    """The head's 1x1 conv that maps ``in_features`` to ``out_features`` on a 1x1 map, else None."""
    for o in trace.structure.head:
        op = trace.ops[o]
        if op.kind is not OpKind.CONV or not op.in_shapes:
            continue
        if (
            tuple(op.in_shapes[0][2:]) == (1, 1)
            and square(attr(op, "kernel_size")) == 1
            and square(attr(op, "stride")) == 1
            and attr(op, "groups") == 1
            and (attr(op, "in_channels"), attr(op, "out_channels")) == (in_features, out_features)
        ):
            return op
    return None


def detect_conv_classifier(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    linear = first_op(ref, ref.structure.head, OpKind.LINEAR)
    if linear is None:
        return []
    n_in, n_out = attr(linear, "in_features"), attr(linear, "out_features")
    conv = _conv_classifier(cand, n_in, n_out)
    if conv is None:
        return []
    idx = ctx.indices(
        lambda m: (
            m.region is Region.HEAD
            and m.field == "op"
            and m.reference_op == linear.id
            and m.candidate_op == conv.id
        )
    )
    if not idx:
        return []
    bias = bool(attr(conv, "bias"))
    site = ctx.site(conv.module_path)
    return [
        Finding(
            pattern=Pattern.CONV_CLASSIFIER,
            title="1x1 conv classifier (same as a Linear)",
            message=f"The classifier ({conv.module_path}) is a 1x1 conv from {n_in} to {n_out} channels on the globally "
            f"pooled 1x1 map, where the reference has Linear({n_in}, {n_out}): the same computation; its "
            f"weight ({n_out}, {n_in}, 1, 1) is the Linear's with two unit dimensions. Not a difference in outputs.",
            locations=(linear.module_path,),
            mismatches=idx,
            suggestion=f"{at(conv.module_path, site)}: optional: flatten, then Linear({n_in}, {n_out}, bias={bias})",
            source=site,
        )
    ]
