"""The stem of a pre-activation network (ResNet v2): the max pool reads the stem conv directly.

In a pre-activation ResNet the stem has no BN-ReLU of its own: ``conv -> max pool``, and the BN-ReLU
that follows the pool is the first block's pre-activation (shared by its main path and projection,
so the tracer sees it before the fork, in the stem). Keras' ResNetV2 pads with ZeroPadding2D(1)
before an unpadded MaxPooling2D(3, 2) and gives the stem conv a bias (no BN follows it directly);
timm's ``resnetv2_*`` pool with padding 1. Against a post-activation reference (conv-BN-ReLU, max
pool) the pool then reads as missing in one place and extra in the other, and the bias as a stray
attribute: one cause, the v2 stem.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.align import significant
from resnet_verify.verify.patterns.blocks import (
    is_pre_activation,
    shared_pre_activation,
    starts_pre_activated,
)
from resnet_verify.verify.patterns.context import Context, attr, conv_call, pool_call
from resnet_verify.verify.records import Finding, Pattern, Region

_POST = (OpKind.CONV, OpKind.BATCH_NORM, OpKind.RELU, OpKind.MAX_POOL)


def _pre_activation_stem(trace: Trace) -> tuple[int, int, tuple[int, ...]] | None:
    """(conv, pool, pads between them) when the stem is conv -> [pad] -> max pool -> the first
    block's pre-activation (its own BN-ReLU, or one shared by both paths of a transition block),
    else None."""
    s = trace.structure
    if not s.blocks:
        return None
    shared = shared_pre_activation(trace, s.blocks[0])
    if not shared and not starts_pre_activated(trace, s.blocks[0]):
        return None
    ops = [o for o in significant(trace, s.stem) if o not in shared]
    kinds = [trace.ops[o].kind for o in ops]
    if [k for k in kinds if k is not OpKind.PAD] != [OpKind.CONV, OpKind.MAX_POOL]:
        return None
    conv, pool = ops[kinds.index(OpKind.CONV)], ops[kinds.index(OpKind.MAX_POOL)]
    if not conv < pool < min(shared, default=pool + 1):
        return None
    return conv, pool, tuple(o for o in ops if trace.ops[o].kind is OpKind.PAD)


def detect_pre_activation_stem(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    found = _pre_activation_stem(cand)
    ref_stem = significant(ref, ref.structure.stem)
    if found is None or [ref.ops[o].kind for o in ref_stem] != list(_POST) or not is_pre_activation(cand):
        return []
    conv, pool, pads = found
    ref_conv, ref_pool = ref_stem[0], ref_stem[-1]
    biased = bool(attr(cand.ops[conv], "bias"))
    ref_act = {o for o in ref_stem if ref.ops[o].kind in (OpKind.BATCH_NORM, OpKind.RELU)}
    idx = ctx.indices(
        lambda m: (
            m.region is Region.STEM
            and (
                (m.field == "op" and (m.candidate_op in (pool, *pads) or m.reference_op == ref_pool))
                or (m.reference_op in ref_act and m.candidate_op is None)
                or (m.field == "bias" and m.candidate_op == conv and biased)
            )
        )
    )
    if not idx:
        return []
    c_conv, c_pool = cand.ops[conv], cand.ops[pool]
    padded = " after a ZeroPadding2D" if pads else ""
    message = (
        f"The stem is a pre-activation one (ResNet v2): its max pool ({c_pool.module_path}{padded}) reads "
        f"the stem conv ({c_conv.module_path}) directly, and the BN-ReLU after the pool is the first "
        f"block's pre-activation; the reference's stem normalises and activates before it pools"
        + (
            ". The stem conv has a bias, as Keras' ResNetV2 gives it (no BN follows it directly)."
            if biased
            else "."
        )
    )
    fix = (
        f"as the reference: {conv_call(ref.ops[ref_conv], bias=bool(attr(ref.ops[ref_conv], 'bias')))}, "
        f"BatchNorm2d, ReLU, then {pool_call(ref.ops[ref_pool])} (with post-activation blocks)"
    )
    return [
        Finding(
            pattern=Pattern.PRE_ACTIVATION_STEM,
            title="Pre-activation stem (ResNet v2)",
            message=message,
            locations=(ref.ops[ref_pool].module_path,),
            mismatches=idx,
            suggestion=fix,
            source=ctx.site(c_pool.module_path),
        )
    ]
