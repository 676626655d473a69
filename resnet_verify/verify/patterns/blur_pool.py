"""Anti-aliased downsampling (blur pool, Zhang 2019; timm's ``resnetblur*``, ``aa_layer``): a layer's
stride-2 moved to a fixed low-pass filter after it.

The filter is a depthwise conv whose weights are a buffer (nothing trains), run with stride 2 after
the layer that used to stride (now stride 1), usually after a reflect pad. Compared op by op: the
layer's stride and every shape after it, a pad, and a "3x3 conv" with groups = channels and no
parameters, in the stem and each downsampling block. Found from what the filter is, not its name.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, attr, fixed_weights
from resnet_verify.verify.records import Finding, MismatchKind, Pattern, Region


def _strided(op: OpRecord) -> bool:
    stride = attr(op, "stride")
    return isinstance(stride, tuple) and max(stride, default=1) > 1


def _before_a_stride(trace: Trace, op: OpRecord) -> bool:
    """The filter's output goes (through pads and layout) to one layer that strides: blur first
    (Composer's and FFCV's BlurPool: the filter at stride 1 just before the strided conv or pool)."""
    at = op.id
    for _ in range(4):
        users = [u for u in trace.ops[at + 1 :] if at in u.inputs]
        if len(users) != 1:
            return False
        user = users[0]
        if user.kind in (OpKind.PAD, OpKind.RESHAPE):
            at = user.id
            continue
        return user.kind in (OpKind.CONV, OpKind.MAX_POOL, OpKind.AVG_POOL) and _strided(user)
    return False


def _negative_tap(op: OpRecord) -> bool:
    """A fixed filter whose taps the trace read (``values``) and one of which is negative: a difference
    or edge filter (pre-emphasis, Sobel, a wavelet's detail band), not a low-pass blur."""
    values = attr(op, "values")
    return isinstance(values, str) and any(
        v.strip().startswith("-") for v in values.replace(";", ",").split(",")
    )


def blur_ops(trace: Trace) -> list[OpRecord]:
    """Depthwise convs with fixed weights that downsample, or run just before a layer that does: the
    low-pass filters of blur pooling."""
    out = []
    for op in trace.ops:
        if op.kind is not OpKind.CONV or _negative_tap(op):
            continue
        depthwise = attr(op, "groups") == attr(op, "in_channels") == attr(op, "out_channels")
        if depthwise and fixed_weights(trace, op) and (_strided(op) or _before_a_stride(trace, op)):
            out.append(op)
    return out


def _where(trace: Trace, op: OpRecord) -> tuple[Region, int | None]:
    for b in trace.structure.blocks:
        if op.id in b.main or op.id in b.shortcut:
            return (Region.MAIN if op.id in b.main else Region.SHORTCUT), b.index
    return (Region.STEM if op.id in trace.structure.stem else Region.MODEL), None


def detect_blur_pool(ctx: Context) -> list[Finding]:
    blurs = blur_ops(ctx.candidate)
    if not blurs or blur_ops(ctx.reference):
        return []
    places = {_where(ctx.candidate, b) for b in blurs}
    modules = {b.module_path for b in blurs}
    claimed = ctx.indices(
        lambda m: (
            m.kind is not MismatchKind.REGULARIZER
            and (
                m.candidate_path in modules
                or (m.region, m.block.candidate if m.block is not None else None) in places
            )
        )
    )
    if not claimed:
        return []
    first = blurs[0]
    k = "x".join(map(str, attr(first, "kernel_size") or ()))  # type: ignore[call-overload]
    site = next((c.source for c in ctx.candidate.modules if c.path == first.module_path and c.source), None)
    n = len(blurs)
    return [
        Finding(
            pattern=Pattern.BLUR_POOL,
            title="Anti-aliased downsampling (blur pool)",
            message=(
                f"In {n} place{'s' if n > 1 else ''} ({', '.join(sorted(modules)[:4])}{' ...' if n > 4 else ''}) the "
                f"candidate downsamples with a fixed {k} low-pass filter (a depthwise conv whose weights are a "
                + (
                    "buffer) after the layer that strides in the reference, now at stride 1: blur pooling. "
                    if any(_strided(b) for b in blurs)
                    else "buffer) run just before the layer that strides, which keeps its stride: blur pooling, "
                    "blur first. "
                )
                + "Parameters are equal; MACs and what each layer sees before the downsampling are not."
            ),
            locations=tuple(sorted({ctx.mismatches[i].reference_path or "" for i in claimed} - {""}))[:8],
            mismatches=claimed,
            suggestion=(
                f"{site or first.module_path}: to match the reference, stride the layer itself and drop the "
                "blur filter (or compare with a blur-pool reference)"
            ),
            source=site,
        )
    ]


__all__ = ["blur_ops", "detect_blur_pool"]
