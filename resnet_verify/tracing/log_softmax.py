"""One spelling for log-probabilities: ``torch.log(F.softmax(x, dim))`` is ``F.log_softmax(x, dim)``.

The two compute the same values (the fused one without the underflow of a tiny probability), so a head
that takes the log of its softmax (an NLL-loss port) read as "softmax where the reference has log_softmax,
and an extra log". A ``log`` whose only input is a softmax read by nothing else is the one
``log_softmax`` op, with the softmax's axis; the softmax becomes its part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def _function(op: OpRecord) -> str:
    return str(dict(op.attrs).get("function", ""))


def join_log_softmax(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    logs = [op for op in ops if op.kind is OpKind.OTHER and _function(op) == "log" and len(op.inputs) == 1]
    if not logs:
        return tuple(ops)
    out = list(ops)
    reading = readers(ops)
    for log in logs:
        src = log.inputs[0]
        if src < 0 or _function(out[src]) != "softmax" or reading.get(src) != [log.id]:
            continue
        soft = out[src]
        out[log.id] = replace(log, attrs=make_attrs({**dict(soft.attrs), "function": "log_softmax"}))
        out[src] = replace(
            soft, kind=OpKind.RESHAPE, attrs=make_attrs({**dict(soft.attrs), "part_of": "log_softmax"})
        )
    return tuple(out)


__all__ = ["join_log_softmax"]
