"""Padding as Keras / TensorFlow ports write it.

- The Keras stem (keras.applications ResNet50 and the ports of it): ``ZeroPadding2D(3)`` then a
  ``padding="valid"`` 7x7 conv, which is exactly PyTorch's ``padding=3``; often with an unpadded max
  pool and no ReLU after the stem BN, which are real differences. The explicit padding is the
  signature: a stem whose padding numbers merely differ is a plain edit, not a Keras port.
- TF ``padding="same"`` on stride-2 convs pads ``k - s`` pixels in all, the odd one at the bottom /
  right (``F.pad(x, (0, 1, 0, 1))`` before a 3x3 conv), where PyTorch pads every side alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.padfold import PART_OF, Pad4, own_padding
from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, attr, conv_call, dims, square, strided
from resnet_verify.verify.patterns.deep_stem import stem_convs, stem_recipe
from resnet_verify.verify.records import Finding, Mismatch, Pattern, Region


def _pads_before(trace: Trace, op: OpRecord) -> list[OpRecord]:
    return [trace.ops[i] for i in op.inputs if i >= 0 and trace.ops[i].kind is OpKind.PAD]


def _folded(op: OpRecord) -> bool:
    """A pad op the trace folded into the conv / pool reading it (tracing/padfold.py)."""
    return op.kind is OpKind.RESHAPE and attr(op, "part_of") == PART_OF


def _folded_before(trace: Trace, op: OpRecord) -> list[OpRecord]:
    return [trace.ops[i] for i in op.inputs if i >= 0 and _folded(trace.ops[i])]


def _pad_op(op: OpRecord) -> Pad4 | None:
    p = attr(op, "pad")
    if not isinstance(p, tuple):
        return None
    if len(p) == 2:  # F.pad spells the last dimension first: (left, right[, top, bottom])
        return (0, 0, p[0], p[1])
    return (p[2], p[3], p[0], p[1]) if len(p) == 4 else None


def effective_padding(trace: Trace, op: OpRecord) -> Pad4 | None:
    """The padding ``op`` sees: its own plus that of pad ops feeding it directly."""
    total = own_padding(dict(op.attrs))
    for pad in _pads_before(trace, op):
        extra = _pad_op(pad)
        if total is None or extra is None:
            return None
        total = (total[0] + extra[0], total[1] + extra[1], total[2] + extra[2], total[3] + extra[3])
    return total


def _spell(p: Pad4 | None) -> str:
    if p is None:
        return "?"
    if len(set(p)) == 1:
        return str(p[0])
    return f"(top {p[0]}, bottom {p[1]}, left {p[2]}, right {p[3]})"


def _symmetric(p: Pad4 | None) -> bool:
    return p is not None and p[0] == p[1] and p[2] == p[3]


def _keras_like(p: Pad4 | None) -> bool:
    """A padding Keras writes: symmetric (ZeroPadding2D), or TensorFlow's 'same', one pixel more at the
    bottom / right at most."""
    return p is not None and 0 <= p[1] - p[0] <= 1 and 0 <= p[3] - p[2] <= 1


# --- Keras stem -------------------------------------------------------------------------------------


def _first(trace: Trace, kind: OpKind) -> OpRecord | None:
    return next((trace.ops[o] for o in trace.structure.stem if trace.ops[o].kind is kind), None)


def _keras_part(ctx: Context, m: Mismatch) -> bool:
    """A stem mismatch a Keras port explains: padding ops and amounts, the pool, the stem ReLU."""
    if m.op_kind is OpKind.PAD or (m.op_kind is OpKind.RELU and m.field == "op"):
        return True
    if m.op_kind is OpKind.CONV:
        return m.field == "padding" or m.cause is not None
    return m.op_kind is OpKind.MAX_POOL and (m.field in ("padding", "ceil_mode") or m.cause is not None)


def _layer_default(ctx: Context, i: int) -> bool:
    """A Keras layer default in the stem (the conv's bias, BatchNorm's eps and momentum, and what
    follows from them): ``conv_bias_before_bn`` and ``keras_batchnorm`` own those; they neither make
    nor break the stem's signature."""
    m = ctx.mismatches[i]
    if m.cause is not None:
        return _layer_default(ctx, m.cause)
    return (m.op_kind is OpKind.CONV and m.field == "bias") or (
        m.op_kind is OpKind.BATCH_NORM and m.field in ("eps", "momentum")
    )


