"""One spelling for a sum scaled by a constant: ``(a + b) / sqrt(2)`` and ``a * sqrt(0.5) + b *
sqrt(0.5)`` (StyleGAN2's residual gain, spelled both ways in its public ports) compute the same, but
read as a divide after the add in one and two multiplies before it in the other: two findings for no
difference. Either reads as the add with its factor (``scaled_by``), the multiplies or the divide as
layout ops, so the sums compare as sums and a lost or changed gain is one attribute of one add.

A factor on one input only (a branch scaled before the add: Fixup, a stochastic-depth eval multiply)
is another computation and is left alone; so are factors that differ, a scale read by anything but
the add, and a division without a recorded number. Op ids and dataflow are untouched: only kinds and
attributes change.

Last, any division by a constant left reads as the multiply by its reciprocal (``q @ k.T / 4`` and
``q @ k.T * 0.25``, ``x / sqrt(2)`` and ``x * 2 ** -0.5``): one spelling for one scale, so a changed
number is one attribute and a spelling none. Likewise a division by a tensor's square root read by
nothing else is the multiply by its reciprocal root (GDN's ``x / sqrt(norm)`` and ``x * rsqrt(norm)``,
a hand-written norm's ``/ torch.sqrt(var + eps)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import DIV
from resnet_verify.tracing.buffer_values import UNREAD
from resnet_verify.tracing.opnames import MUL_NAMES
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def factor_of(op: OpRecord) -> float | str | None:
    """The constant a scalar multiply or divide scales its one tensor input by (:data:`UNREAD` for a
    multiply by a constant of unknown value)."""
    a = dict(op.attrs)
    scalar, function = a.get("scalar"), a.get("function", op.name)
    if op.kind is not OpKind.OTHER or len(op.inputs) != 1 or op.params:
        return None
    if scalar == UNREAD and function in MUL_NAMES:
        return UNREAD
    if not isinstance(scalar, float):
        return None
    # five significant digits: the divisor was recorded to six, its reciprocal is good to five
    if function in MUL_NAMES:
        return float(f"{scalar:.5g}")
    if function in DIV and scalar != 0.0:
        return float(f"{1.0 / scalar:.5g}")
    return None


def _layout(op: OpRecord) -> OpRecord:
    return replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({**dict(op.attrs), "part_of": "scaled add"}))


def fold_scaled_adds(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        if op.kind is not OpKind.ADD or len(op.inputs) != 2 or dict(op.attrs):
            continue
        scales = [ops[i] for i in op.inputs if i >= 0 and reading.get(i) == [op.id]]
        factors = {factor_of(s) for s in scales}
        users = reading.get(op.id, [])
        if len(scales) == 2 and len(factors) == 1 and None not in factors:
            folded, factor = scales, factors.pop()
        elif len(users) == 1 and (after := factor_of(ops[users[0]])) is not None:
            folded, factor = [ops[users[0]]], after
        else:
            continue
        if any(out[s.id].kind is not OpKind.OTHER for s in folded):
            continue  # already folded into a neighbouring add
        for s in folded:
            out[s.id] = _layout(s)
        held = {k: v for s in folded for k, v in s.attrs if k == "constant"}  # (an unread buffer's name)
        out[op.id] = replace(op, attrs=make_attrs({"scaled_by": factor, **held}))
    return tuple(out)


def divisions_as_multiplies(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for op in ops:
        a = dict(op.attrs)
        scalar = a.get("scalar")
        if op.kind is not OpKind.OTHER or a.get("function", op.name) not in DIV or len(op.inputs) != 1:
            continue
        if op.params or not isinstance(scalar, float) or scalar == 0.0:
            continue
        out[op.id] = replace(op, attrs=make_attrs({**a, "function": "mul", "scalar": 1.0 / scalar}))
    return tuple(out)


def _divides_by_a_root(op: OpRecord, ops: Sequence[OpRecord], reading: dict[int, list[int]]) -> bool:
    if op.kind is not OpKind.OTHER or dict(op.attrs).get("function", op.name) not in DIV:
        return False
    if len(op.inputs) != 2 or op.inputs[1] < 0 or op.params:
        return False
    root = ops[op.inputs[1]]
    return (
        root.kind is OpKind.OTHER
        and dict(root.attrs).get("function") == "sqrt"
        and reading.get(root.id, []) == [op.id]
        and op.inputs[0] != root.id
    )


def root_divisions_as_multiplies(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        if _divides_by_a_root(op, ops, reading):
            root = ops[op.inputs[1]]
            out[root.id] = replace(root, attrs=make_attrs({**dict(root.attrs), "function": "rsqrt"}))
            out[op.id] = replace(op, kind=OpKind.MUL, attrs=make_attrs({}))
    return tuple(out)
