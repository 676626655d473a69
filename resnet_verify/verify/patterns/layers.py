"""Per-layer variants: conv bias before BN, a projection without BN, a grouped 1x1 conv."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, OpRecord
from resnet_verify.verify.dead_ops import FIELD as DEAD_FIELD
from resnet_verify.verify.patterns.context import Context, at, attr, consumers, conv_call, under
from resnet_verify.verify.records import BlockPair, Finding, Mismatch, MismatchKind, Pattern, Region


def _mean_norm(op: OpRecord) -> str | None:
    """The norm's name when it subtracts a per-channel mean (a bias before it cancels): BatchNorm,
    InstanceNorm, or a GroupNorm of one channel per group; else None."""
    a = dict(op.attrs)
    if op.kind is OpKind.BATCH_NORM:
        return "BatchNorm"
    if op.kind is not OpKind.NORM:
        return None
    channels = op.in_shapes[0][1] if op.in_shapes and len(op.in_shapes[0]) > 1 else None
    if a.get("norm") == "instance_norm":
        return "InstanceNorm"
    if a.get("norm") == "group_norm" and channels is not None and a.get("num_groups") == channels:
        return "GroupNorm"
    return None


def _keeps_channel_constants(op: OpRecord) -> bool:
    """A per-channel constant in its input is one in its output: a difference or sum of two maps inside
    a layer (a central-difference conv's ``conv(x) - theta * conv_1x1(x)``), a scale by a number. Not a
    residual add: a skip stream's constant reaches more than the next norm."""
    a = dict(op.attrs)
    function = a.get("function")
    if op.kind is not OpKind.OTHER:
        return False
    if function in ("sub", "rsub", "add") and len(op.inputs) == 2 and len(set(op.in_shapes[:2])) == 1:
        return True
    return function in ("mul", "div", "neg") and len(op.inputs) == 1


def detect_conv_bias(ctx: Context) -> list[Finding]:
    cand = ctx.candidate

    def norm_after(op_id: int | None, depth: int = 0) -> str | None:
        if op_id is None:
            return None
        for c in consumers(cand, op_id, through_layout=True):
            name = _mean_norm(c)
            if name is None and depth < 3 and _keeps_channel_constants(c):
                name = norm_after(c.id, depth + 1)
            if name is not None:
                return name
        return None

    def conv(m: Mismatch) -> bool:  # a conv, or a transposed one (an up-sampling head's deconv)
        if m.op_kind is OpKind.CONV:
            return True
        op = cand.ops[m.candidate_op] if m.candidate_op is not None else None
        return op is not None and str(dict(op.attrs).get("function", "")).startswith("conv_transpose")

    bias = ctx.indices(
        lambda m: (
            conv(m)
            and m.field == "bias"
            and m.actual is True
            and m.expected is False
            and norm_after(m.candidate_op) is not None
        )
    )
    if not bias:
        return []
    first = ctx.mismatches[bias[0]]
    paths = sorted({ctx.mismatches[i].reference_path or "" for i in bias})
    norms = sorted({norm_after(ctx.mismatches[i].candidate_op) or "" for i in bias})
    norm = " / ".join(norms)
    # counted by bias tensor: a central-difference conv's two convs share one bias (one layer)
    held = {
        p
        for i in bias
        for o in (ctx.mismatches[i].candidate_op,)
        if o is not None
        for p in cand.ops[o].params
    }
    count = len({p for p in held if p.endswith("bias")}) or len(bias)
    return [
        Finding(
            pattern=Pattern.BIAS_BEFORE_BN,
            title=f"Conv bias before {norm}",
            message=f"{count} convolutions followed by {norm} have bias=True: the norm's mean subtraction cancels "
            f"the bias, so it is dead weight (and the state_dict no longer matches the reference's).",
            locations=tuple(paths)[:8],
            mismatches=bias,
            suggestion=f"{at(first.candidate_path, first.source)}: pass bias=False to every conv that feeds a {norm}",
            source=first.source,
        )
    ]


def _projects_both(ctx: Context, pair: BlockPair | None) -> bool:
    """Both blocks of the pair run a conv on their shortcut (an identity shortcut has no BN to lose)."""
    if pair is None or pair.reference is None or pair.candidate is None:
        return False
    sides = ((ctx.reference, pair.reference), (ctx.candidate, pair.candidate))
    return all(any(t.ops[o].kind is OpKind.CONV for o in t.structure.blocks[b].shortcut) for t, b in sides)


def _built_not_called(ctx: Context, blocks: set[BlockPair | None]) -> tuple[str, tuple[int, ...]]:
    """The candidate's unused parameters when every one is a 1-D tensor inside the blocks whose
    projection lacks its BN (a ``down_bn`` built in ``__init__``, never called in ``forward``): the
    same cause, said with it. ("", ()) otherwise."""
    cand = ctx.candidate
    paths = [
        cand.structure.blocks[b.candidate].path for b in blocks if b is not None and b.candidate is not None
    ]
    used = {p for op in cand.ops for p in op.params}
    unused = [p for p in cand.params if not p.is_buffer and p.name not in used and not set(p.aliases) & used]
    if not unused or not paths:
        return "", ()
    inside = all(len(p.shape) == 1 and any(p.name.startswith(b + ".") for b in paths if b) for p in unused)
    idx = ctx.indices(lambda m: m.region is Region.MODEL and m.field == "params" and m.expected == 0)
    if not inside or len(idx) != 1:
        return "", ()
    modules = sorted({p.name.rpartition(".")[0] for p in unused})
    return ", ".join(modules[:3]) + (" ..." if len(modules) > 3 else ""), idx


def _projection_bns_lost(ctx: Context) -> tuple[int, ...]:
    """The shortcut BNs missing, or computed with their result never read (``self.bn_sc(shortcut)`` not
    assigned): the model as built projects without them either way."""
    idx = ctx.indices(
        lambda m: (
            m.region is Region.SHORTCUT
            and m.op_kind is OpKind.BATCH_NORM
            and ((m.field == "op" and m.actual is None) or (m.field == DEAD_FIELD and m.actual is False))
        )
    )
    # The whole signature: the projection conv is there on both sides and only its BN is not. A
    # shortcut conv that is itself extra or missing is another difference (an added projection).
    lone = {
        m.block
        for m in ctx.mismatches
        if m.region is Region.SHORTCUT
        and m.op_kind is OpKind.CONV
        and m.field == "op"
        and (m.expected is None) != (m.actual is None)
    }
    return tuple(
        i
        for i in idx
        if ctx.mismatches[i].block not in lone
        and _projects_both(ctx, ctx.mismatches[i].block)
        and _after_conv(ctx, ctx.mismatches[i].reference_op)
    )


def _after_conv(ctx: Context, bn: int | None) -> bool:
    """The BN normalises the projection conv's output: a BN-ReLU before the projection (a pre-activation
    block's, read on the shortcut where the other side runs it before the fork) is no projection's BN."""
    if bn is None:
        return True  # (a BN computed but unread: its own mismatch is the candidate's)
    ops, todo, seen = ctx.reference.ops, list(ctx.reference.ops[bn].inputs), set()
    while todo:  # through a concat of projections (shake-shake's two half-width convs) and layout ops
        i = todo.pop()
        if i < 0 or i in seen:
            continue
        seen.add(i)
        if ops[i].kind is OpKind.CONV:
            return True
        if ops[i].kind in (OpKind.CAT, OpKind.RESHAPE, OpKind.FLATTEN):
            todo.extend(ops[i].inputs)
    return False


def detect_projection_without_bn(ctx: Context) -> list[Finding]:
    idx = _projection_bns_lost(ctx)
    if not idx:
        return []
    ref = ctx.reference
    first = ctx.mismatches[idx[0]]
    bn = ref.ops[first.reference_op] if first.reference_op is not None else None
    conv = next(
        (ref.ops[o] for o in (bn.inputs if bn else ()) if o >= 0 and ref.ops[o].kind is OpKind.CONV), None
    )
    width = attr(conv, "out_channels") if conv else "out"
    # A projection without its BN keeps the conv's default bias (nothing would cancel it): the bias
    # and the parameters it adds belong to the same port, not to a second cause.
    blocks = {ctx.mismatches[i].block for i in idx}
    bias = ctx.indices(
        lambda m: (
            m.block in blocks
            and m.region is Region.SHORTCUT
            and m.op_kind is OpKind.CONV
            and m.field in ("bias", "params")
        )
    )
    biased = " Its conv has a bias (bias=True) where the reference's has none: there the BN's shift takes its place."
    built, uncalled = _built_not_called(ctx, blocks)
    dead_ops = {ctx.mismatches[i].candidate_op for i in idx if ctx.mismatches[i].field == DEAD_FIELD} - {None}
    dead = {ctx.candidate.ops[o].module_path for o in dead_ops if o is not None}
    # the unread BN's op, extra outside the blocks (it is off the data path): the same BN
    unread = ctx.indices(lambda m: m.field == "op" and m.expected is None and m.candidate_op in dead_ops)
    return [
        Finding(
            pattern=Pattern.PROJECTION_WITHOUT_BN,
            title="Projection shortcut without BatchNorm",
            message="The 1x1 projection shortcut has no BatchNorm after its conv; the reference's is conv1x1 + BatchNorm2d."
            + (biased if bias else "")
            + (f" The BatchNorms are built ({built}) but never called in forward." if built else "")
            + (
                f" The BatchNorms ({', '.join(sorted(p or '' for p in dead))}) are computed but their results never "
                "used."
                if dead
                else ""
            ),
            locations=tuple(sorted({ctx.mismatches[i].reference_path or "" for i in idx})),
            mismatches=tuple(sorted({*idx, *bias, *uncalled, *unread})),
            suggestion=f"{at(None, first.source)}: use nn.Sequential(Conv2d(in, {width}, 1, stride, bias=False), "
            f"BatchNorm2d({width})) as the projection",
            source=first.source,
        )
    ]


def detect_grouped_1x1(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate

    def both_1x1(m: Mismatch) -> bool:  # a 1x1 paired with a depthwise kxk is no grouped 1x1
        return (
            m.reference_op is not None
            and m.candidate_op is not None
            and attr(ref.ops[m.reference_op], "kernel_size") == (1, 1)
            and attr(cand.ops[m.candidate_op], "kernel_size") == (1, 1)
        )

    grouped = ctx.indices(
        lambda m: (
            m.op_kind is OpKind.CONV
            and m.field == "groups"
            and m.kind is MismatchKind.ATTRIBUTE
            and both_1x1(m)
        )
    )
    if not grouped:
        return []
    first = ctx.mismatches[grouped[0]]
    return [
        Finding(
            pattern=Pattern.GROUPED_1X1,
            title="Grouped 1x1 convolution",
            message=f"A 1x1 conv uses groups={first.actual} where the reference has groups={first.expected}: channels no "
            f"longer mix across groups and the parameter count changes.",
            locations=tuple(sorted({ctx.mismatches[i].reference_path or "" for i in grouped})),
            mismatches=grouped,
            suggestion=f"{at(first.candidate_path, first.source)}: use groups={first.expected} on the 1x1 conv (groups belong "
            f"on the 3x3 in ResNeXt)",
            source=first.source,
        )
    ]


def _widening_1x1(conv: OpRecord) -> bool:
    """Option B's projection: a 1x1 conv that widens (option A zero-pads exactly those new channels);
    another conv on a misaligned block's skip side is no projection to compare against."""
    kernel = attr(conv, "kernel_size")
    widens = attr(conv, "in_channels") != attr(conv, "out_channels")
    return isinstance(kernel, tuple) and set(kernel) == {1} and widens


def detect_option_a_shortcut(ctx: Context) -> list[Finding]:
    """A parameter-free projection (He et al. option A: subsample, zero-pad the new channels)
    where the reference projects with a 1x1 conv (option B)."""
    ref, cand = ctx.reference, ctx.candidate
    blocks: dict[str, OpRecord] = {}
    into: set[int] = set()  # main-path channel slices the shortcut is added into, in place
    for _, a, b in ctx.paired_blocks():
        conv = next((ref.ops[o] for o in a.shortcut if ref.ops[o].kind is OpKind.CONV), None)
        kinds = {cand.ops[o].kind for o in b.shortcut}
        if any(
            cand.ops[o].params and cand.ops[o].kind not in (OpKind.BATCH_NORM, OpKind.NORM)
            for o in b.shortcut
        ):
            continue  # learned weights on the skip side: a projection written otherwise, not option A
        # the new channels zero-padded (pad, cat) or left alone by adding into the leading ones
        # (``out[:, :c] += x[:, :, ::2, ::2]``): the same sum
        written = {o for o in b.main if cand.ops[o].kind is OpKind.SLICE and b.merge_op is not None
                   and o in cand.ops[b.merge_op].inputs}  # fmt: skip
        if (
            conv is not None
            and _widening_1x1(conv)
            and OpKind.CONV not in kinds
            and (kinds & {OpKind.PAD, OpKind.SLICE, OpKind.CAT} or written)
        ):
            blocks[a.path] = conv
            into |= written
    if not blocks:
        return []
    idx = ctx.indices(
        lambda m: (
            (
                m.region is Region.SHORTCUT
                and m.block is not None
                and any(under(m.reference_path, p) for p in blocks)
            )
            or (m.candidate_op in into and m.reference_op is None)
        )
    )
    first = ctx.mismatches[idx[0]] if idx else None
    conv = next(iter(blocks.values()))
    width = attr(conv, "out_channels")
    widths = ", ".join(
        f"{attr(c, 'in_channels')}->{attr(c, 'out_channels')}" for c in list(blocks.values())[1:]
    )
    return [
        Finding(
            pattern=Pattern.OPTION_A_SHORTCUT,
            title="Zero-padded (option A) shortcuts",
            message=f"{len(blocks)} projection shortcuts subsample and zero-pad the new channels (option A, no "
            f"parameters) where the reference projects with a 1x1 conv + BatchNorm (option B).",
            locations=tuple(blocks)[:8],
            mismatches=idx,
            suggestion=f"{at(first.candidate_path if first else None, first.source if first else None)}: use "
            f"nn.Sequential({conv_call(conv)}, BatchNorm2d({width})) as the shortcut of {next(iter(blocks))}, "
            f"likewise {widths} in the others (option B, the reference's)"
            if len(blocks) > 1
            else f"nn.Sequential({conv_call(conv)}, BatchNorm2d({width})) as the shortcut (option B, the reference's)",
            source=first.source if first else None,
        )
    ]
