"""Another normalization layer where the other side has BatchNorm: GroupNorm, LayerNorm, InstanceNorm,
a frozen BatchNorm (a fixed per-channel scale and shift), or none.

Detection / segmentation backbones freeze BN (torchvision's and detectron2's ``FrozenBatchNorm2d``:
``x * scale + shift`` from stored statistics), small-batch and transfer models use GroupNorm (BiT),
ports use LayerNorm over channels. Compared op by op each is a BatchNorm "expected, found mul" plus an
extra add, repeated in every block and the stem: one cause, one finding, found from what the layers
are (the candidate module at the place of each reference BatchNorm), not from their names.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.patterns.context import Context, at, under
from resnet_verify.verify.records import Finding, MismatchKind, Pattern

_STAND_INS = (OpKind.NORM, OpKind.MUL, OpKind.ADD, OpKind.OTHER)


def _module_type(trace: Trace, path: str | None) -> str | None:
    return next((c.type_name for c in trace.modules if c.path == path), None) if path else None


def _describe(type_name: str, hparams: dict[str, object]) -> str:
    low = type_name.lower()
    if "frozen" in low:
        return (
            f"{type_name} (a fixed per-channel scale and shift computed from stored statistics: "
            "nothing in it trains, and no statistics are updated)"
        )
    if "group" in low and isinstance(hparams.get("num_groups"), int):
        return f"{type_name} ({hparams['num_groups']} groups: statistics per sample, not per batch)"
    return type_name


def _rest_of(ctx: Context, inside: set[str]) -> tuple[int, ...]:
    """The stand-ins' other ops (a frozen BN's add: nothing in the reference) and their parameter
    counts, in the same modules."""
    return ctx.indices(
        lambda m: (
            m.candidate_path in inside
            and (
                (m.kind in (MismatchKind.OP, MismatchKind.EXTRA) and m.expected is None)
                or m.kind is MismatchKind.PARAMS
            )
        )
    )


def _holds_convs(trace: Trace, path: str | None) -> bool:
    """The module at ``path`` runs convs of its own: a block or the model, not a norm layer."""
    return path is not None and any(
        op.kind is OpKind.CONV
        and (not path or op.module_path == path or op.module_path.startswith(path + "."))
        for op in trace.ops
    )


def _has_norm(trace: Trace) -> bool:
    return any(op.kind in (OpKind.BATCH_NORM, OpKind.NORM) for op in trace.ops)


def detect_normalization(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    frozen = _frozen(ctx)
    if frozen is not None:
        return [frozen]
    composite = _composite(ctx)
    if composite:
        return composite
    settings = _settings(ctx)
    if settings:
        return settings
    swapped: dict[str, list[int]] = {}  # candidate module type -> mismatches
    paths: dict[str, set[str]] = {}
    for i, m in enumerate(ctx.mismatches):
        if (
            m.kind is not MismatchKind.OP
            or i in ctx.claimed
            or m.reference_op is None
            or m.candidate_op is None
        ):
            continue
        r, c = ref.ops[m.reference_op], cand.ops[m.candidate_op]
        if r.kind is not OpKind.BATCH_NORM or c.kind not in _STAND_INS:
            continue
        kind = _module_type(cand, m.candidate_path)
        if kind is None or kind.startswith("BatchNorm") or _holds_convs(cand, m.candidate_path):
            continue  # (a block's own bias add at a BatchNorm's place is no stand-in: Fixup)
        swapped.setdefault(kind, []).append(i)
        paths.setdefault(kind, set()).add(m.candidate_path or "")
    findings = []
    for kind, idx in swapped.items():
        more = _rest_of(ctx, paths[kind])
        claimed = tuple(sorted({*idx, *more}))
        first = ctx.mismatches[idx[0]]
        call = next((c for c in cand.modules if c.path == first.candidate_path), None)
        hp = dict(call.hparams) if call is not None else {}
        total = sum(1 for op in ref.ops if op.kind is OpKind.BATCH_NORM)
        n = len(idx)
        findings.append(
            Finding(
                pattern=Pattern.NORMALIZATION,
                title=f"{kind} in place of BatchNorm",
                message=(
                    f"{n} of the reference's {total} BatchNorm layers are {_describe(kind, hp)} in the "
                    f"candidate ({first.candidate_path}{' ...' if n > 1 else ''}). Shapes agree; training "
                    "behaviour and the state_dict do not."
                ),
                locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
                mismatches=claimed,
                suggestion=f"{at(first.candidate_path, first.source)}: build BatchNorm2d layers as the reference does, "
                "or keep this on purpose (fine-tuning with small batches)",
                source=first.source,
            )
        )
    # Nothing normalizes anywhere (Fixup, normalizer-free nets): whatever the alignment put at a
    # BatchNorm's place (a bias add, a scalar multiply) is not a stand-in, the norm is gone.
    removed = _removed(ctx, any_stand_in=not findings and not _has_norm(cand))
    return findings + ([removed] if removed is not None else [])


def _removed(ctx: Context, *, any_stand_in: bool = False) -> Finding | None:
    """Most of the reference's BatchNorms absent, nothing in their place (a normalizer-free network,
    or a ``norm_layer`` that builds nn.Identity): one cause. A few missing BNs (a projection without
    its BN) stay with the detectors of those places."""
    ref = ctx.reference
    total = sum(1 for op in ref.ops if op.kind is OpKind.BATCH_NORM)
    idx = ctx.indices(
        lambda m: (
            m.kind in (MismatchKind.MISSING, MismatchKind.OP)
            and (m.candidate_op is None or any_stand_in)
            and m.reference_op is not None
            and ref.ops[m.reference_op].kind is OpKind.BATCH_NORM
        )
    )
    idx = tuple(i for i in idx if i not in ctx.claimed)
    if not total or 2 * len(idx) < total:
        return None
    first = ctx.mismatches[idx[0]]
    # With nothing normalizing at all, convs carry their own biases (normalizer-free nets): the same
    # design, not dead weight to remove.
    biases = (
        ctx.indices(lambda m: m.op_kind is OpKind.CONV and m.field == "bias" and m.actual is True)
        if any_stand_in
        else ()
    )
    return Finding(
        pattern=Pattern.NORMALIZATION,
        title="No normalization where the reference has BatchNorm",
        message=(
            f"{len(idx)} of the reference's {total} BatchNorm layers have nothing in their place in the "
            f"candidate ({first.reference_path} ...): an unnormalized network (or a norm layer that builds "
            "an identity)"
            + (f", whose {len(biases)} convs carry biases instead" if biases else "")
            + ". Shapes agree; training behaviour and the state_dict do not."
        ),
        locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
        mismatches=tuple(sorted({*idx, *biases})),
        suggestion=f"{first.source or first.reference_path}: add BatchNorm2d after each conv as the reference does",
        source=first.source,
    )


def _buffers_only(trace: Trace, op_id: int | None) -> bool:
    if op_id is None:
        return False
    op = trace.ops[op_id]
    kinds = {p.name: p.is_buffer for p in trace.params}
    return op.kind is OpKind.BATCH_NORM and bool(op.params) and all(kinds.get(n, False) for n in op.params)


def _frozen(ctx: Context) -> Finding | None:
    """BatchNorm ops whose weight and bias are buffers (detectron2-style ``FrozenBatchNorm2d`` over
    ``F.batch_norm``): the same op, nothing trains. One cause when most of the reference's are so."""
    ref, cand = ctx.reference, ctx.candidate
    total = sum(1 for op in ref.ops if op.kind is OpKind.BATCH_NORM)
    idx = ctx.indices(
        lambda m: (
            m.kind is MismatchKind.PARAMS
            and _buffers_only(cand, m.candidate_op)
            and m.reference_op is not None
        )
    )
    idx = tuple(i for i in idx if i not in ctx.claimed)
    if not total or 2 * len(idx) < total:
        return None
    first = ctx.mismatches[idx[0]]
    kind = _module_type(cand, first.candidate_path) or "BatchNorm"
    return Finding(
        pattern=Pattern.NORMALIZATION,
        title=f"Frozen BatchNorm ({kind}) in place of BatchNorm",
        message=(
            f"{len(idx)} of the reference's {total} BatchNorm layers are frozen in the candidate "
            f"({first.candidate_path} ...): the same batch_norm op, but its scale and shift are buffers, so "
            "nothing trains and the statistics never update (detection backbones' FrozenBatchNorm2d). "
            "Shapes and outputs in eval agree; training and the parameter count do not."
        ),
        locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
        mismatches=idx,
        suggestion=f"{at(first.candidate_path, first.source)}: use nn.BatchNorm2d to train the norms as the "
        "reference does, or keep them frozen on purpose (fine-tuning a detector)",
        source=first.source,
    )


