"""One spelling for a multiply by a constant: ``x * 0.7071``, ``x * self.gain`` where ``gain`` is a
one-value constant buffer (registered, never trained) and ``x * torch.tensor(0.7071)`` compute the same,
but the first records a Python number and the others a tensor operand, so a refactor that moves a
residual gain into a buffer read as a learned multiply added and a scaled add lost. A multiply whose
other operand is one known value (``values``, read from the model the user built: see
``buffer_values``) reads as the multiply by that number, so the scaled-sum and scale passes after it see
one spelling; on a model built on meta the number is :data:`UNREAD`, so both builds have the same op.
A trained parameter has no recorded value and is left alone, as is a multi-value buffer
(an input normalization's per-channel constants) and any division: a tensor divisor and a tensor
numerator record alike, and only one of them is a scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.buffer_values import UNREAD
from resnet_verify.tracing.opnames import MUL_NAMES
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs


def _one_value(text: object) -> float | str | None:
    if not isinstance(text, str) or "," in text or ";" in text:
        return None
    if text == UNREAD:
        return UNREAD
    try:
        return float(text)
    except ValueError:
        return None


def constant_operands(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for op in ops:
        a = dict(op.attrs)
        if op.kind is not OpKind.OTHER or len(op.inputs) != 1 or len(op.params) > 1 or "scalar" in a:
            continue
        value = _one_value(a.get("values"))
        if a.get("function", op.name) not in MUL_NAMES or value is None:
            continue
        kept = {k: v for k, v in a.items() if k != "values"}
        if value == UNREAD and op.params:  # the buffer, for the words (``op_phrases``), never compared
            kept["constant"] = op.params[0]
        out[op.id] = replace(op, params=(), attrs=make_attrs({**kept, "scalar": value}))
    return tuple(out)


__all__ = ["constant_operands"]
