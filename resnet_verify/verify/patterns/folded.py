"""BatchNorm folded into the convolutions (deployment fusion): every conv carries the BN's affine
transform in its weight and bias, and no BatchNorm is left. Not dead weight: the biases are the
folded BN shifts, and removing them breaks the model."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, Pattern


def _bn_after_conv(trace: Trace) -> set[int]:
    """Reference BN ops that normalise a conv's output directly (the ones fusion removes)."""
    return {
        op.id
        for op in trace.ops
        if op.kind is OpKind.BATCH_NORM
        and any(i >= 0 and trace.ops[i].kind is OpKind.CONV for i in op.inputs)
    }


def _conv_shapes(trace: Trace) -> list[str]:
    """Each conv's widths and kernel, sorted (a projection may run before or after its block's main
    path): what folding a BatchNorm into it leaves alone."""
    keys = ("in_channels", "out_channels", "kernel_size", "groups")
    return sorted(
        repr(tuple(dict(op.attrs).get(k) for k in keys)) for op in trace.ops if op.kind is OpKind.CONV
    )


def detect_bn_folded(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    fused = _bn_after_conv(ref)
    if not fused or any(op.kind is OpKind.BATCH_NORM for op in cand.ops):
        return []
    if any(op.kind is OpKind.CONV and "param_ops" in dict(op.attrs) for op in cand.ops):
        return []  # weights computed in forward (a normalizer-free net's scaled WS): nothing was folded
    if _conv_shapes(cand) != _conv_shapes(ref):
        return []  # fusion keeps every conv as it was: a network of other convs never had these BNs (IMPALA)
    conv_of = {
        b: next(i for i in ref.ops[b].inputs if i >= 0 and ref.ops[i].kind is OpKind.CONV) for b in fused
    }
    biased = {
        m.reference_op
        for m in ctx.mismatches
        if m.op_kind is OpKind.CONV and m.field == "bias" and m.actual is True and m.expected is False
    }
    if not biased & set(conv_of.values()):
        return []  # BN missing but the convs have no bias: BN dropped, not folded
    missing = ctx.indices(
        lambda m: (
            m.op_kind is OpKind.BATCH_NORM
            and m.field == "op"
            and m.actual is None
            and m.reference_op in fused
        )
    )
    bias = ctx.indices(lambda m: m.op_kind is OpKind.CONV and m.field == "bias" and m.reference_op in biased)
    first = ctx.mismatches[bias[0]] if bias else ctx.mismatches[missing[0]]
    return [
        Finding(
            pattern=Pattern.BN_FOLDED,
            title="BatchNorm folded into the convolutions",
            message=f"The candidate has no BatchNorm and its convolutions have biases: the reference's {len(fused)} "
            f"BatchNorms that follow a conv are folded into those convs (deployment fusion, "
            f"w * gamma / sqrt(var + eps) and beta - mean * gamma / sqrt(var + eps)). The biases are the "
            f"folded BN shifts, not dead weight: the model is the reference in inference form.",
            locations=tuple(sorted({ref.ops[b].module_path for b in fused}))[:8],
            mismatches=tuple(sorted({*missing, *bias})),
            suggestion=f"{at(first.candidate_path, first.source)}: keep the biases; to train or port weights, use the "
            f"unfused model (Conv2d(..., bias=False) + BatchNorm2d after each of the {len(fused)} convs); "
            "--equivalence checks this one against the reference with its BatchNorm folded the same way",
            source=first.source,
        )
    ]
