"""A dilation along an axis where the kernel is one tap wide dilates nothing: a 1x1 projection built with
``dilation=2`` (DeepLab-style ``_make_layer`` copies pass the stage's dilation to every conv, the
projection's included) computes what the same conv at dilation 1 computes. Such an axis reads as
dilation 1, so the two spellings compare equal; a dilated kxk keeps its dilation. Op ids, dataflow and
shapes are untouched: only the attribute changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs

_DILATED = frozenset({OpKind.CONV, OpKind.MAX_POOL})


def unit_dilations(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = []
    for op in ops:
        a = dict(op.attrs)
        kernel, dilation = a.get("kernel_size"), a.get("dilation")
        if (
            op.kind in _DILATED
            and isinstance(kernel, tuple)
            and isinstance(dilation, tuple)
            and len(kernel) == len(dilation)
            and any(k == 1 and d != 1 for k, d in zip(kernel, dilation, strict=True))
        ):
            a["dilation"] = tuple(1 if k == 1 else d for k, d in zip(kernel, dilation, strict=True))
            op = replace(op, attrs=make_attrs(a))
        out.append(op)
    return tuple(out)


__all__ = ["unit_dilations"]
