"""Frozen BatchNorm where the other side trains its BatchNorm: one cause, whatever the class is called.

Detection backbones freeze BN (torchvision's and detectron2's ``FrozenBatchNorm2d``): the op is still
``batch_norm``, but its scale and shift are buffers, so nothing trains and no statistics update. Found
from what the op reads (buffers only), not from the class name.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.patterns.context import Context, at, module_type
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def _buffers_only(trace: Trace, op_id: int | None) -> bool:
    if op_id is None:
        return False
    op = trace.ops[op_id]
    kinds = {p.name: p.is_buffer for p in trace.params}
    affine = dict(op.attrs).get("affine", True)  # affine=False holds running stats only: not frozen
    return (
        op.kind is OpKind.BATCH_NORM
        and bool(affine)
        and bool(op.params)
        and all(kinds.get(n, False) for n in op.params)
    )


def detect_frozen_bn(ctx: Context) -> list[Finding]:
    """BatchNorm ops whose weight and bias are buffers (detectron2-style ``FrozenBatchNorm2d`` over
    ``F.batch_norm``): the same op, nothing trains. One cause however many are so: all of them, or
    the first stages only (detectron2's FREEZE_AT, mmdet's frozen_stages)."""
    ref, cand = ctx.reference, ctx.candidate
    total = sum(1 for op in ref.ops if op.kind is OpKind.BATCH_NORM)
    # part of the network frozen: the side holding them trains some BNs (not: BNs the other side has
    # and it lacks, a backbone cut before its last stage)
    trains = any(op.kind is OpKind.BATCH_NORM and not _buffers_only(cand, op.id) for op in cand.ops)
    idx = ctx.indices(
        lambda m: (
            m.kind is MismatchKind.PARAMS
            and _buffers_only(cand, m.candidate_op)
            and m.reference_op is not None
        )
    )
    idx = tuple(i for i in idx if i not in ctx.claimed)
    if not total or not idx:
        return []
    first = ctx.mismatches[idx[0]]
    kind = module_type(cand, first.candidate_path) or "BatchNorm"
    return [
        Finding(
            pattern=Pattern.NORMALIZATION,
            title=f"Frozen BatchNorm ({kind}) in place of BatchNorm",
            message=(
                f"{len(idx)} of the reference's {total} BatchNorm layers are frozen in the candidate "
                f"({first.candidate_path} ...): the same batch_norm op, but its scale and shift are buffers, so "
                "nothing trains and the statistics never update (detection backbones' FrozenBatchNorm2d). "
                "Shapes and outputs in eval agree; training and the parameter count do not."
                + (
                    " Only part of the network is frozen: a frozen-stages setting (FREEZE_AT, frozen_stages)."
                    if trains
                    else ""
                )
            ),
            locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
            mismatches=idx,
            suggestion=f"{at(first.candidate_path, first.source)}: use nn.BatchNorm2d to train the norms as the "
            "reference does, or keep them frozen on purpose (fine-tuning a detector)",
            source=first.source,
        )
    ]


__all__ = ["detect_frozen_bn"]