# BatchNorm switches that change what kind of normalization it is, with what the "off" side means
_SWITCHES = {
    "track_running_stats": "no running statistics: it normalizes with the batch's own statistics in "
    "eval too, so a prediction depends on the rest of its batch",
    "affine": "no learned scale and shift (affine=False)",
}


def _settings(ctx: Context) -> list[Finding]:
    """A BatchNorm switch (``track_running_stats``, ``affine``) set differently on most BatchNorms:
    another normalization, one cause, instead of one finding per region or line."""
    total = sum(1 for op in ctx.reference.ops if op.kind is OpKind.BATCH_NORM)
    out = []
    for field, meaning in _SWITCHES.items():
        idx = ctx.indices(lambda m, f=field: m.op_kind is OpKind.BATCH_NORM and m.field == f)  # type: ignore[misc]
        idx = tuple(i for i in idx if i not in ctx.claimed)
        if not total or 2 * len(idx) < total:
            continue
        first = ctx.mismatches[idx[0]]
        ops = {ctx.mismatches[i].candidate_op for i in idx}
        more = ctx.indices(lambda m, o=ops: m.candidate_op in o and m.kind is MismatchKind.PARAMS)  # type: ignore[misc]
        out.append(Finding(
            pattern=Pattern.NORMALIZATION,
            title=f"BatchNorm with {field}={first.actual}",
            message=(
                f"{len(idx)} of the reference's {total} BatchNorm layers have {field}={first.actual} in the "
                f"candidate ({first.candidate_path} ...), {field}={first.expected} in the reference. With it "
                f"off: {meaning}."
            ),
            locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
            mismatches=tuple(sorted({*idx, *more})),
            suggestion=f"{at(first.candidate_path, first.source)}: BatchNorm2d(num_features, {field}={first.expected}) "
            "as in the reference",
            source=first.source,
        ))  # fmt: skip
    return out


