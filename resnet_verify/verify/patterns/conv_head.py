"""A classifier written as a 1x1 conv on the globally pooled map (timm's ``resnetv2_*`` heads,
``ClassifierHead(use_conv=True)``; fully convolutional nets): on a 1x1 map it computes exactly what
``Linear(C, n)`` computes, its weight is the Linear's with two unit dimensions. Or a 1x1 conv to the
classes on the full map, then the global average (class activation maps): averaging commutes with a
1x1 conv, so that too is the Linear after the pool. An equivalence worth naming, not a defect."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, attr, consumers, first_op, square
from resnet_verify.verify.records import Finding, Pattern, Region


def _averaged(trace: Trace, op: OpRecord) -> bool:
    """Whatever ``op`` outputs is globally averaged next (through layout ops), and by nothing else."""
    at = op.id
    while True:
        users = consumers(trace, at)
        if len(users) != 1:
            return False
        user = users[0]
        if user.kind is OpKind.RESHAPE:
            at = user.id
            continue
        pooled = user.kind in (OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL) and attr(user, "mode") != "max"
        return pooled and tuple((user.out_shape or ())[2:]) in ((), (1, 1))


def _conv_classifier(trace: Trace, in_features: object, out_features: object) -> OpRecord | None:
    """The head's 1x1 conv that maps ``in_features`` to ``out_features`` on a 1x1 map, or before the
    global average, else None."""
    for o in trace.structure.head:
        op = trace.ops[o]
        if op.kind is not OpKind.CONV or not op.in_shapes:
            continue
        if (
            (tuple(op.in_shapes[0][2:]) == (1, 1) or _averaged(trace, op))
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
    # paired with the Linear, or (before the pool) the Linear missing and the conv extra
    idx = ctx.indices(
        lambda m: (
            m.region is Region.HEAD
            and m.field == "op"
            and m.reference_op in (linear.id, None)
            and m.candidate_op in (conv.id, None)
            and (m.reference_op, m.candidate_op) != (None, None)
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
            message=f"The classifier ({conv.module_path}) is a 1x1 conv from {n_in} to {n_out} channels "
            + (
                "on the globally pooled 1x1 map"
                if tuple(conv.in_shapes[0][2:]) == (1, 1)
                else "on the full map, averaged after it (a class activation map; averaging commutes with a 1x1 conv)"
            )
            + f", where the reference has Linear({n_in}, {n_out}) after the pool: the same computation; its "
            f"weight ({n_out}, {n_in}, 1, 1) is the Linear's with two unit dimensions. Not a difference in outputs.",
            locations=(linear.module_path,),
            mismatches=idx,
            suggestion=f"{at(conv.module_path, site)}: optional: flatten, then Linear({n_in}, {n_out}, bias={bias})",
            source=site,
        )
    ]
