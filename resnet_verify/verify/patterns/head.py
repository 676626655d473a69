"""A head sized for one input resolution (a fixed pool + a Linear of its flattened size)."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import OpKind, OpRecord, Trace, readers
from resnet_verify.verify.patterns.context import Context, at, attr, first_op, pool_call
from resnet_verify.verify.records import Finding, Mismatch, Pattern, Region

_ALL_SIZES = tuple(range(32, 1025))
_SIZE_STEPS = (OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL, OpKind.CONV, OpKind.MAX_POOL, OpKind.AVG_POOL)


def _out_size(h: int, a: dict) -> int:
    k = a.get("kernel_size", (1,))[0]
    st = a.get("stride", (1,))[0]
    pad = a.get("padding", (0,))
    pad = 0 if isinstance(pad, str) else pad[0]
    dil = a.get("dilation", (1,))[0]
    span = h + 2 * pad - dil * (k - 1) - 1
    if span < 0:
        return 0
    return (-(-span // st) if a.get("ceil_mode") else span // st) + 1


def _final_side(steps: Sequence[tuple[OpKind, dict]], size: int) -> int:
    h = size
    for kind, attrs in steps:
        if kind is OpKind.GLOBAL_POOL:
            h = 1
        elif kind is OpKind.ADAPTIVE_POOL:
            # the height of (..., H, W) (of (L,) for a 1-D pool); None keeps that axis (an adaptive 3-D pool
            # to (None, 1, 1) over [T, B, C, H, W] spiking frames)
            out = attrs["output_size"]
            sizes = tuple(out) if isinstance(out, tuple | list) else (out,)
            side = sizes[-2] if len(sizes) >= 2 else sizes[0]
            h = h if side is None else int(side)
        else:
            h = _out_size(h, attrs)
        if h < 1:
            return 0
    return h


def valid_input_sizes(trace: Trace, sizes: Sequence[int] = _ALL_SIZES, want: int | None = None) -> list[int]:
    """Square input sizes for which the traced trunk would reach its Linear with the right width
    (``want``: the width the Linear was built for, when the trace holds a re-sized copy)."""
    s = trace.structure
    linear = first_op(trace, s.head, OpKind.LINEAR)
    if linear is None:
        return list(sizes)
    chain = [*s.stem, *(o for b in s.blocks for o in (*b.main, *b.tail)), *s.head]
    before = [trace.ops[o] for o in s.head if o < linear.id and len(trace.ops[o].out_shape or ()) == 4]
    last = before[-1].out_shape if before else None
    channels = last[1] if last else (s.blocks[-1].out_shape[1] if s.blocks else 0)
    # a global pool inside a block is a gate's squeeze (SE): its vector multiplies the map, which
    # keeps its size; only the head's pool ends the map
    gates = {
        o
        for o in chain
        if o not in s.head and trace.ops[o].kind in (OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL)
    }
    steps = [
        (trace.ops[o].kind, dict(trace.ops[o].attrs))
        for o in chain
        if trace.ops[o].kind in _SIZE_STEPS and o not in gates
    ]
    if want is None:
        held = attr(linear, "in_features")
        want = held if isinstance(held, int) else None
    return [n for n in sizes if (h := _final_side(steps, n)) >= 1 and channels * h * h == want]


def ranges(values: Sequence[int]) -> str:
    if not values:
        return "no size from 32 to 1024"
    parts, start, prev = [], values[0], values[0]
    for v in [*values[1:], None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if v is not None:
            start = prev = v
    return ", ".join(parts[:6]) + (" ..." if len(parts) > 6 else "")


def _linear_call(op: OpRecord, built: object) -> str:
    return f"Linear({built}, {attr(op, 'out_features')})"


def _built_width(cand: Trace, linear: OpRecord | None) -> object:
    """The Linear's in_features as the user wrote it: a crash re-sized the traced copy's
    (``tracing/repairs.py``) when the features reaching it had another width."""
    if linear is None:
        return None
    given = [
        r.given[0]
        for r in cand.repairs
        if r.module_path == linear.module_path and r.attribute == "in_features"
    ]
    return given[0] if given else attr(linear, "in_features")


_REDUCTIONS = frozenset({"mean", "sum", "amax", "max", "logsumexp", "std", "var"})


def _pools_globally(trace: Trace, linear: OpRecord | None) -> bool:
    """Between the last block and the Linear, a global (or 1-wide adaptive) pool, or a reduction
    over the map's positions (PANNs' mean over mel bins then max + mean over frames; attentive
    pooling's weighted sum over frames): the head then fits any input size."""
    if linear is None:
        return False
    s = trace.structure
    start = max((b.merge_op for b in s.blocks if b.merge_op is not None), default=-1)
    for op in trace.ops[start + 1 : linear.id]:
        size = dict(op.attrs).get("output_size")
        if op.kind is OpKind.GLOBAL_POOL or (
            op.kind is OpKind.ADAPTIVE_POOL and isinstance(size, tuple) and set(size) == {1}
        ):
            return True
        reduces = op.in_shapes and op.out_shape is not None and len(op.out_shape) < len(op.in_shapes[0])
        if op.name in _REDUCTIONS and reduces and len(op.in_shapes[0]) >= 3:
            return True
    return False


