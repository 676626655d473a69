"""A Linear on ``(N, T, C)`` and the same Linear on ``(N T, C)`` rows are one op.

The layout pass reads a Linear on a channels-last tensor as the 1x1 conv it computes (ConvNeXt's
``pwconv`` against a conv), so a Linear after a batch-first LSTM (``N x T x 2H``) records as a conv
while the same Linear after ``view(T * N, 2H)`` records as a Linear: a false difference between two
spellings. Paired with a Linear, such a conv (recorded from a ``linear`` call, kernel 1 everywhere) is
compared as the Linear it was written as.
"""

from __future__ import annotations

from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs


def _as_linear(op: OpRecord) -> OpRecord | None:
    a = dict(op.attrs)
    kernel = a.get("kernel_size")
    if (
        op.kind is not OpKind.CONV
        or op.name != "linear"
        or not isinstance(kernel, tuple)
        or set(kernel) != {1}
    ):
        return None
    attrs = {
        "bias": a.get("bias"),
        "in_features": a.get("in_channels"),
        "out_features": a.get("out_channels"),
    }
    return replace(op, kind=OpKind.LINEAR, attrs=make_attrs(attrs))


def one_linear(r: OpRecord, c: OpRecord) -> tuple[OpRecord, OpRecord]:
    """The pair with a Linear read as a 1x1 conv put back as the Linear, where the other side's is one."""
    if r.kind is OpKind.LINEAR and (lin := _as_linear(c)) is not None:
        return r, lin
    if c.kind is OpKind.LINEAR and (lin := _as_linear(r)) is not None:
        return lin, c
    return r, c


__all__ = ["one_linear"]
