"""Fused arithmetic read as the ops it fuses: ``torch.addcmul(a, b, c, value=v)`` is ``a + v * b * c``.

NVIDIA's SE-ResNeXt joins its gated branch to the skip with ``torch.addcmul(residual, out, se(out))``
(one kernel for the excitation multiply and the residual add); written unfused it is ``out * se(out)
+ residual``. Recorded as one op of no kind, the add that makes the block residual is not seen and the
network reads as one without residual blocks. Split at record time into a multiply and an add (the
add reading the first operand and the product, in that order, so a gate moved onto the skip stays a
different dataflow), the fused spelling is the unfused one. ``addcdiv`` is the same with a divide.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import torch

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs

_FUSED = {"addcmul": "mul", "addcmul_": "mul", "addcdiv": "div", "addcdiv_": "div"}


def split_fused(op: OpRecord, kwargs: dict[str, Any]) -> tuple[OpRecord, OpRecord] | None:
    """The product (or quotient) and the add a fused op computes, with ids ``op.id`` and ``op.id + 1``;
    None for any other op, or one with a parameter or a constant among its operands."""
    if op.name in _ALPHA:
        return _split_alpha(op, kwargs.get("alpha", 1))
    inner = _FUSED.get(op.name)
    if inner is None or len(op.inputs) != 3 or op.params or len(op.in_shapes) != 3:
        return None
    value = kwargs.get("value", 1)
    shape = tuple(int(s) for s in torch.broadcast_shapes(op.in_shapes[1], op.in_shapes[2]))
    attrs: dict[str, Any] = {} if inner == "mul" else {"function": "div"}
    if value != 1:
        attrs["scalar"] = float(value)  # the product scaled: compared like any scalar
    product = replace(
        op,
        name=inner,
        kind=OpKind.MUL if inner == "mul" else OpKind.OTHER,
        inputs=op.inputs[1:],
        in_shapes=op.in_shapes[1:],
        out_shape=shape,
        attrs=make_attrs(attrs),
        inplace=False,
    )
    add = replace(
        op,
        id=op.id + 1,
        name="add_" if op.inplace else "add",
        kind=OpKind.ADD,
        inputs=(op.inputs[0], op.id),
        in_shapes=(op.in_shapes[0], shape),
        attrs=(),
        macs=0,
    )
    return product, add


_ALPHA = frozenset({"add", "add_", "sub", "sub_"})


def _split_alpha(op: OpRecord, alpha: Any) -> tuple[OpRecord, OpRecord] | None:
    """``x.add(y, alpha=a)`` is ``x + a * y`` (EDSR's ``res.mul(res_scale)`` then ``+= x``, fused):
    the multiply by the constant and the add (or subtract), as written unfused."""
    if alpha == 1 or isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        return None
    if len(op.inputs) != 2 or op.params or len(op.in_shapes) != 2:
        return None
    product = replace(
        op, name="mul", kind=OpKind.OTHER, inputs=op.inputs[1:], in_shapes=op.in_shapes[1:],
        out_shape=op.in_shapes[1], attrs=make_attrs({"function": "mul", "scalar": float(alpha)}), inplace=False,
    )  # fmt: skip
    add = replace(op, id=op.id + 1, inputs=(op.inputs[0], op.id), macs=0)
    return product, add


__all__ = ["split_fused"]
