"""One spelling for a scaled product of two tensors: ``(q * s) @ k.T``, ``q @ (k.T * s)``, ``(q @ k.T) * s``
and ``(q * √s) @ (k * √s).T`` compute the same scores (a scalar commutes with a matmul), but read as a
multiply before the product in one and after it in another, so the two align as "the multiply became a
matmul" and "a matmul became a multiply". timm scales q before ``q @ k.T`` (its unfused attention),
torch's fused attention after; OpenAI's attention pools scale both by the fourth root.

Every scalar factor read by nothing but the product, on either input, and a scalar multiply that is
the product's only reader, fold into the product as one attribute (``scaled_by``, their product), the
multiplies read as layout ops; so the products compare as products and a lost or changed scale is one
attribute of one op. A factor whose tensor something else also reads (a scaled q reused) is another
computation and left alone; so is a product of a tensor with a weight (read as a layer before this).
Op ids and dataflow are untouched: only kinds and attributes change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers
from resnet_verify.tracing.scaled_add import factor_of

_PRODUCTS = frozenset({"matmul", "einsum"})


def _product(op: OpRecord) -> bool:
    a = dict(op.attrs)
    return (
        op.kind is OpKind.OTHER
        and a.get("function") in _PRODUCTS
        and len(op.inputs) == 2
        and not op.params
        and "scaled_by" not in a
    )


def _scales(op: OpRecord, ops: Sequence[OpRecord], reading: dict[int, list[int]]) -> list[OpRecord]:
    before = [ops[i] for i in op.inputs if i >= 0 and reading.get(i) == [op.id]]
    users = reading.get(op.id, [])
    after = [ops[users[0]]] if len(users) == 1 else []
    return [s for s in (*before, *after) if isinstance(factor_of(s), float)]  # (a known number)


def scales_into_products(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        if not _product(op):
            continue
        scales = [s for s in _scales(op, ops, reading) if out[s.id].kind is OpKind.OTHER]
        if not scales:
            continue
        factor = math.prod(f for s in scales if isinstance(f := factor_of(s), float))
        for s in scales:
            out[s.id] = replace(
                s, kind=OpKind.RESHAPE, attrs=make_attrs({**dict(s.attrs), "part_of": "scaled product"})
            )
        out[op.id] = replace(op, attrs=make_attrs({**dict(op.attrs), "scaled_by": float(f"{factor:.5g}")}))
    return tuple(out)


__all__ = ["scales_into_products"]
