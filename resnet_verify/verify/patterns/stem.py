"""Stems that differ from the reference's by design: the CIFAR stem (3x3/1 conv, no max pool)."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context, at, attr, conv_call, convs, first_op, pool_call
from resnet_verify.verify.records import Finding, Pattern, Region


def _keeps_more_resolution(ctx: Context) -> bool:
    """The whole signature: the CIFAR stem leaves every later map at least twice the reference's, whose
    stem downsamples (a 7x7 conv that pads 1 and shrinks the map by 4 pixels is another kernel, not
    the ImageNet stem)."""
    shapes = []
    for trace in (ctx.reference, ctx.candidate):
        stem = trace.structure.stem
        shapes.append(trace.ops[stem[-1]].out_shape if stem else None)
    ref, cand = shapes
    if not ref or not cand or len(ref) != len(cand):
        return False
    return all(c >= 2 * r for r, c in zip(ref[2:], cand[2:], strict=True))


def detect_cifar_stem(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    rc, cc = convs(ref, ref.structure.stem), convs(cand, cand.structure.stem)
    if not rc or not cc or not cand.structure.blocks:
        return []
    ref_k, ref_s = attr(rc[0], "kernel_size"), attr(rc[0], "stride")
    # one conv, or as many parallel ones as the reference's stem runs (a Flipout layer's mean and
    # perturbation convs), every one 3x3 / 1; a deep stem's three convs are another stem
    if len(cc) != 1 and len(cc) != len(rc):
        return []
    if not all(attr(c, "kernel_size") == (3, 3) and attr(c, "stride") == (1, 1) for c in cc):
        return []
    if ref_k == (3, 3) and ref_s == (1, 1):
        return []  # the reference has a CIFAR stem itself
    if not _keeps_more_resolution(ctx):
        return []  # a 3x3/1 conv after a space-to-depth or another downsampling: not the CIFAR stem
    ref_pool = first_op(ref, ref.structure.stem, OpKind.MAX_POOL)
    if ref_k == (3, 3) and ref_pool is None:
        return []  # the same 3x3 conv at another stride, no pool: a stride difference, not another stem
    has_pool = first_op(cand, cand.structure.stem, OpKind.MAX_POOL) is not None
    idx = ctx.indices(lambda m: m.region is Region.STEM)
    if not idx:
        return []
    fix = conv_call(rc[0]) + (f" followed by {pool_call(ref_pool)}" if ref_pool else "")
    reference_stem = f"{conv_call(rc[0])}" + (f" + {pool_call(ref_pool)}" if ref_pool else "")
    return [
        Finding(
            pattern=Pattern.CIFAR_STEM,
            title="CIFAR stem",
            message=f"The stem is the CIFAR variant (3x3 conv, stride 1{'' if has_pool else ', no max pool'}) instead of "
            f"the reference's {reference_stem}: every later feature map is larger in each spatial dimension.",
            locations=(rc[0].module_path or "stem",),
            mismatches=idx,
            suggestion=f"{at(cc[0].module_path, ctx.site(cc[0].module_path))}: use {fix}",
            source=ctx.site(cc[0].module_path),
        )
    ]
