"""Channel widths (a wide / narrow ResNet, one stage built at another width) and a class count
written as a literal instead of following ``num_classes``."""

from __future__ import annotations

import math
from collections.abc import Sequence

from resnet_verify.tracing.records import LAYOUT_KINDS, OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.channel_ratios import channel_pad_ratio, channel_slice_ratio
from resnet_verify.verify.patterns.context import Context, at, attr, convs
from resnet_verify.verify.patterns.squeeze_excitation import se_ops
from resnet_verify.verify.patterns.width_follows import (
    norm_widths,
    projection_blocks,
    wider_concats,
    wider_readers,
    wider_selections,
    width_projections,
    width_switched_modules,
)
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern, Region

_WIDTH_KINDS = (OpKind.CONV, OpKind.BATCH_NORM, OpKind.LINEAR)


def _channels(op: OpRecord, in_block: bool = False) -> tuple[object, ...]:
    """The op's widths, its output's last. A Linear inside a block (a residual MLP's hidden layer)
    makes a width of the network; one in the head is its classifier or projection (class_count)."""
    if op.kind is OpKind.CONV:
        return attr(op, "in_channels"), attr(op, "out_channels")
    if op.kind is OpKind.BATCH_NORM:
        return (attr(op, "num_features"),)
    if in_block:
        return attr(op, "in_features"), attr(op, "out_features")
    return (attr(op, "in_features"),)


def _own_width_differs(ctx: Context, i: int) -> bool:
    """The op makes another number of channels (a conv's out_channels, a Linear's out_features); a
    BatchNorm only carries the width it is given."""
    m = ctx.mismatches[i]
    if m.reference_op is None or m.candidate_op is None:
        return False
    r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
    key = {OpKind.CONV: "out_channels", OpKind.LINEAR: "out_features"}.get(r.kind)
    return key is not None and attr(r, key) != attr(c, key)


def _ratio(r: OpRecord, c: OpRecord, in_block: bool) -> float | None:
    """How many times wider the candidate's op is (its output, else its input, channel count)."""
    for a, b in reversed(list(zip(_channels(r, in_block), _channels(c, in_block)))):
        if isinstance(a, int) and isinstance(b, int) and a and a != b:
            return round(b / a, 3)
    return None


def _stage_outputs(trace: Trace) -> set[int]:
    """Op ids whose width is a stage width: each block's last main-path conv and the BN after it."""
    out: set[int] = set()
    for b in trace.structure.blocks:
        cs = convs(trace, b.main)
        if cs:
            out |= {o for o in b.main if o >= cs[-1].id}
    return out


def _inner_widths(trace: Trace) -> list[int]:
    """Each stage's bottleneck (inner) width: the first block's first conv output."""
    out = []
    for st in trace.structure.stages:
        cs = convs(trace, trace.structure.blocks[st.blocks[0]].main)
        if len(cs) > 2 and isinstance(attr(cs[0], "out_channels"), int):
            out.append(int(attr(cs[0], "out_channels")))  # type: ignore[call-overload]
    return out


def _keeps_output(ctx: Context, i: int, outer: set[int]) -> bool:
    m = ctx.mismatches[i]
    if m.reference_op not in outer or m.candidate_op is None:
        return True
    r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
    return _channels(r)[-1] == _channels(c)[-1]


def _scope(ctx: Context, idx: Sequence[int]) -> tuple[str, bool]:
    regions = {ctx.mismatches[i].region for i in idx}
    outer = _stage_outputs(ctx.reference)
    inner_only = regions <= {Region.MAIN} and all(_keeps_output(ctx, i, outer) for i in idx)
    # where the widths differ: a layer that only reads a wider input follows from the layer before it
    all_ops = {op.id for op in ctx.reference.ops}  # once, not per mismatch
    own = [i for i in idx if not _keeps_output(ctx, i, all_ops)]
    stages = sorted({b.stage for i in (own or idx) if (b := ctx.mismatches[i].block) is not None})
    names = [ctx.reference.structure.stages[s].path or f"stage {s + 1}" for s in stages]
    if Region.STEM in regions:
        names.insert(0, "the stem")
    every = len(stages) == len(ctx.reference.structure.stages)
    where = (
        "every stage"
        if every
        else ", ".join(names) or ("the stem" if Region.HEAD not in regions else "the head")
    )
    if not inner_only and {Region.STEM, Region.HEAD} <= regions and every:
        where = "the whole network"
    return where, inner_only


