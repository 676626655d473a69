"""Caffe's BatchNorm + Scale as the one affine BatchNorm they compute (and an affine-free GroupNorm or
InstanceNorm followed by a Scale as the affine one: heldout115's stagenorm_affine_free_scale).

Caffe splits a BatchNorm in two layers: ``BatchNorm`` (statistics only, no scale or shift) and
``Scale`` (``x * gamma + beta`` per channel). Ports keep the split: ``nn.BatchNorm2d(c, affine=False)``
followed by a module multiplying by one learned tensor and adding another. That is
``nn.BatchNorm2d(c)`` to the last digit, so the pair is read as it: the norm affine, its scale and
shift the Scale's parameters, the multiply and the add layout (``part_of``), which alignment and the
diff skip. Only a norm whose one reader is a multiply by a parameter whose one reader is an add of a
parameter is joined; a scale without a shift, or a scalar gain, stays what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.opnames import ADD_NAMES, MUL_NAMES
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def _by_parameter(op: OpRecord, names: set[str], after: OpRecord) -> bool:
    a = dict(op.attrs)
    return (
        op.kind is OpKind.OTHER
        and a.get("function") in names
        and "scalar" not in a
        and op.inputs == (after.id,)
        and len(op.params) == 1
        and op.out_shape == after.out_shape
    )


_PER_CHANNEL = frozenset({"group_norm", "instance_norm"})


def join_bn_scale(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    consumers = readers(ops)
    out = list(ops)
    for bn in ops:
        # a BatchNorm, or a GroupNorm / InstanceNorm, whose affine is per channel too (a LayerNorm's is
        # per element of its normalised shape: a per-channel Scale after it is no LayerNorm's affine)
        per_channel = bn.kind is OpKind.BATCH_NORM or dict(bn.attrs).get("norm") in _PER_CHANNEL
        if not per_channel or dict(bn.attrs).get("affine") is not False:
            continue
        first = consumers.get(bn.id, [])
        if len(first) != 1 or not _by_parameter(ops[first[0]], MUL_NAMES, bn):
            continue
        mul = ops[first[0]]
        second = consumers.get(mul.id, [])
        if len(second) != 1 or not _by_parameter(ops[second[0]], ADD_NAMES, mul):
            continue
        add = ops[second[0]]
        out[bn.id] = replace(
            bn,
            attrs=make_attrs({**dict(bn.attrs), "affine": True}),
            params=(*bn.params, *mul.params, *add.params),
        )
        for op in (mul, add):
            out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "batch norm's scale"}))
    return tuple(out)


__all__ = ["join_bn_scale"]
