"""``torch.stack([a, b], dim=d).sum(dim=d)`` is ``a + b``.

zennit's ResNet canonizer rewrites each bottleneck's residual add as a stack of the two branches and
a ``Sum`` module over the new axis, so a relevance rule can see both operands; read op by op it is a
concatenation, and the network reads as one without residual additions. Read as the add it computes
(the sum's slot an ``ADD`` of the two stacked tensors, the stack its part), the block is the block.
A sum that keeps another shape (over another axis, or of more than two) stays what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def join_stacked_sums(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        if op.kind is not OpKind.OTHER or dict(op.attrs).get("function") != "sum" or len(op.inputs) != 1:
            continue
        stack = ops[op.inputs[0]] if op.inputs[0] >= 0 else None
        if (
            stack is None
            or stack.name != "stack"
            or len(stack.inputs) != 2
            or reading.get(stack.id) != [op.id]
        ):
            continue
        if len(set(stack.in_shapes)) != 1 or op.out_shape != stack.in_shapes[0]:
            continue  # summed over another axis, or of tensors of other shapes
        out[op.id] = replace(op, name="add", kind=OpKind.ADD, inputs=stack.inputs, in_shapes=stack.in_shapes,
                             attrs=())  # fmt: skip
        out[stack.id] = replace(stack, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "add"}))
    return tuple(out)


__all__ = ["join_stacked_sums"]
