"""Sums that are no residual block: branches summed that are one linear layer written as branches
(RepVGG's 3x3 + 1x1 + BN, ACNet's 3x3 + 1x3 + 3x1, LoRA's frozen conv plus its scaled low-rank pair),
and sums with no learned layer on either path (arithmetic inside a layer: a membrane update, a
piecewise polynomial, a sum of a loop's terms)."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import LAYOUT_KINDS, OpKind, OpRecord, attr_dict


def linear_branch(ops: Sequence[OpRecord], path: Sequence[int]) -> bool:
    """A branch of a linear layer written as branches: convs and norms only, at least one of them
    (RepVGG's identity branch is a BN alone); an option-A shortcut (pool, slice, zeros) is no such."""
    # (the branches summed so far; a branch scaled by a constant, LoRA's ``up(down(x)) * scaling``)
    kinds = {ops[o].kind for o in path if not _constant_scale(ops[o])} - LAYOUT_KINDS - {OpKind.ADD}
    return (
        bool(kinds)
        and kinds <= {OpKind.CONV, OpKind.BATCH_NORM, OpKind.NORM, OpKind.AVG_POOL}
        and (OpKind.CONV in kinds or kinds <= {OpKind.BATCH_NORM, OpKind.NORM})
    )


def learns(op: OpRecord, learned: frozenset[str]) -> bool:
    """Applies a learned tensor: one of the model's parameters, or a conv's or Linear's weight that
    no module registers (layers kept in a plain Python list)."""
    return op.kind in (OpKind.CONV, OpKind.LINEAR) or bool(learned.intersection(op.params))


def _constant_scale(op: OpRecord) -> bool:
    a = attr_dict(op.attrs)
    return (
        op.kind is OpKind.OTHER
        and a.get("function") in ("mul", "div")
        and "scalar" in a
        and len(op.inputs) == 1
    )
