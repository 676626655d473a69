"""Whole-model verdicts: a network of another architecture family, or another member of the ResNet
family (a CIFAR ResNet-6n+2 against an ImageNet ResNet). Layer-by-layer differences between such
models are real but explain nothing, so one verdict claims them all and the report keeps a few.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import Block, OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, attr, conv_call, convs, first_op
from resnet_verify.verify.records import Finding, Mismatch, Pattern

VERDICT_MISMATCHES = 20  # how many raw mismatches a verdict keeps for the report
_ATTENTION = frozenset(
    {
        "softmax",
        "matmul",
        "bmm",
        "baddbmm",
        "einsum",
        "multi_head_attention_forward",
        "scaled_dot_product_attention",
    }
)


def _block_ops(trace: Trace) -> list[OpRecord]:
    return [trace.ops[o] for b in trace.structure.blocks for o in (*b.main, *b.shortcut)]


def _no_merges(trace: Trace) -> bool:
    return trace.crash is None and not trace.structure.blocks


def _full_spatial(op: OpRecord) -> bool:
    kernel = attr(op, "kernel_size")
    groups, channels = attr(op, "groups"), attr(op, "in_channels")
    spatial = isinstance(kernel, tuple) and max(kernel, default=1) > 1
    return op.kind is OpKind.CONV and spatial and (groups != channels or channels == 1)


def _conv_blocks(trace: Trace) -> bool:
    """Most residual blocks have a spatial convolution that is not depthwise on their main path:
    the ResNet / ResNeXt anatomy, whatever else the block does."""
    blocks = trace.structure.blocks
    full = sum(any(_full_spatial(trace.ops[o]) for o in b.main) for b in blocks)
    return bool(blocks) and 2 * full >= len(blocks)


def _conv_bottlenecks(trace: Trace) -> bool:
    """Most blocks run convs on 4-D feature maps along their main path (1x1s around whatever mixes
    space: BoTNet / HaloNet / LambdaNet put attention where the 3x3 was). A ViT block works on
    tokens and has no conv in its blocks at all."""
    blocks = trace.structure.blocks
    convy = sum(
        any(trace.ops[o].kind is OpKind.CONV for o in b.main) and len(b.in_shape) == 4 for b in blocks
    )
    return bool(blocks) and 2 * convy >= len(blocks)


def _same_skeleton(ref: Trace, cand: Trace) -> bool:
    """Same blocks per stage at the same resolutions: the reference's design with its block convs
    changed (made depthwise, say, ResNeXt taken to one channel per group) or its widths, each a
    difference to describe, not another family. (ConvNeXt's 3:3:9:3 stages, MobileNet's seven are
    another skeleton.)"""
    rs, cs = ref.structure.stages, cand.structure.stages
    return (
        bool(rs)
        and [len(s.blocks) for s in rs] == [len(s.blocks) for s in cs]
        and [s.out_shape[2:] for s in rs] == [s.out_shape[2:] for s in cs]
    )


def _depthwise(trace: Trace) -> bool:
    return any(
        op.kind is OpKind.CONV and attr(op, "groups") == attr(op, "in_channels") != 1
        for op in _block_ops(trace)
    )


def _token_mixing(trace: Trace) -> bool:
    for op in _block_ops(trace):
        if op.kind is OpKind.LINEAR and op.in_shapes and len(op.in_shapes[0]) > 2:
            return True  # a Linear per position (transformer MLP / ConvNeXt), not an SE's on pooled (N, C)
        if op.kind is OpKind.OTHER and attr(op, "function") in _ATTENTION:
            return True
    return False


def _width_ratios(trace: Trace) -> list[float]:
    w = [s.out_shape[1] for s in trace.structure.stages if len(s.out_shape) > 1]
    return [b / a for a, b in itertools.pairwise(w) if a]


def _pooled_stem(trace: Trace) -> bool:
    return first_op(trace, trace.structure.stem, OpKind.MAX_POOL) is not None


def _channel_concat(op: OpRecord) -> bool:
    """Feature maps joined along their channels (DenseNet's concat): not a stack of time steps
    (a spiking network's ``torch.stack`` over T) nor of predictions."""
    out = op.out_shape or ()
    if op.kind is not OpKind.CAT or len(op.in_shapes) < 2 or len(out) < 3:
        return False
    return all(len(s) == len(out) and s[2:] == out[2:] for s in op.in_shapes) and out[1] == sum(
        s[1] for s in op.in_shapes
    )


def _traits(ref: Trace, cand: Trace) -> list[str]:
    """What makes one side another kind of network than the other, in words about the candidate."""
    out = []
    if _no_merges(cand) != _no_merges(ref) and ref.structure.blocks:
        cat = any(_channel_concat(op) for op in cand.ops)
        out.append(
            "it has no residual additions" + (" (it concatenates feature maps instead)" if cat else "")
        )
    elif _no_merges(ref) and cand.structure.blocks:
        out.append("it has residual additions where the reference has none")
    # Structure first: blocks built around full spatial convolutions are ResNet blocks whatever they
    # add (selective-kernel or split attention, a blur filter, a global-context gate); only a
    # network whose blocks lack them (MobileNet, ConvNeXt, ViT) is another family.
    both_resnets = (_conv_blocks(ref) and _conv_blocks(cand)) or _same_skeleton(ref, cand)
    # Attention between 1x1 convs on feature maps is a ResNet bottleneck with its 3x3 replaced
    # (BoTNet, HaloNet, LambdaNet): described block by block. Depthwise blocks stay another family.
    bottlenecks = _conv_bottlenecks(ref) and _conv_bottlenecks(cand)
    for test, words, excused in (
        (_depthwise, "depthwise convolutions (MobileNet / EfficientNet / ConvNeXt style)", both_resnets),
        (
            _token_mixing,
            "attention or per-position Linear layers (ViT / Swin style)",
            both_resnets or bottlenecks,
        ),
    ):
        if test(cand) != test(ref) and not excused:
            out.append(f"its blocks {'use' if test(cand) else 'lack'} {words}")
    return out


def describe(trace: Trace) -> str:
    """``4 stages of [3, 4, 6, 3] Bottlenecks, 256/512/1024/2048 wide``, read from a trace."""
    s = trace.structure
    if not s.blocks:
        return f"a network without residual blocks ({trace.model_type})"
    counts = [len(st.blocks) for st in s.stages]
    widths = "/".join(str(st.out_shape[1]) for st in s.stages if len(st.out_shape) > 1)
    n = {len(convs(trace, b.main)) for b in s.blocks}
    kind = {2: "BasicBlocks", 3: "Bottlenecks"}.get(next(iter(n)), "blocks") if len(n) == 1 else "blocks"
    return f"{len(counts)} stages of {counts} {kind}, {widths} wide"


def detect_not_residual(ctx: Context) -> list[Finding]:
    traits = _traits(ctx.reference, ctx.candidate)
    if not traits:
        return []
    return [
        Finding(
            pattern=Pattern.NOT_RESIDUAL,
            title="Not a residual network of this kind",
            message=f"The candidate ({ctx.candidate.model_type}) is another kind of network than the reference "
            f"({describe(ctx.reference)}): {'; '.join(traits)}. Its layer-by-layer differences are not "
            f"defects to fix one by one, so only the first {VERDICT_MISMATCHES} are kept.",
            locations=(ctx.reference.structure.stem_path or "model",),
            mismatches=tuple(range(len(ctx.mismatches))),
            suggestion="compare it with a reference of its own architecture (a torchvision:NAME, timm:NAME or "
            "FILE.py:CALLABLE spec)",
            verdict=True,
        )
    ]


def _basic(trace: Trace, block: Block) -> bool:
    cs = convs(trace, block.main)
    return len(cs) == 2 and all(attr(c, "kernel_size") == (3, 3) for c in cs)


def _bottleneck(trace: Trace, block: Block) -> bool:
    cs = convs(trace, block.main)
    kernels = [attr(c, "kernel_size") for c in cs]
    return len(cs) == 3 and kernels[0] == kernels[2] == (1, 1) and kernels[1] == (3, 3)


def cifar_depth(trace: Trace) -> int | None:
    """The depth of a CIFAR ResNet (a 3x3 stride-1 stem without pooling, three stages of n blocks,
    each stage wider than the one before): 6n + 2 with BasicBlocks (ResNet-56, WRN), 9n + 2 with
    bottlenecks (PreResNet-164, PyramidNet-272); else None. Widths may double per stage or grow a
    little every block (PyramidNet)."""
    s = trace.structure
    stem = convs(trace, s.stem)
    if len(s.stages) != 3 or len(stem) != 1 or _pooled_stem(trace):
        return None
    if attr(stem[0], "kernel_size") != (3, 3) or attr(stem[0], "stride") != (1, 1):
        return None
    n = {len(st.blocks) for st in s.stages}
    if len(n) != 1 or any(r <= 1.0 for r in _width_ratios(trace)):
        return None
    if all(_basic(trace, b) for b in s.blocks):
        return 6 * next(iter(n)) + 2
    if all(_bottleneck(trace, b) for b in s.blocks):
        return 9 * next(iter(n)) + 2
    return None


def _shortcut_kind(trace: Trace) -> str:
    projected = [b for b in trace.structure.blocks if b.in_shape[1:2] != b.out_shape[1:2]]
    if not projected:
        return "identity"
    if any(trace.ops[o].kind is OpKind.CONV for o in projected[0].shortcut):
        return "projection (option B)"
    return "zero-padded (option A)"


def detect_cifar_resnet(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    depth = cifar_depth(cand)
    if depth is None or len(ref.structure.stages) == len(cand.structure.stages):
        return []
    if any(r <= 1.0 for r in _width_ratios(ref)):
        return []  # stages that keep their width (a concatenation read as a stage end) are no family member
    stem = convs(ref, ref.structure.stem)
    pool = first_op(ref, ref.structure.stem, OpKind.MAX_POOL)
    ref_stem = (conv_call(stem[0]) if stem else "its stem") + (" + max pool" if pool else "")
    return [
        Finding(
            pattern=Pattern.CIFAR_RESNET,
            title="A different ResNet: the CIFAR family",
            message=f"The candidate is a CIFAR ResNet-{depth} ({describe(cand)}, a 3x3 stride-1 stem without "
            f"pooling, {_shortcut_kind(cand)} shortcuts), a different member of the ResNet family than the "
            f"reference ({describe(ref)}, stem {ref_stem}, {_shortcut_kind(ref)} shortcuts). Its stages are "
            f"paired with the reference's by width and resolution progression; the per-layer differences "
            f"follow from the design.",
            locations=(ref.structure.stem_path or "model",),
            mismatches=tuple(range(len(ctx.mismatches))),
            suggestion=f"compare it with a CIFAR ResNet-{depth} reference (a FILE.py:CALLABLE spec); to build the "
            f"reference instead use {describe(ref)} after {ref_stem}",
            verdict=True,
        )
    ]


def keep_for_verdict(
    mismatches: Sequence[Mismatch], findings: Sequence[Finding]
) -> tuple[tuple[Mismatch, ...], tuple[Finding, ...], int]:
    """Under a verdict, the first :data:`VERDICT_MISMATCHES` mismatches and how many were dropped."""
    if not any(f.verdict for f in findings) or len(mismatches) <= VERDICT_MISMATCHES:
        return tuple(mismatches), tuple(findings), 0
    kept = tuple(
        m if m.cause is None or m.cause < VERDICT_MISMATCHES else replace(m, cause=None)
        for m in mismatches[:VERDICT_MISMATCHES]
    )
    out = tuple(
        replace(f, mismatches=tuple(i for i in f.mismatches if i < VERDICT_MISMATCHES)) for f in findings
    )
    return kept, out, len(mismatches) - VERDICT_MISMATCHES
