"""One spelling for a conv's bias: ``F.conv2d(x, w)`` and then ``+ self.bias.view(1, -1, 1, 1)`` (or
over a grouped view of the output: a P4 group conv's one bias per field, broadcast over the four
rotations) is the conv with a bias, as ``F.conv2d(x, w, b)`` records it. Unfolded, a bias added by
hand read as an op of its own, so a group-conv ResNet with groupcnn's ``bias=True`` before every
BatchNorm was "an add of a learned parameter in 14 blocks", never the conv bias before BN it is.

Only the add the conv's own module makes right after it (past layout ops, read by nothing else) is
folded: a learned shift a block adds to a conv's output in its own forward (Fixup's scalar biases)
is the block's, another computation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import ADD
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def sole_reader(
    op: OpRecord, ops: Sequence[OpRecord], reading: dict[int, list[int]]
) -> tuple[OpRecord, int] | None:
    """The one op that reads ``op``'s result past layout ops (each read by nothing else), and the id of
    the tensor it reads; None where the result is read twice or not at all."""
    at = op.id
    while len(reading.get(at, [])) == 1:
        nxt = ops[reading[at][0]]
        if nxt.kind is OpKind.RESHAPE and nxt.inputs == (at,):
            at = nxt.id
            continue
        return nxt, at
    return None


def _bias_add(conv: OpRecord, ops: Sequence[OpRecord], reading: dict[int, list[int]]) -> OpRecord | None:
    found = sole_reader(conv, ops, reading)
    if found is None:
        return None
    nxt, at = found
    function = dict(nxt.attrs).get("function", nxt.name).rstrip("_") if nxt.name != "add_" else "add"
    own = (
        nxt.kind is OpKind.OTHER
        and function in ADD
        and nxt.inputs == (at,)
        and nxt.params
        and nxt.module_path == conv.module_path
        and nxt.out_shape == ops[at].out_shape
    )
    return nxt if own else None


def fold_conv_bias(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    convs = [op for op in ops if op.kind is OpKind.CONV and dict(op.attrs).get("bias") is False]
    if not convs:
        return tuple(ops)
    out = list(ops)
    reading = readers(ops)
    for conv in convs:
        add = _bias_add(conv, out, reading)
        if add is None:
            continue
        out[conv.id] = replace(
            conv, attrs=make_attrs({**dict(conv.attrs), "bias": True}), params=(*conv.params, *add.params)
        )
        out[add.id] = replace(add, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "bias"}), params=())
    return tuple(out)


__all__ = ["fold_conv_bias", "sole_reader"]
