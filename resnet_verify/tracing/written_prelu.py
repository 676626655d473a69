"""``relu(x) - alpha * relu(-x)`` is PReLU written by hand (a Keras port's ``PReLU(shared_axes=[1, 2])``, whose
alpha is one slope per channel): the subtraction reads as one ``prelu`` activation holding alpha, reading x, and
the two ReLUs, the negation and the multiply as layout ops (heldout147 ir_keras_prelu, outputs 0 apart, was
read as five ops of another kind). Only that exact dataflow qualifies: each intermediate read by the next alone,
both ReLUs reading the same x (one through the negation), alpha a learned tensor of the multiply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def _function(op: OpRecord) -> str:
    return str(dict(op.attrs).get("function", op.name)).strip("_")


def _only_reader(reading: dict[int, list[int]], op: int, reader: int) -> bool:
    return reading.get(op) == [reader]


def _scaled_negative_part(ops: Sequence[OpRecord], mul: OpRecord) -> tuple[int, int] | None:
    """(x, the ReLU of -x) where ``mul`` multiplies relu(-x) by a learned tensor, else None."""
    if _function(mul) != "mul" or len(mul.params) != 1 or len(mul.inputs) != 1 or mul.inputs[0] < 0:
        return None
    relu = ops[mul.inputs[0]]
    if relu.kind is not OpKind.RELU or len(relu.inputs) != 1 or relu.inputs[0] < 0:
        return None
    neg = ops[relu.inputs[0]]
    if _function(neg) != "neg" or len(neg.inputs) != 1:
        return None
    return neg.inputs[0], relu.id


def join_prelu(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for sub in ops:
        if _function(sub) not in ("sub", "rsub") or sub.kind is not OpKind.OTHER or len(sub.inputs) != 2:
            continue
        a, b = (ops[i] if i >= 0 else None for i in sub.inputs)
        if a is None or b is None or a.kind is not OpKind.RELU or len(a.inputs) != 1:
            continue
        found = _scaled_negative_part(ops, b)
        if found is None or found[0] != a.inputs[0]:
            continue
        x, relu_neg = found
        neg = ops[relu_neg].inputs[0]
        chain = [(a.id, sub.id), (b.id, sub.id), (relu_neg, b.id), (neg, relu_neg)]
        if not all(_only_reader(reading, op, reader) for op, reader in chain):
            continue
        out[sub.id] = replace(
            sub, kind=OpKind.ACTIVATION, attrs=make_attrs({"function": "prelu"}), params=b.params,
            inputs=(x,), in_shapes=a.in_shapes,
        )  # fmt: skip
        for op in (a.id, b.id, relu_neg, neg):
            out[op] = replace(ops[op], kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "prelu"}), params=())
    return tuple(out)


__all__ = ["join_prelu"]
