"""One spelling for a conv: its weight scaled per output channel and its output divided by the same scale
is the conv itself.

PyTorch's QAT ``ConvBn2d`` (``torch.ao.nn.intrinsic.qat``, what ``prepare_qat`` makes of every fused conv +
BatchNorm) runs ``conv(x, w * s) / s`` with ``s = γ / sqrt(running_var + eps)`` read from the BatchNorm it then
applies, so that the weight it fake-quantizes is the folded one, and passes ``torch.zeros(out_channels)`` as the
conv's bias. With fake quantization off (a float warm-up) that is exactly ``bn(conv(x, w))``, and it was read
as a weight computed in forward, an extra division, an extra ``zeros`` and the BatchNorm's scale and variance
"run a second time" in every conv. With fake quantization on, the weight's steps end in the fake-quantize op,
not in the multiply, and nothing is folded: the quantized weight is another function.

Folded only where the division's divisor is the multiply's own scale (the same parameters through the same
steps), in the conv's module, right after it (past layout ops, read by nothing else).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.conv_bias import sole_reader
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

_MUL = "→mul"


def _divided(
    conv: OpRecord, ops: Sequence[OpRecord], reading: dict[int, list[int]], scale: str
) -> OpRecord | None:
    found = sole_reader(conv, ops, reading)
    if found is None:
        return None
    nxt, at = found
    a = dict(nxt.attrs)
    same = (
        nxt.kind is OpKind.OTHER
        and a.get("function") == "div"
        and a.get("param_ops") == scale
        and nxt.inputs == (at,)
        and nxt.params
        and set(nxt.params) <= set(conv.params)
        and nxt.module_path == conv.module_path
    )
    return nxt if same else None


def _zero_bias(op: OpRecord) -> bool:
    """The ``torch.zeros(out_channels)`` made for the conv's bias argument (tracing/opkinds.py's
    ``adds_bias`` reads it as no bias): an op of no input and no parameter."""
    return (
        op.kind is OpKind.OTHER
        and dict(op.attrs).get("function") == "zeros"
        and not op.inputs
        and not op.params
    )


def unscale_convs(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    convs = [
        op for op in ops if op.kind is OpKind.CONV and str(dict(op.attrs).get("param_ops", "")).endswith(_MUL)
    ]
    if not convs:
        return tuple(ops)
    out = list(ops)
    reading = readers(ops)
    for conv in convs:
        a = dict(conv.attrs)
        div = _divided(conv, out, reading, str(a["param_ops"])[: -len(_MUL)])
        if div is None:
            continue
        del a["param_ops"]
        biases = [i for i in conv.inputs[1:] if not a.get("bias") and _zero_bias(out[i])]
        out[conv.id] = replace(
            conv,
            attrs=make_attrs(a),
            params=tuple(p for p in conv.params if p not in div.params),
            inputs=tuple(i for i in conv.inputs if i not in biases),
        )
        out[div.id] = replace(div, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "identity"}), params=())
        for i in biases:
            out[i] = replace(out[i], kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "bias"}))
    return tuple(out)


__all__ = ["unscale_convs"]
