"""One spelling for a scaled weight: ``F.conv2d(x, w) * c`` (an equalized learning rate's gain applied to
the output, StyleGAN-style code and its ResNet ports) is ``F.conv2d(x, w * c)``, a weight computed in
forward by a multiply, as the other spelling records it (``param_ops``: ``mul``). Unfolded, the gain read
as an extra multiply by a constant after every conv and the weight as used as stored, so two spellings
of one layer compared as "parameters computed in forward" in one and not the other.

Only a conv without a bias (a bias added before the multiply is scaled with it; one added after is
``conv_bias``'s, which runs next), a number as the factor, and the multiply its own module makes right
after it (past layout ops, read by nothing else), in a module that runs one conv: a layer, not a block
written with ``F.conv2d`` whose branch a constant scales before its add (a scaled residual, said as one),
and a weight used as stored (a central-difference conv's ``theta * conv(x, w.sum(...))`` is a term of its
own).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import MUL
from resnet_verify.tracing.conv_bias import sole_reader
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def _gain(conv: OpRecord, ops: Sequence[OpRecord], reading: dict[int, list[int]]) -> OpRecord | None:
    found = sole_reader(conv, ops, reading)
    if found is None:
        return None
    nxt, at = found
    a = dict(nxt.attrs)
    number = a.get("scalar")
    own = (
        nxt.kind is OpKind.OTHER
        and a.get("function", nxt.name) in MUL
        and isinstance(number, int | float)
        and not isinstance(number, bool)
        and nxt.inputs == (at,)
        and not nxt.params
        and nxt.module_path == conv.module_path
        and nxt.out_shape == ops[at].out_shape
    )
    return nxt if own else None


def scaled_outputs_as_weights(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    per_module = Counter(op.module_path for op in ops if op.kind is OpKind.CONV)
    convs = [
        op
        for op in ops
        if op.kind is OpKind.CONV
        and dict(op.attrs).get("bias") is False
        and "param_ops" not in dict(op.attrs)
        and per_module[op.module_path] == 1
    ]
    if not convs:
        return tuple(ops)
    out = list(ops)
    reading = readers(ops)
    for conv in convs:
        gain = _gain(conv, out, reading)
        if gain is None:
            continue
        a = dict(conv.attrs)
        out[conv.id] = replace(conv, attrs=make_attrs({**a, "param_ops": "mul"}))
        out[gain.id] = replace(gain, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "weight"}), params=())
    return tuple(out)


__all__ = ["scaled_outputs_as_weights"]
