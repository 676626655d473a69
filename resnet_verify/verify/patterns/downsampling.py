"""Where the network downsamples: a dilated ResNet (output stride 8 or 16: the last stages keep their
resolution and dilate their 3x3 convs, as DeepLab and timm's ``output_stride`` do) and a first stage
that downsamples although the stem's max pool already did."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, attr, conv_call, square
from resnet_verify.verify.patterns.width_stages import width_stages
from resnet_verify.verify.records import Finding, Mismatch, Pattern, Region


def _first(value: object) -> int:
    return int(value[0]) if isinstance(value, tuple) and value and isinstance(value[0], int) else 1


def output_stride(trace: Trace) -> int | None:
    """Input side / last block's output side along the last spatial axis (32 for a plain ResNet;
    the same for a 3-D net's width, whatever its time axis does). The input is what the first conv
    reads: a tracker's template cropped from the search image before the backbone runs on it, or an
    image resized first, is the map the backbone's strides divide."""
    blocks = trace.structure.blocks
    first = next((op for op in trace.ops if op.kind is OpKind.CONV and op.in_shapes), None)
    given = first.in_shapes[0] if first is not None else trace.input_shape
    out = blocks[-1].out_shape if blocks else ()
    if not blocks or len(out) != len(given) or len(given) < 3:
        return None
    side = out[-1]
    return round(given[-1] / side) if side else None


def _conv_attr(ctx: Context, field: str) -> list[tuple[int, Mismatch]]:
    return [
        (i, m)
        for i, m in enumerate(ctx.mismatches)
        if m.op_kind is OpKind.CONV
        and m.field == field
        and m.block is not None
        and m.reference_op is not None
        and m.candidate_op is not None
    ]


def _stage_name(trace: Trace, stage: int) -> str:
    stages = trace.structure.stages
    return (stages[stage].path if stage < len(stages) else "") or f"stage {stage + 1}"


def _ops(ctx: Context, hits: Sequence[tuple[int, Mismatch]]) -> list[tuple[OpRecord, OpRecord]]:
    return [(ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]) for _, m in hits]  # type: ignore[index]


def _resolution_only(m: Mismatch) -> bool:
    """An output of the same channels at another resolution: what a different output stride makes."""
    a, b = m.expected, m.actual
    return (
        m.field == "output_shape"
        and isinstance(a, tuple)
        and isinstance(b, tuple)
        and len(a) == len(b) > 2
        and a[:2] == b[:2]
        and a[2:] != b[2:]
    )


def detect_output_stride(ctx: Context) -> list[Finding]:
    strides = [(i, m) for i, m in _conv_attr(ctx, "stride") if 1 in (_first(m.expected), _first(m.actual))]
    dilated = _conv_attr(ctx, "dilation")
    os_r, os_c = output_stride(ctx.reference), output_stride(ctx.candidate)
    if not strides or not dilated or os_r is None or os_c is None or os_r == os_c:
        return []
    dilated_side_keeps = all(
        (_first(m.actual) > _first(m.expected)) == (os_c < os_r) for _, m in dilated
    )  # the side that keeps resolution is the side that dilates
    if not dilated_side_keeps:
        return []
    stages = sorted({m.block.stage for _, m in (*strides, *dilated) if m.block is not None})
    convs = {m.reference_op for _, m in dilated}
    # the stages' strides and dilations, and a head op sized to the map (ASPP's upsample)
    idx = ctx.indices(
        lambda m: (
            (
                m.block is not None
                and m.block.stage in stages
                and m.op_kind is OpKind.CONV
                and (m.field in ("stride", "dilation") or (m.field == "padding" and m.reference_op in convs))
            )
            or (m.region is Region.HEAD and _resolution_only(m))
        )
    )
    names = ", ".join(_stage_name(ctx.reference, s) for s in stages)
    keeps, other = ("candidate", "reference") if os_c < os_r else ("reference", "candidate")
    (r_s, c_s), (r_d, _) = _ops(ctx, strides[:1])[0], _ops(ctx, dilated[:1])[0]
    rate = max(max(_first(attr(c, "dilation")), _first(attr(r, "dilation"))) for r, c in _ops(ctx, dilated))
    message = (
        f"The {keeps} is a dilated ResNet: {names} {'keeps its' if len(stages) == 1 else 'keep their'} input resolution (stride 1 where the "
        f"{other} downsamples) and {'dilates its' if len(stages) == 1 else 'dilate their'} 3x3 convs (up to dilation {rate}), so its output stride is "
        f"{min(os_r, os_c)} where the {other}'s is {max(os_r, os_c)} (DeepLab-style; timm's output_stride). "
        f"Parameters are identical; its last feature maps are {_side(ctx, keeps)} where the {other}'s are "
        f"{_side(ctx, other)}."
    )
    site = ctx.site(c_s.module_path)
    fix = (
        f"{at(c_s.module_path, site)}: for output stride {os_r} as the reference, use "
        f"{conv_call(r_s, bias=bool(attr(r_s, 'bias')))} here (and the matching projection stride) and "
        f"{conv_call(r_d, bias=bool(attr(r_d, 'bias')))} at {r_d.module_path}, in {names}"
    )
    return [
        Finding(
            pattern=Pattern.OUTPUT_STRIDE,
            title=f"Dilated ResNet (output stride {min(os_r, os_c)})",
            message=message,
            locations=tuple(sorted({m.reference_path or "" for _, m in (*strides, *dilated)})),
            mismatches=idx,
            suggestion=fix,
            source=site,
        )
    ]