def _classifier(trace: Trace) -> OpRecord | None:
    """The head's first Linear that reads one vector per sample; a Linear over a map's positions
    (attentive pooling's per-frame scores, a channels-last 1x1) is no classifier of a flattened map."""
    linears = [trace.ops[o] for o in trace.structure.head if trace.ops[o].kind is OpKind.LINEAR]
    flat = next((op for op in linears if op.in_shapes and len(op.in_shapes[0]) == 2), None)
    return flat or (linears[0] if linears else None)


def _dims(trace: Trace) -> int:
    return max(len(trace.input_shape) - 2, 1)


def _fits(trace: Trace, sizes: Sequence[int]) -> str:
    """The inputs the head fits: square sizes for a 2-D net; for a 1-D or 3-D one (whose sizes the
    square walk does not cover) the size it was traced at."""
    if len(trace.input_shape) == 4:
        return f"square inputs of {ranges(sizes)} px"
    return f"inputs of its traced size ({'x'.join(map(str, trace.input_shape[2:]))}) or whatever ends in the same map"


_WINDOWS = (OpKind.AVG_POOL, OpKind.MAX_POOL)  # pools of a fixed window
_POOLS = (*_WINDOWS, OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL)


def _other_reduction(ctx: Context, m: Mismatch, fixed_pool: Sequence[OpRecord]) -> bool:
    """The fixed pool in place of a reduction that is no pool (SNGAN's sum over H and W): what differs
    at this size is the reduction (a mean for a sum), which no window explains."""
    if m.candidate_op is None or m.reference_op is None or all(op.id != m.candidate_op for op in fixed_pool):
        return False
    return ctx.reference.ops[m.reference_op].kind not in _POOLS


_ACTIVATIONS = (OpKind.RELU, OpKind.ACTIVATION)


def _feeds_head(trace: Trace, op_id: int | None, other: Trace) -> bool:
    """An activation that only the head reads (IMPALA's ReLU before its pool), where the other side's
    head holds one of its kind (after the flatten): the same activation on the other side of the head's
    boundary, which a head written otherwise moves with it; the block finder reads it as the last
    block's tail."""
    if op_id is None or trace.ops[op_id].kind not in _ACTIVATIONS:
        return False
    head, uses = set(trace.structure.head), readers(trace.ops).get(op_id, [])
    kind = trace.ops[op_id].kind
    return bool(uses) and set(uses) <= head and any(other.ops[o].kind is kind for o in other.structure.head)


