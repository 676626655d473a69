"""ResNet-D average-pool shortcut: the projection downsamples with a 2x2 average pool, then a
stride-1 1x1 conv, instead of a stride-2 1x1 conv ("Bag of Tricks", https://arxiv.org/abs/1812.01187;
timm's ``avg_down``)."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import Block, OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, attr, conv_call, square, strided, under
from resnet_verify.verify.patterns.deep_stem import is_deep, stem_convs
from resnet_verify.verify.records import Finding, Pattern, Region


def _projection(trace: Trace, block: Block) -> tuple[OpRecord | None, OpRecord | None]:
    """(the pool before the shortcut's conv, the conv): (None, None) for an identity shortcut."""
    pool: OpRecord | None = None
    for o in block.shortcut:
        op = trace.ops[o]
        if op.kind is OpKind.AVG_POOL and strided(op):
            pool = op
        elif op.kind is OpKind.CONV:
            return pool, op
    return None, None


def _style(trace: Trace, block: Block) -> str | None:
    """ "avg" for pool + stride-1 1x1 conv, "strided" for a stride-2 1x1 conv, else None."""
    pool, conv = _projection(trace, block)
    kernel = attr(conv, "kernel_size") if conv is not None else None
    if conv is None or not isinstance(kernel, tuple) or set(kernel) != {1}:  # a 1x1 (or 1, 1x1x1) conv
        return None
    if pool is not None and not strided(conv):
        return "avg"
    return "strided" if pool is None and strided(conv) else None


def _pool_call(op: OpRecord) -> str:
    args = [str(square(attr(op, "kernel_size"))), f"stride={square(attr(op, 'stride'))}"]
    if attr(op, "padding") not in (None, (0, 0)):
        args.append(f"padding={square(attr(op, 'padding'))}")
    for key, default in (("ceil_mode", False), ("count_include_pad", True)):
        if attr(op, key) != default:
            args.append(f"{key}={attr(op, key)}")
    kernel = attr(op, "kernel_size")
    return f"AvgPool{len(kernel) if isinstance(kernel, tuple) else 2}d({', '.join(args)})"


def _describe(style: str, pool: OpRecord | None, conv: OpRecord) -> str:
    if style == "avg" and pool is not None:
        return f"the ResNet-D average-pool shortcut ({_pool_call(pool)}, then a stride-1 {_ones(conv)} conv)"
    return f"a stride-{square(attr(conv, 'stride'))} {_ones(conv)} conv (ResNet-B, torchvision)"


def _ones(conv: OpRecord) -> str:
    kernel = attr(conv, "kernel_size")
    return "x".join("1" for _ in kernel) if isinstance(kernel, tuple) else "1x1"


def _hits(ctx: Context) -> list[tuple[Block, Block]]:
    out = []
    for _, a, b in ctx.paired_blocks():
        sa, sb = _style(ctx.reference, a), _style(ctx.candidate, b)
        if sa and sb and sa != sb:
            out.append((a, b))
    return out


def _fix(ctx: Context, a: Block, site: str) -> str:
    pool, conv = _projection(ctx.reference, a)
    assert conv is not None
    call = conv_call(conv, bias=bool(attr(conv, "bias")))
    if pool is None:
        return f"{site}: drop the pool and give the 1x1 projection the stride: {call}, in each projection"
    return f"{site}: pool first, then a stride-1 1x1 conv: {_pool_call(pool)}, {call}, in each projection"


def detect_avg_pool_shortcut(ctx: Context) -> list[Finding]:
    hits = _hits(ctx)
    if not hits:
        return []
    paths = [a.path for a, _ in hits]
    idx = ctx.indices(
        lambda m: m.region is Region.SHORTCUT and any(under(m.reference_path, p) for p in paths)
    )
    if not idx:
        return []
    a, b = hits[0]
    rp, rconv = _projection(ctx.reference, a)
    cp, cconv = _projection(ctx.candidate, b)
    assert rconv is not None and cconv is not None
    rs, cs = _style(ctx.reference, a) or "", _style(ctx.candidate, b) or ""
    deep = _deep_stem_note(ctx.candidate if cs == "avg" else ctx.reference)
    message = (
        f"At {_list(paths)} the candidate's projection shortcut is {_describe(cs, cp, cconv)} where the "
        f"reference's is {_describe(rs, rp, rconv)}{deep}. A strided 1x1 conv drops {_dropped(rconv, cconv)} "
        "activations; the pool averages them first. Shapes and parameter counts are identical; outputs "
        "are not."
    )
    culprit = (cp or cconv).module_path
    site = ctx.site(culprit)
    return [
        Finding(
            pattern=Pattern.AVG_DOWN,
            title="ResNet-D average-pool shortcut",
            message=message,
            locations=tuple(paths),
            mismatches=idx,
            suggestion=_fix(ctx, a, at(culprit, site)),
            source=site,
        )
    ]


def _dropped(*convs: OpRecord) -> str:
    """``3 of every 4`` for a 2-D stride 2, ``1 of every 2`` for a 1-D one."""
    stride = next((attr(c, "stride") for c in convs if strided(c)), None)
    n = 1
    for s in stride if isinstance(stride, tuple) else (2, 2):
        n *= int(s)
    return f"{n - 1} of every {n}"


def _deep_stem_note(trace: Trace) -> str:
    return " (with its deep stem that model is ResNet-D)" if is_deep(stem_convs(trace)) else ""


def _list(paths: Sequence[str]) -> str:
    return ", ".join(paths[:6]) + (f" and {len(paths) - 6} more" if len(paths) > 6 else "")