def _side(ctx: Context, who: str) -> str:
    trace = ctx.candidate if who == "candidate" else ctx.reference
    shape = trace.structure.blocks[-1].out_shape
    return "x".join(str(v) for v in shape[2:])


def _stage_factor(trace: Trace, stage: int) -> int:
    """How much a stage's main paths downsample, all its blocks together (the strides' product)."""
    if stage >= len(trace.structure.stages):
        return 1
    factor = 1
    for b in trace.structure.stages[stage].blocks:
        for o in trace.structure.blocks[b].main:
            op = trace.ops[o]
            if op.kind in (OpKind.CONV, OpKind.MAX_POOL, OpKind.AVG_POOL):
                factor *= _first(attr(op, "stride")) or 1
    return factor


def _first_stage_by_width(trace: Trace) -> int:
    """How much the first stage downsamples when a stage ends where a block changes the width: TF-slim's
    first block strides in its last unit, which the resolution cut reads as the next stage's start."""
    stages = width_stages(trace)
    factor = 1
    for b in stages[0] if stages else ():
        for o in b.main:
            if trace.ops[o].kind in (OpKind.CONV, OpKind.MAX_POOL, OpKind.AVG_POOL):
                factor *= _first(attr(trace.ops[o], "stride")) or 1
    return factor


def detect_first_stage_stride(ctx: Context) -> list[Finding]:
    hits = [
        (i, m)
        for i, m in _conv_attr(ctx, "stride")
        if m.block is not None and m.block.stage == 0 and _first(m.expected) != _first(m.actual)
    ]
    if not hits or _stage_factor(ctx.reference, 0) == _stage_factor(ctx.candidate, 0):
        return []  # both first stages downsample alike, the stride on another conv: not this cause
    if _first_stage_by_width(ctx.reference) == _first_stage_by_width(ctx.candidate):
        return []  # cut where the width changes, both first stages halve: the stride sits at another block
    strided = {m.block for _, m in hits}
    # a first block that downsamples needs a projection shortcut the other side's lacks
    projection = ctx.indices(
        lambda m: (
            m.block in strided
            and m.region is Region.SHORTCUT
            and m.field == "op"
            and (m.expected is None) != (m.actual is None)
        )
    )
    idx = ctx.indices(lambda m: m.block is not None and m.block.stage == 0 and m.field == "stride")
    idx = tuple(sorted({*idx, *projection}))
    r, c = _ops(ctx, hits[:1])[0]
    down, keeps = (
        ("candidate", "reference")
        if _first(attr(c, "stride")) > _first(attr(r, "stride"))
        else ("reference", "candidate")
    )
    stage = _stage_name(ctx.reference, 0)
    where = ", ".join(sorted({m.reference_path or "" for _, m in hits})[:4])
    message = (
        f"The {down}'s first stage ({stage}) downsamples (stride {square(attr(c if down == 'candidate' else r, 'stride'))} "
        f"at {where}) where the {keeps}'s keeps the stem's resolution, which the stem's pool already "
        f"halved. The candidate's later feature maps are {_ratio(ctx)} per side; "
        + (
            f"the strided block needs a projection shortcut (1x1 conv + BatchNorm) the {keeps}'s lacks."
            if projection
            else "parameters are identical."
        )
    )
    site = ctx.site(c.module_path)
    fix = (
        f"{at(c.module_path, site)}: build {stage} with the reference's stride: "
        f"{conv_call(r, bias=bool(attr(r, 'bias')))} (and the matching projection stride)"
    )
    return [
        Finding(
            pattern=Pattern.FIRST_STAGE_STRIDE,
            title="Downsampling in the first stage",
            message=message,
            locations=tuple(sorted({m.reference_path or "" for _, m in hits})),
            mismatches=idx,
            suggestion=fix,
            source=site,
        )
    ]


def _ratio(ctx: Context) -> str:
    r, c = output_stride(ctx.reference), output_stride(ctx.candidate)
    if not r or not c or r == c:
        return "a different size"
    return f"{r / c:g}x the reference's" if r > c else f"1/{c // r} of the reference's"