def _padding_clause(ctx: Context, rconv: OpRecord, cconv: OpRecord) -> str | None:
    rp, cp = effective_padding(ctx.reference, rconv), effective_padding(ctx.candidate, cconv)
    explicit = _pads_before(ctx.candidate, cconv) or _pads_before(ctx.reference, rconv)
    k = dims(cconv, "kernel_size")
    folded = _folded_before(ctx.candidate, cconv) or _folded_before(ctx.reference, rconv)
    if rp == cp and folded:  # said so the reader knows the pad was seen, not missed
        return (
            f"its explicit zero padding + a padding-0 {k} conv is the same computation as padding="
            f"{_spell(cp)}: not a difference"
        )
    if rp == cp and explicit:
        return (
            f"explicit zero padding ({_spell(cp)}) + a padding-0 {k} conv is the same computation as the "
            f"{'candidate' if _pads_before(ctx.reference, rconv) else 'reference'}'s padding={_spell(cp)}: "
            "not a difference in outputs"
        )
    if rp != cp and not (_keras_like(cp) and _keras_like(rp)):
        return None  # padded far more on one side than the other: no Keras layer does that (a plain edit)
    if rp != cp:
        same = "" if _symmetric(cp) else " (TensorFlow's padding='same', extra pixel at the bottom / right)"
        return f"the candidate's {k} conv sees padding {_spell(cp)}{same} where the reference's sees {_spell(rp)}"
    return None


def _pool_clause(ctx: Context) -> str | None:
    rpool, cpool = _first(ctx.reference, OpKind.MAX_POOL), _first(ctx.candidate, OpKind.MAX_POOL)
    if (
        rpool is None
        or cpool is None
        or effective_padding(ctx.reference, rpool) == effective_padding(ctx.candidate, cpool)
    ):
        return None
    rs, cs = rpool.out_shape or (), cpool.out_shape or ()
    size = f": after its stem the map is {'x'.join(map(str, cs[2:]))}, not {'x'.join(map(str, rs[2:]))}"
    return (
        f"the candidate's max pool pads {_spell(effective_padding(ctx.candidate, cpool))} where the reference's pads "
        f"{_spell(effective_padding(ctx.reference, rpool))}{size if rs[2:] != cs[2:] else ''}"
    )


def _relu_clause(ctx: Context, idx: Sequence[int]) -> str | None:
    relu = [ctx.mismatches[i] for i in idx if ctx.mismatches[i].op_kind is OpKind.RELU]
    if not relu:
        return None
    missing = relu[0].candidate_op is None
    if missing:
        return "the candidate has no ReLU after the stem's BatchNorm (the reference has one)"
    return "the reference has no ReLU after the stem's BatchNorm (the candidate has one)"


def _explicit_stem_padding(trace: Trace) -> bool:
    """Keras' signature: a ZeroPadding2D layer (pad op) before the stem conv, and every stem pad padding
    each side alike (one side more is TF's padding='same': ``detect_same_padding``; one axis more than the
    other, ONNX pads handed to F.pad in ONNX's order, is no layer Keras has)."""
    stem = [trace.ops[o] for o in trace.structure.stem]
    pads = [op for op in stem if op.kind is OpKind.PAD or _folded(op)]
    # The pad before the conv (ZeroPadding2D(3)) is what only a Keras port writes; a pad before the max
    # pool alone is also how PyTorch code pads a pool for TF weights (timm's 'fixed' root): a pool edit.
    return _conv_padded(trace) and all(_even(_pad_op(p)) or _pad_op(p) is None for p in pads)


def _conv_padded(trace: Trace) -> bool:
    """The stem conv reads an explicit pad (ZeroPadding2D, F.pad), folded or not."""
    convs = stem_convs(trace)
    return len(convs) == 1 and bool(_pads_before(trace, convs[0]) or _folded_before(trace, convs[0]))


def _one_more_after(p: Pad4 | None) -> bool:
    """TF 'same' on a strided layer: the odd pixel after (bottom / right), on at least one axis."""
    return p is not None and p[1] - p[0] in (0, 1) and p[3] - p[2] in (0, 1) and not _symmetric(p)


def _even(p: Pad4 | None) -> bool:
    return p is not None and len(set(p)) == 1