_COMPOSITE_OPS = (OpKind.BATCH_NORM, OpKind.NORM, OpKind.SLICE, OpKind.CAT, OpKind.RESHAPE, OpKind.OTHER)


def _norm_parent(trace: Trace, op_id: int | None) -> str | None:
    """The module around a BatchNorm op that normalizes with several norms over split channels
    (IBN-Net's InstanceNorm on half, BatchNorm on the rest): its path, else None."""
    if op_id is None or trace.ops[op_id].kind is not OpKind.BATCH_NORM:
        return None
    path = trace.ops[op_id].module_path
    parent = path.rpartition(".")[0]
    inside = [o for o in trace.ops if o.module_path == parent or o.module_path.startswith(parent + ".")]
    if not parent or path == parent or any(o.kind not in _COMPOSITE_OPS for o in inside):
        return None
    norms = sum(o.kind in (OpKind.BATCH_NORM, OpKind.NORM) for o in inside)
    return parent if norms >= 2 and any(o.kind is OpKind.CAT for o in inside) else None


def _composite(ctx: Context) -> list[Finding]:
    parents: dict[str, set[str]] = {}  # module type -> paths
    for m in ctx.mismatches:
        if m.reference_op is not None and ctx.reference.ops[m.reference_op].kind is OpKind.BATCH_NORM:
            parent = _norm_parent(ctx.candidate, m.candidate_op)
            if parent is not None:
                parents.setdefault(_module_type(ctx.candidate, parent) or parent, set()).add(parent)
    out = []
    for kind, paths in parents.items():
        idx = ctx.indices(lambda m, p=paths: any(under(m.candidate_path, q) for q in p))  # type: ignore[misc]
        idx = tuple(i for i in idx if i not in ctx.claimed)
        first = ctx.mismatches[idx[0]]
        norms = sorted({_module_type(ctx.candidate, o.module_path) or o.kind.value for o in ctx.candidate.ops
                        if under(o.module_path, min(paths)) and o.kind in (OpKind.BATCH_NORM, OpKind.NORM)})  # fmt: skip
        out.append(Finding(
            pattern=Pattern.NORMALIZATION,
            title=f"{kind} ({' + '.join(norms)} on split channels) in place of BatchNorm",
            message=(
                f"{len(paths)} of the reference's BatchNorm layers are a {kind} in the candidate "
                f"({', '.join(sorted(paths)[:3])}{' ...' if len(paths) > 3 else ''}): the channels are split, "
                f"each part normalized by its own layer ({', '.join(norms)}) and concatenated again "
                "(IBN-Net style). Shapes agree; the normalization and the state_dict do not."
            ),
            locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
            mismatches=idx,
            suggestion=f"{at(min(paths), first.source)}: use BatchNorm2d over all channels as the reference "
            "does, or keep the mixed normalization on purpose",
            source=first.source,
        ))  # fmt: skip
    return out


__all__ = ["detect_normalization"]
