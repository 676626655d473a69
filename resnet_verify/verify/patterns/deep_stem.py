"""ResNet-C deep stem: three 3x3 convs (the first strided) in place of one 7x7 stride-2 conv.

The C, D, E, S and T variants ("Bag of Tricks", https://arxiv.org/abs/1812.01187; timm's ``ResNet``
docstring) all replace the 7x7 conv by a stack of 3x3 convs that ends at the same 1/2 resolution;
they differ in the stack's widths, which is how the finding names them.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import (
    Context,
    at,
    attr,
    conv_call,
    dims,
    pool_call,
    square,
    strided,
)
from resnet_verify.verify.records import Finding, MismatchKind, Pattern, Region

# Stem widths of the published deep stems, as timm's ResNet docstring lists them.
_VARIANTS: dict[tuple[int, ...], str] = {
    (32, 32, 64): "ResNet-C",  # ResNet-D's stem too
    (64, 64, 128): "ResNet-S",  # ResNet-E's stem too
    (24, 48, 64): "ResNet-T",
    (24, 32, 64): "ResNet-TN",
}


def stem_convs(trace: Trace) -> list[OpRecord]:
    """The stem's convs up to its first pool (a pool ends the part a deep stem replaces)."""
    out: list[OpRecord] = []
    for o in trace.structure.stem:
        op = trace.ops[o]
        if op.kind in (OpKind.MAX_POOL, OpKind.AVG_POOL):
            break
        if op.kind is OpKind.CONV:
            out.append(op)
    return out


def is_deep(stem: Sequence[OpRecord]) -> bool:
    """Two or more 3x3 convs, the first of them strided and no later one."""
    return (
        len(stem) >= 2
        and all(attr(op, "kernel_size") == (3, 3) for op in stem)
        and strided(stem[0])
        and not any(strided(op) for op in stem[1:])
    )


def _is_single(stem: Sequence[OpRecord]) -> bool:
    return len(stem) == 1 and strided(stem[0])


def _widths(stem: Sequence[OpRecord]) -> tuple[int, ...]:
    return tuple(int(w) for op in stem if isinstance(w := attr(op, "out_channels"), int))


def _describe(stem: Sequence[OpRecord]) -> str:
    if not is_deep(stem):
        k, s = dims(stem[0], "kernel_size"), dims(stem[0], "stride")
        return f"a single {k} stride-{s.split('x')[0]} conv ({attr(stem[0], 'in_channels')}->{_widths(stem)[-1]})"
    widths = _widths(stem)
    flow = "->".join(str(w) for w in (attr(stem[0], "in_channels"), *widths))
    return f"a {_name(stem)} ({len(stem)} 3x3 convs {flow}, the first with stride 2)"


def _name(stem: Sequence[OpRecord]) -> str:
    variant = _VARIANTS.get(_widths(stem))
    return f"{variant} deep stem" if variant else "deep stem"


def stem_recipe(trace: Trace, *, with_pool: bool = False) -> str:
    """A stem up to its pool (``with_pool``: and the pool), spelled as layers (conv, BN, ReLU)."""
    parts: list[str] = []
    for o in trace.structure.stem:
        op = trace.ops[o]
        if op.kind in (OpKind.MAX_POOL, OpKind.AVG_POOL):
            parts += [pool_call(op)] if with_pool else []
            break
        if op.kind is OpKind.CONV:
            parts.append(conv_call(op, bias=bool(attr(op, "bias"))))
        elif op.kind is OpKind.BATCH_NORM:
            parts.append(f"BatchNorm2d({attr(op, 'num_features')})")
        elif op.kind is OpKind.RELU:
            parts.append("ReLU")
        elif op.kind is OpKind.PAD:
            parts.append(f"ZeroPad2d({square(attr(op, 'pad'))})")
    return ", ".join(parts)


def _first_block_params(ctx: Context) -> tuple[int, ...]:
    """Parameter deltas of first-block layers that read the stem's output: a deep stem of another
    output width (ResNet-S: 128) changes their input channels and nothing else."""
    blocks = ctx.candidate.structure.blocks
    if not blocks:
        return ()
    fork = blocks[0].fork_op
    return ctx.indices(
        lambda m: (
            m.kind is MismatchKind.PARAMS
            and m.candidate_op is not None
            and fork in ctx.candidate.ops[m.candidate_op].inputs
        )
    )


def _pool_conv(trace: Trace, stem: list[OpRecord]) -> tuple[list[OpRecord], OpRecord | None]:
    """A stem with no pool whose last conv strides after a deep stack (timm's ``tiered`` / ResNet-RS
    style stems): the stack, and the conv that downsamples in place of the max pool."""
    pooled = any(trace.ops[o].kind in (OpKind.MAX_POOL, OpKind.AVG_POOL) for o in trace.structure.stem)
    if pooled or len(stem) < 3 or not strided(stem[-1]) or not is_deep(stem[:-1]):
        return stem, None
    return stem[:-1], stem[-1]


def detect_deep_stem(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    (rc, r_pool), (cc, c_pool) = _pool_conv(ref, stem_convs(ref)), _pool_conv(cand, stem_convs(cand))
    if not rc or not cc or not cand.structure.blocks:
        return []
    deep_r, deep_c = is_deep(rc), is_deep(cc)
    differs = (deep_r and _is_single(cc)) or (deep_c and _is_single(rc))
    # both deep: a named variant only where each stack is a published one (ResNet-S against ResNet-C); a
    # width of the user's own in one stack is an edit of it, described
    differs |= (
        deep_r and deep_c and _widths(rc) != _widths(cc) and {_widths(rc), _widths(cc)} <= set(_VARIANTS)
    )
    if not differs:
        return []
    idx = tuple(sorted({*ctx.indices(lambda m: m.region is Region.STEM), *_first_block_params(ctx)}))
    if not idx:
        return []
    path = cc[0].module_path
    site = ctx.site(path)
    wr, wc = _widths(rc)[-1:], _widths(cc)[-1:]
    width = (
        "the same width" if wr == wc else f"{wc[0] if wc else '?'} instead of {wr[0] if wr else '?'} channels"
    )
    pools = {"candidate": c_pool, "reference": r_pool}
    instead = "".join(
        f" The {side} downsamples with a stride-2 {dims(op, 'kernel_size')} conv where the other has its max pool."
        for side, op in pools.items()
        if op is not None
    )
    message = (
        f"The candidate's stem is {_describe(cc)} where the reference's is {_describe(rc)}. Both reach "
        f"1/{_total_stride(rc)} resolution, with {width}; stem parameters, receptive field and outputs differ."
        + instead
    )
    title = _name(cc if deep_c else rc)
    return [
        Finding(
            pattern=Pattern.DEEP_STEM,
            title=title[0].upper() + title[1:],
            message=message,
            locations=tuple(op.module_path or "stem" for op in rc),
            mismatches=idx,
            suggestion=f"{at(path, site)}: build the stem as the reference does: {stem_recipe(ref)}",
            source=site,
        )
    ]


def _total_stride(stem: Sequence[OpRecord]) -> int:
    total = 1
    for op in stem:
        stride = attr(op, "stride")
        total *= stride[0] if isinstance(stride, tuple) and stride else 1
    return total
