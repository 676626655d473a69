"""A weighted average of two tensors is no residual merge: ``f(x) * a + x * (1 - a)`` (a style
transfer's content blend, an exponential moving average of features) interpolates between the input
and what was made of it; the structure finder reads no block there, so the add, its weights and what
differs about them compare as ops, described where they are, instead of "residual additions where
the other side has none". Equal weights on both sides are a scaled sum (tracing/scaled_add.py) and a
weight on one side only a scaled branch or skip: both stay residual merges."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.opnames import MUL_NAMES
from resnet_verify.tracing.records import OpKind, OpRecord


def convex_blend(ops: Sequence[OpRecord], add: OpRecord) -> bool:
    """Both operands are scaled by constants that sum to one: a weighted average of two tensors."""
    scales = []
    for i in add.inputs[:2]:
        a = dict(ops[i].attrs) if i >= 0 else {}
        scalar = a.get("scalar")
        if i < 0 or ops[i].kind is not OpKind.OTHER or a.get("function") not in MUL_NAMES:
            return False
        if not isinstance(scalar, float) or len(ops[i].inputs) != 1:
            return False
        scales.append(scalar)
    return len(scales) == 2 and abs(sum(scales) - 1.0) < 1e-6 and 1.0 not in scales


__all__ = ["convex_blend"]