def _moved_activation(ctx: Context, m: Mismatch) -> bool:
    ref, cand = ctx.reference, ctx.candidate
    return _feeds_head(cand, m.candidate_op, ref) or _feeds_head(ref, m.reference_op, cand)


def detect_fixed_head(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    head = [cand.ops[o] for o in cand.structure.head]
    fixed_pool = [op for op in head if op.kind in _WINDOWS]
    linear, ref_linear = _classifier(cand), _classifier(ref)
    if ref_linear is None or (not fixed_pool and linear is None):
        return []
    built = _built_width(cand, linear)
    wrong_width = linear is not None and built != attr(ref_linear, "in_features")
    if not fixed_pool and not wrong_width:
        return []
    ref_pool = [ref.ops[o] for o in ref.structure.head if ref.ops[o].kind in _WINDOWS]
    if fixed_pool and [attr(op, "kernel_size") for op in ref_pool] == [
        attr(op, "kernel_size") for op in fixed_pool
    ]:
        return []  # the reference's head is fixed-size the same way: another setting of it is no such variant
    head_paths = {ref.ops[o].module_path for o in ref.structure.head} - {""}
    resized = linear.module_path if linear is not None and built != attr(linear, "in_features") else None
    idx = ctx.indices(
        lambda m: (
            m.region is Region.HEAD
            or (m.region is Region.MODEL and m.reference_path in head_paths)
            or (resized is not None and m.candidate_path == resized)
            or _moved_activation(ctx, m)
        )
    )
    idx = tuple(i for i in idx if not _other_reduction(ctx, ctx.mismatches[i], fixed_pool))
    if not idx:
        return []
    sizes = (
        valid_input_sizes(cand, want=built if isinstance(built, int) else None) if cand.crash is None else []
    )
    if cand.crash is None and (
        _pools_globally(cand, linear) or (not fixed_pool and len(sizes) == len(_ALL_SIZES))
    ):
        # a global pool before the classifier (after any fixed one: PANNs' 2x2 average, then its
        # mean over mel and time) feeding its own width, or two concatenated: not a fixed head
        return []
    what = " + ".join(
        [pool_call(op) for op in fixed_pool] + ([_linear_call(linear, built)] if linear else [])
    )
    fails = " (at this input size the forward fails at the Linear)" if resized else ""
    culprit = fixed_pool[0] if fixed_pool else linear
    path = culprit.module_path if culprit else None
    site = ctx.site(path)
    classes = attr(linear, "out_features") if linear is not None else attr(ref_linear, "out_features")
    return [
        Finding(
            pattern=Pattern.FIXED_HEAD,
            title="Fixed-size head",
            message=f"The head ({what}) is sized for one input resolution instead of pooling globally: it only fits "
            f"{_fits(cand, sizes)}{fails}.",
            locations=tuple(sorted(head_paths)),
            mismatches=idx,
            suggestion=f"{at(path, site)}: {what} only fits {_fits(cand, sizes)}; use AdaptiveAvgPool{_dims(cand)}d(1) + "
            f"Linear({attr(ref_linear, 'in_features')}, {classes}){_reshape_fix(cand, linear, built)}",
            source=site,
        )
    ]


def _reshape_fix(cand: Trace, linear: OpRecord | None, built: object) -> str:
    """A head width also written in ``forward`` (``x.view(x.size(0), 8192)``): following the fix
    without changing that line would crash at the next run, so the line is named too."""
    if linear is None:
        return ""
    widths = {attr(linear, "in_features"), built}
    for o in cand.structure.head:
        op = cand.ops[o]
        shape = op.out_shape or ()
        if (
            op.kind is OpKind.RESHAPE
            and op.name in _SIZED
            and len(shape) == 2
            and shape[1] in widths
            and op.source is not None
        ):
            return f", and at {op.source} flatten with torch.flatten(x, 1) instead of the {op.name} to {shape[1]}"
    return ""


# Spellings that take the target size as arguments (flatten computes it).
_SIZED = frozenset({"view", "reshape", "resize"})
