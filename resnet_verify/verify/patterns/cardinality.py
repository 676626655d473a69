"""Grouped spatial convs where the other side has dense ones: ResNeXt's cardinality, or depthwise
convs (MobileNet-style blocks).

``groups`` differs on the block's k x k conv (k > 1), in every block: one change of the block design.
The finding says what the grouping is from the layer itself (groups == channels: depthwise; else C
groups of W channels: ResNeXt cardinality C) and counts the blocks; the parameter counts that follow
go with it. A grouped 1x1 is another detector's (patterns/layers.py).
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context, at, attr, fixed_weights
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def _spatial(kernel: object) -> bool:
    return isinstance(kernel, tuple) and any(isinstance(k, int) and k > 1 for k in kernel)


def detect_cardinality(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    idx = ctx.indices(
        lambda m: (
            m.kind is MismatchKind.ATTRIBUTE
            and m.field == "groups"
            and m.op_kind is OpKind.CONV
            and m.reference_op is not None
            and m.candidate_op is not None
            and _spatial(attr(ref.ops[m.reference_op], "kernel_size"))
            # a fixed depthwise filter (blur pooling's low-pass) is no grouping of a learned conv
            and not fixed_weights(cand, cand.ops[m.candidate_op])
            and not fixed_weights(ref, ref.ops[m.reference_op])
            # a correlation (a kernel computed in forward: a tracker's template) is no layer's grouping
            and bool(cand.ops[m.candidate_op].params or ref.ops[m.reference_op].params)
        )
    )
    idx = tuple(i for i in idx if i not in ctx.claimed)
    if not idx:
        return []
    first = ctx.mismatches[idx[0]]
    assert first.candidate_op is not None
    op = cand.ops[first.candidate_op]
    groups, channels = attr(op, "groups"), attr(op, "in_channels")
    if isinstance(groups, int) and groups == channels:
        what = "depthwise (one filter per channel, as in MobileNet-style blocks)"
    elif isinstance(groups, int) and isinstance(channels, int) and groups > 1:
        what = f"grouped: cardinality {groups}, {channels // groups} channels per group (ResNeXt)"
    else:
        what = f"groups={groups}"
    theirs = first.expected
    n = len(idx)
    return [
        Finding(
            pattern=Pattern.CARDINALITY,
            title="Grouped spatial convs" if groups != 1 else "Dense spatial convs",
            message=(
                f"{n} spatial conv{'s' if n > 1 else ''} ({first.candidate_path}{' ...' if n > 1 else ''}) "
                f"{'are' if n > 1 else 'is'} {what} where the reference's have groups={theirs}; parameters and "
                "MACs of those convs change with it."
            ),
            locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
            mismatches=idx,
            suggestion=f"{at(first.candidate_path, first.source)}: use groups={theirs} as the reference does",
            source=first.source,
        )
    ]


__all__ = ["detect_cardinality"]