def detect_keras_stem(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    rc, cc = stem_convs(ref), stem_convs(cand)
    if len(rc) != 1 or len(cc) != 1 or not cand.structure.blocks:
        return []
    if any(attr(rc[0], k) != attr(cc[0], k) for k in ("kernel_size", "stride")):
        return []  # another stem altogether (CIFAR, deep): not a padding question
    idx = tuple(i for i in ctx.indices(lambda m: m.region is Region.STEM) if not _layer_default(ctx, i))
    if not idx or not all(_keras_part(ctx, ctx.mismatches[i]) for i in idx):
        return []
    if _explicit_stem_padding(ref) == _explicit_stem_padding(cand):
        return []  # neither stem or both written the Keras way: a padding number changed, a plain edit
    if _conv_padded(ref) and _conv_padded(cand):
        return []  # both convs padded explicitly: the pool's padding differs (TF 'same': heldout149 tfs_pool_symmetric)
    pad, pool = _padding_clause(ctx, rc[0], cc[0]), _pool_clause(ctx)
    if pad is None and pool is None:
        return []  # a stem ReLU alone is a missing ReLU, not a Keras port
    clauses = [c for c in (pad, pool, _relu_clause(ctx, idx)) if c]
    equivalent_only = len(clauses) == 1 and pad is not None and "same computation" in pad
    if pad is not None and "not a difference" in pad and pool is None and len(clauses) == 2:
        return []  # a folded pad and a stem ReLU alone: a missing ReLU, not a Keras port
    path = cc[0].module_path
    site = ctx.site(path)
    fix = (
        f"{at(path, site)}: optional: fold the padding into the conv, {conv_call(rc[0], bias=bool(attr(rc[0], 'bias')))}"
        if equivalent_only
        else f"{at(path, site)}: build the stem as the reference does: {stem_recipe(ref, with_pool=True)}"
    )
    message = (
        f"The {_keras_side(ctx, rc[0], cc[0])}'s stem is written the Keras way: " + "; ".join(clauses) + "."
    )
    return [
        Finding(
            pattern=Pattern.KERAS_STEM,
            title="Keras / TF stem",
            message=message,
            locations=tuple(sorted({ctx.mismatches[i].reference_path or "stem" for i in idx})),
            mismatches=idx,
            suggestion=fix,
            source=site,
        )
    ]


def _keras_side(ctx: Context, rconv: OpRecord, cconv: OpRecord) -> str:
    """Which model pads explicitly or pools unpadded (the Keras port)."""

    def padded(trace: Trace, conv: OpRecord) -> bool:
        return bool(_pads_before(trace, conv) or _folded_before(trace, conv))

    if padded(ctx.reference, rconv) and not padded(ctx.candidate, cconv):
        return "reference"
    rpool, cpool = _first(ctx.reference, OpKind.MAX_POOL), _first(ctx.candidate, OpKind.MAX_POOL)
    rp = effective_padding(ctx.reference, rpool) if rpool else None
    cp = effective_padding(ctx.candidate, cpool) if cpool else None
    if not padded(ctx.candidate, cconv) and rp and cp and sum(rp) < sum(cp):
        return "reference"
    return "candidate"


# --- TF "same" padding on strided convs ---------------------------------------------------------------


def _padding_pairs(ctx: Context) -> list[tuple[OpRecord, OpRecord]]:
    """Paired strided convs outside the stem, and strided max pools anywhere (TF-slim's 'SAME' pool1
    is its one one-sided pad), whose effective padding differs."""
    out: dict[tuple[int, int], tuple[OpRecord, OpRecord]] = {}
    for m in ctx.mismatches:
        if m.field != "padding" or not (
            m.op_kind is OpKind.MAX_POOL or (m.op_kind is OpKind.CONV and m.region is not Region.STEM)
        ):
            continue
        if m.reference_op is None or m.candidate_op is None:
            continue
        r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
        same_stride = strided(r) and strided(c) and attr(r, "stride") == attr(c, "stride")
        # Another kernel needs another padding: a 5x5 with padding 2 is a kernel change, not 'same'.
        same_stride = same_stride and attr(r, "kernel_size") == attr(c, "kernel_size")
        same_stride = same_stride and attr(r, "dilation") == attr(c, "dilation")  # dilation pads more
        if same_stride and effective_padding(ctx.reference, r) != effective_padding(ctx.candidate, c):
            out[(r.id, c.id)] = (r, c)
    return list(out.values())


def detect_same_padding(ctx: Context) -> list[Finding]:
    pairs = _padding_pairs(ctx)
    if not pairs:
        return []
    r, c = pairs[0]
    rp, cp = effective_padding(ctx.reference, r), effective_padding(ctx.candidate, c)
    asym = (_one_more_after(rp) and _even(cp)) or (_one_more_after(cp) and _even(rp))
    if not asym:
        # the whole signature: TF's 'same' pads the bottom / right one more where PyTorch pads every side
        # alike; a plain padding edit (or pads handed over in another axis order) is described
        return []
    # With the signature found, the port's other explicit pads are the same 'same' written out: on
    # stride-1 convs they equal PyTorch's padding, on 1x1 convs they pad nothing, and on a strided
    # max pool they pad the bottom / right like the convs. One cause, one finding.
    rids = {r.id for r, _ in pairs} | {p.id for r, _ in pairs for p in _pads_before(ctx.reference, r)}
    cids = {c.id for _, c in pairs} | {p.id for _, c in pairs for p in _pads_before(ctx.candidate, c)}
    rest = {side: _explicitly_padded(trace) for side, trace in (("r", ctx.reference), ("c", ctx.candidate))}
    rids |= rest["r"] | _same_padded(ctx.reference)
    cids |= rest["c"] | _same_padded(ctx.candidate)
    idx = ctx.indices(lambda m: m.reference_op in rids or m.candidate_op in cids)
    title = (
        f"TF 'same' padding on strided {'convs' if any(c.kind is OpKind.CONV for _, c in pairs) else 'pools'}"
    )
    tf = (
        " (TensorFlow's padding='same' pads the odd pixel at the bottom / right only; the sampling grid "
        "shifts by one pixel)"
        if asym
        else ""
    )
    where = ", ".join(sorted({p.module_path for p, _ in pairs})[:6])
    layers = "convs" if any(c.kind is OpKind.CONV for _, c in pairs) else "max pools"
    message = (
        f"{len(pairs)} stride-{square(attr(c, 'stride'))} {layers} ({where}) see padding {_spell(cp)} in the "
        f"candidate and {_spell(rp)} in the reference{tf}. Outputs differ even where shapes agree."
    )
    others = sum(
        1
        for o in rest["c"]
        if ctx.candidate.ops[o].kind is not OpKind.PAD and o not in {c.id for _, c in pairs}
    )
    if others:
        message += (
            f" The candidate writes 'same' as an explicit pad before {others} other convs and pools too: a "
            "strided max pool shifts like the convs; on stride-1 convs it is PyTorch's own padding."
        )
    culprit = (_pads_before(ctx.candidate, c) or [c])[0]
    site = ctx.site(c.module_path) or culprit.source
    return [
        Finding(
            pattern=Pattern.SAME_PADDING,
            title=title,
            message=message,
            locations=tuple(sorted({p.module_path for p, _ in pairs})),
            mismatches=idx,
            suggestion=_same_fix(ctx, r, c, at(c.module_path, site)),
            source=site,
        )
    ]


def _same_padded(trace: Trace) -> set[int]:
    """Convs and max pools (the stem's too) whose own padding is one-sided: 'same' written as the
    layer's padding (a Keras model's Conv2D / MaxPooling2D with padding='same')."""
    out: set[int] = set()
    for op in trace.ops:
        if op.kind in (OpKind.CONV, OpKind.MAX_POOL):
            p = effective_padding(trace, op)
            if p is not None and not _symmetric(p):
                out.add(op.id)
    return out


def _explicitly_padded(trace: Trace) -> set[int]:
    """Pad ops feeding a conv or max pool, and those convs and pools."""
    out: set[int] = set()
    for op in trace.ops:
        if op.kind in (OpKind.CONV, OpKind.MAX_POOL):
            pads = _pads_before(trace, op)
            if pads:
                out |= {op.id, *(p.id for p in pads)}
    return out


def _same_fix(ctx: Context, r: OpRecord, c: OpRecord, where: str) -> str:
    conv = conv_call(r, bias=bool(attr(r, "bias")))
    ref_pads = _pads_before(ctx.reference, r)
    if ref_pads:
        return f"{where}: pad as the reference does, F.pad(x, {attr(ref_pads[0], 'pad')}), then {conv}"
    drop = "drop the explicit pad and " if _pads_before(ctx.candidate, c) else ""
    return f"{where}: {drop}use {conv}, in each strided conv"
