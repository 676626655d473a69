"""Per-layer variants: conv bias before BN, a projection without BN, a grouped 1x1 conv."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context, at, attr, consumers
from resnet_verify.verify.records import Finding, MismatchKind, Pattern, Region


def detect_conv_bias(ctx: Context) -> list[Finding]:
    cand = ctx.candidate

    def feeds_bn(op_id: int | None) -> bool:
        return op_id is not None and any(c.kind is OpKind.BATCH_NORM for c in consumers(cand, op_id))

    bias = ctx.indices(
        lambda m: m.op_kind is OpKind.CONV and m.field == "bias" and m.actual is True and m.expected is False
        and feeds_bn(m.candidate_op)
    )  # fmt: skip
    if not bias:
        return []
    first = ctx.mismatches[bias[0]]
    paths = sorted({ctx.mismatches[i].reference_path or "" for i in bias})
    return [Finding(
        Pattern.BIAS_BEFORE_BN, "Conv bias before BatchNorm",
        f"{len(bias)} convolutions followed by BatchNorm have bias=True: the BN mean subtraction cancels "
        f"the bias, so it is dead weight (and the state_dict no longer matches the reference's).",
        tuple(paths)[:8], bias,
        f"{at(first.candidate_path, first.source)}: pass bias=False to every Conv2d that feeds a BatchNorm2d",
        first.source,
    )]  # fmt: skip


def detect_projection_without_bn(ctx: Context) -> list[Finding]:
    idx = ctx.indices(
        lambda m: m.region is Region.SHORTCUT and m.op_kind is OpKind.BATCH_NORM and m.field == "op"
        and m.actual is None
    )  # fmt: skip
    if not idx:
        return []
    ref = ctx.reference
    first = ctx.mismatches[idx[0]]
    bn = ref.ops[first.reference_op] if first.reference_op is not None else None
    conv = next(
        (ref.ops[o] for o in (bn.inputs if bn else ()) if o >= 0 and ref.ops[o].kind is OpKind.CONV), None
    )
    width = attr(conv, "out_channels") if conv else "out"
    return [Finding(
        Pattern.PROJECTION_WITHOUT_BN, "Projection shortcut without BatchNorm",
        "The 1x1 projection shortcut has no BatchNorm after its conv; the reference's is conv1x1 + BatchNorm2d.",
        tuple(sorted({ctx.mismatches[i].reference_path or "" for i in idx})), idx,
        f"{at(None, first.source)}: use nn.Sequential(Conv2d(in, {width}, 1, stride, bias=False), "
        f"BatchNorm2d({width})) as the projection",
        first.source,
    )]  # fmt: skip


def detect_grouped_1x1(ctx: Context) -> list[Finding]:
    ref = ctx.reference

    def ref_1x1(op_id: int | None) -> bool:
        return op_id is not None and attr(ref.ops[op_id], "kernel_size") == (1, 1)

    grouped = ctx.indices(
        lambda m: m.op_kind is OpKind.CONV and m.field == "groups" and m.kind is MismatchKind.ATTRIBUTE
        and ref_1x1(m.reference_op)
    )  # fmt: skip
    if not grouped:
        return []
    first = ctx.mismatches[grouped[0]]
    return [Finding(
        Pattern.GROUPED_1X1, "Grouped 1x1 convolution",
        f"A 1x1 conv uses groups={first.actual} where the reference has groups={first.expected}: channels no "
        f"longer mix across groups and the parameter count changes.",
        tuple(sorted({ctx.mismatches[i].reference_path or "" for i in grouped})), grouped,
        f"{at(first.candidate_path, first.source)}: use groups={first.expected} on the 1x1 conv (groups belong "
        f"on the 3x3 in ResNeXt)",
        first.source,
    )]  # fmt: skip