def _from_the_input(trace: Trace, op: OpRecord) -> bool:
    """Nothing with a width of its own lies between the model input and ``op`` (a space-to-depth
    reshape, a pad): its input channels are the input's layout, not a layer width."""
    todo, seen = list(op.inputs), set()
    while todo:
        i = todo.pop()
        if i < 0:
            continue
        if i in seen or trace.ops[i].kind in _WIDTH_KINDS or trace.ops[i].params:
            return False
        seen.add(i)
        todo.extend(trace.ops[i].inputs)
    return True


_ELEMENTWISE = frozenset({OpKind.BATCH_NORM, OpKind.NORM, OpKind.RELU, OpKind.ACTIVATION})


def _source_of(trace: Trace, op: OpRecord, passing: frozenset[OpKind]) -> OpRecord | None:
    """The op whose output ``op`` reads, past ops of the ``passing`` kinds (None: the model input)."""
    i = op.inputs[0] if op.inputs else -1
    while i >= 0 and trace.ops[i].kind in passing:
        i = trace.ops[i].inputs[0] if trace.ops[i].inputs else -1
    return trace.ops[i] if i >= 0 else None


def _reads_a_map(trace: Trace, op: OpRecord) -> bool:
    """A Linear fed a flattened feature map larger than 1x1 (a VGG-style head after a 7x7 pool): its
    in_features count positions too, not channels."""
    source = _source_of(trace, op, LAYOUT_KINDS)
    shape = source.out_shape if source is not None else None
    return shape is not None and len(shape) > 2 and math.prod(shape[2:]) > 1


def _reads_a_concat(trace: Trace, op: OpRecord) -> bool:
    """The op reads (through layout, norm and activation ops) a concatenation: features joined from
    several poolings."""
    source = _source_of(trace, op, LAYOUT_KINDS | _ELEMENTWISE)
    return source is not None and source.kind is OpKind.CAT


def _widened_in_head(trace: Trace, op: OpRecord) -> bool:
    """The Linear reads what a conv of the head made (PANNs' two 3x3 convs to 2048 after the body):
    its input width is the head's own anatomy, not the network's last stage."""
    i = op.inputs[0] if op.inputs else -1
    while i >= 0 and trace.ops[i].kind is not OpKind.CONV and trace.ops[i].inputs:
        i = trace.ops[i].inputs[0]
    return i >= 0 and trace.ops[i].kind is OpKind.CONV and i in trace.structure.head


def _reads_a_slice(trace: Trace, op: OpRecord) -> bool:
    """The op's input is a slice of its producer's channels (``x.split``, ``chunk``, ``x[:, :c]``)."""
    return any(i >= 0 and trace.ops[i].kind is OpKind.SLICE for i in op.inputs)


def _factor_axes(op: OpRecord) -> tuple[bool, ...]:
    kernel = attr(op, "kernel_size")
    return (
        tuple(k > 1 for k in kernel)
        if isinstance(kernel, tuple) and all(isinstance(k, int) for k in kernel)
        else ()
    )


def _midplanes(trace: Trace) -> set[int]:
    """Ops of a factorised conv ((2+1)-D: a 1xkxk conv, norm, activation, then a kx1x1 conv): the
    width between its two halves is how the factorisation is sized (R(2+1)D's midplanes), not a
    width of the network."""
    users: dict[int, list[OpRecord]] = {}
    for op in trace.ops:
        for i in op.inputs:
            users.setdefault(i, []).append(op)
    passing = _ELEMENTWISE | LAYOUT_KINDS
    out: set[int] = set()
    for a in (op for op in trace.ops if op.kind is OpKind.CONV):
        axes = _factor_axes(a)
        if len(axes) < 2 or all(axes) or not any(axes):
            continue
        path, nxt = [a.id], users.get(a.id, [])
        while len(nxt) == 1 and nxt[0].kind in passing:
            path.append(nxt[0].id)
            nxt = users.get(nxt[0].id, [])
        if len(nxt) == 1 and nxt[0].kind is OpKind.CONV:
            other = _factor_axes(nxt[0])
            if len(other) == len(axes) and all(x != y for x, y in zip(axes, other, strict=True)):
                out |= {*path, nxt[0].id}
    return out


def _gate_ops(trace: Trace) -> set[int]:
    """Ops of the blocks' channel gates (an SE's squeeze and excite convs): their hidden width is the
    gate's reduction ratio, not a width of the network."""
    return {o for b in trace.structure.blocks for o in se_ops(trace, b)}


def _shuffled(trace: Trace) -> set[int]:
    """Convs whose output a pixel shuffle folds into space (a sub-pixel upsampler): their width is
    the shuffle's factor squared times its output's, not a width of the network."""
    out: set[int] = set()
    for op in trace.ops:
        if dict(op.attrs).get("function") == "pixel_shuffle":
            source = _source_of(trace, op, LAYOUT_KINDS | _ELEMENTWISE)
            if source is not None and source.kind is OpKind.CONV:
                out.add(source.id)
    return out


def _correlations(trace: Trace) -> set[int]:
    """Convs whose kernel is computed in forward (a tracker's template correlated with the search
    map), and the layer reading one: their widths follow the correlation's grouping, not a width of
    the network."""
    out = {op.id for op in trace.ops if op.kind is OpKind.CONV and not op.params}
    for op in trace.ops:
        source = _source_of(trace, op, LAYOUT_KINDS | _ELEMENTWISE) if op.params else None
        if source is not None and source.id in out:
            out.add(op.id)
    return out


def _not_widths(trace: Trace) -> set[int]:
    return _gate_ops(trace) | _midplanes(trace) | _shuffled(trace) | _correlations(trace)


def _anatomy(ref: Trace, cand: Trace, r: OpRecord, c: OpRecord) -> bool:
    """The op's width is some part's own design, not a width of the network."""
    if c.kind is OpKind.LINEAR and (_reads_a_map(cand, c) or _reads_a_map(ref, r)):
        return True  # positions times channels: the pooling before it differs, not a width
    if c.kind is OpKind.LINEAR and (_widened_in_head(cand, c) or _widened_in_head(ref, r)):
        return True  # fed by a conv of the head: the head's anatomy, described there
    if c.kind is OpKind.LINEAR and (_reads_a_concat(cand, c) or _reads_a_concat(ref, r)):
        return True  # a head pooling two ways and concatenating (avg + max): its anatomy, not a width
    if _reads_a_slice(cand, c) or _reads_a_slice(ref, r):
        return True  # a branch of a split (selective kernel, Res2Net): the block's anatomy, not a width
    # only the input channels differ, and they are the input's (a space-to-depth stem)
    return c.kind is OpKind.CONV and _channels(r)[-1] == _channels(c)[-1] and _from_the_input(cand, c)


def _area(value: object) -> int | None:
    if isinstance(value, tuple) and value and all(isinstance(v, int) for v in value):
        return math.prod(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _window_ratios(ctx: Context) -> dict[object, set[float]]:
    """Block pair -> how many times larger a window's area is in the candidate, for each window size
    that differs there (an involution's 3x3 unfold for 7x7: 9 / 49)."""
    out: dict[object, set[float]] = {}
    for m in ctx.mismatches:
        a, b = _area(m.expected), _area(m.actual)
        if m.field == "kernel_size" and a and b and a != b:
            out.setdefault(m.block, set()).add(round(b / a, 3))
    return out


def _width_ratios(ctx: Context) -> dict[int, float]:
    """Mismatch index -> how many times wider the candidate's layer is, for each sized mismatch. A width
    in the ratio of a window's area that changed in the same block follows from the window (a layer
    that generates a kernel per pixel has K x K x groups channels): not a width of the network."""
    ref, cand = ctx.reference, ctx.candidate
    gates = _not_widths(ref) | {-1 - o for o in _not_widths(cand)}
    windows = _window_ratios(ctx)
    ratios: dict[int, float] = {}
    for i, m in enumerate(ctx.mismatches):
        if (
            i not in ctx.claimed
            and (pad := channel_pad_ratio(ctx, i) or channel_slice_ratio(ctx, i)) is not None
        ):
            ratios[i] = pad
            continue
        in_block = m.region in (Region.MAIN, Region.SHORTCUT)
        sized = (
            m.kind in (MismatchKind.SHAPE, MismatchKind.PARAMS)
            or m.field == "in_features"
            or (m.field == "out_features" and in_block)
        )
        if not sized or m.reference_op is None or i in ctx.claimed:
            continue  # (claimed: another cause's consequence, e.g. a Res2Net group conv's width)
        if m.candidate_op is None or m.op_kind not in _WIDTH_KINDS:
            continue
        r, c = ref.ops[m.reference_op], cand.ops[m.candidate_op]
        if r.id in gates or -1 - c.id in gates:
            continue  # a gate's reduction ratio: described where it is, not a network width
        if _anatomy(ref, cand, r, c):
            continue
        if (
            r.kind is c.kind
            and (k := _ratio(r, c, in_block)) is not None
            and k not in windows.get(m.block, ())
        ):
            ratios[i] = k
    return ratios


def _resplit(ctx: Context, ratios: dict[int, float]) -> bool:
    """Some convs wider and others narrower by as many channels in all (an octave conv's alpha, a
    split between two branches moved): the channels were divided otherwise, the network is not wider
    or narrower, and a width multiplier would be a wrong name."""
    if not (min(ratios.values()) < 1 < max(ratios.values())):
        return False
    totals = [0, 0]
    for i in ratios:
        m = ctx.mismatches[i]
        if m.reference_op is None or m.candidate_op is None:
            continue
        r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
        if r.kind is OpKind.CONV and isinstance(a := attr(r, "out_channels"), int):
            b = attr(c, "out_channels")
            totals = [totals[0] + a, totals[1] + (b if isinstance(b, int) else 0)]
    return totals[0] > 0 and totals[0] == totals[1]


def detect_widths(ctx: Context) -> list[Finding]:
    ref = ctx.reference
    ratios = _width_ratios(ctx)
    if not ratios:
        return []
    projections = width_projections(ctx)
    known = set(ratios.values())
    follow = (*norm_widths(ctx, known), *wider_concats(ctx, known))
    idx = tuple(
        sorted(
            {*ratios, *projections, *wider_readers(ctx), *wider_selections(ctx), *width_switched_modules(ctx),
             *follow}
        )
    )  # fmt: skip
    if not any(_own_width_differs(ctx, i) for i in idx):
        return []  # only inputs differ (a Linear fed a stage fewer): they follow from what feeds them
    where, inner_only = _scope(ctx, idx)
    factors = sorted(set(ratios.values()))
    if _resplit(ctx, ratios):
        return []  # channels moved between parallel branches, every total kept: no width changed
    what = "bottleneck (inner) widths" if inner_only else "channel widths"
    times = (
        f"{factors[0]:g}x the reference's" if len(factors) == 1 else f"{'/'.join(f'{f:g}' for f in factors)}x"
    )
    kind = ""
    if len(factors) == 1 and where in ("every stage", "the whole network"):
        kind = f": a {'wide' if factors[0] > 1 else 'narrow'} variant of the reference"
    first = ctx.mismatches[idx[0]]
    stem = convs(ref, ref.structure.stem)
    want = (
        [] if inner_only else [f"stage widths {'/'.join(str(s.out_shape[1]) for s in ref.structure.stages)}"]
    )
    if _inner_widths(ref):
        want.insert(0, f"bottleneck widths {'/'.join(map(str, _inner_widths(ref)))}")
    if stem and any(ctx.mismatches[i].region is Region.STEM for i in idx):
        want.insert(0, f"stem width {attr(stem[-1], 'out_channels')}")
    return [
        Finding(
            pattern=Pattern.WIDTHS,
            title="Channel widths differ",
            message=f"The {what} in {where} are {times}{kind}; each wider or narrower conv, BatchNorm and Linear "
            f"shows up as a shape and parameter difference."
            + (
                " A projection shortcut follows where a block changes the width only on one side ("
                + ", ".join(sorted({str(b.path) for b in projection_blocks(ctx, projections)}))
                + ")."
                if projections
                else ""
            ),
            locations=tuple(sorted({ctx.mismatches[i].reference_path or "" for i in idx}))[:8],
            mismatches=idx,
            suggestion=f"{at(first.candidate_path, first.source)}: use the reference's {', '.join(want)}",
            source=first.source,
        )
    ]


def detect_class_count(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    hit = next(
        (
            i
            for i, m in enumerate(ctx.mismatches)
            if m.op_kind is OpKind.LINEAR and m.field == "out_features" and m.region is Region.HEAD
        ),
        None,
    )
    if hit is None:
        return []
    m = ctx.mismatches[hit]
    head = set(ref.structure.head) | set(cand.structure.head)
    last = [o for o in ref.structure.head if ref.ops[o].kind is OpKind.LINEAR][-1:]
    if m.reference_op not in last:
        return []  # a hidden Linear of a deeper head, not the classifier
    linear = ref.ops[m.reference_op] if m.reference_op is not None else None
    same_op = {
        i
        for i, x in enumerate(ctx.mismatches)
        if x.candidate_op == m.candidate_op and x.kind in (MismatchKind.SHAPE, MismatchKind.PARAMS)
    }
    model = {
        i for i, x in enumerate(ctx.mismatches) if x.region is Region.MODEL and x.field == "output_shape"
    }
    if not model and len([o for o in cand.structure.head if cand.ops[o].kind is OpKind.LINEAR]) > 1:
        return []  # the model's output has the asked class count: a hidden layer of a deeper head
    outputs = (ref.output_shape or (), cand.output_shape or ())
    if all(len(o) > 1 for o in outputs) and outputs[0][1] == outputs[1][1]:
        return []  # the prediction has the asked classes: a feature layer (DUQ's, before an RBF head)
    idx = tuple(sorted({hit} | same_op | model)) if m.candidate_op in head else (hit,)
    width = attr(linear, "in_features") if linear else "in"
    return [class_count_finding(m, m.expected, m.actual, width, "The classifier", idx)]


def class_count_finding(
    m: Mismatch, classes: object, actual: object, width: object, which: str, idx: tuple[int, ...]
) -> Finding:
    """The one wording of a class count written into the model, for the classifier the forward runs and
    for one it never runs (``unused_class_count``)."""
    return Finding(
        pattern=Pattern.CLASS_COUNT,
        title="Hard-coded class count",
        message=f"{which} has {actual} outputs where the reference's has {classes} (the class count asked "
        f"for): the class count is written into the model instead of following num_classes.",
        locations=(m.reference_path or m.candidate_path or "fc",),
        mismatches=idx,
        suggestion=f"{at(m.candidate_path, m.source)}: Linear({width}, num_classes) with num_classes passed "
        f"through from build() ({classes} here, not {actual})",
        source=m.source,
    )
