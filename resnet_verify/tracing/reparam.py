"""Weights a parametrization computes (weight_norm, spectral_norm, a user's own ``parametrize``
module), seen on the ops that read them.

The tracer folds each parametrization into a plain weight before the forward (``specs.usercode.
strip_reparametrizations``) so the conv compares with the reference's conv as the layer it is; what
computed the weight goes on that conv's ``param_ops`` attribute, where a weight transform written in
``forward`` (weight standardization) goes too, so that a spectral-normalized ResNet never compares
clean against a plain one (``verify/patterns/param_ops.py`` reports it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpRecord, make_attrs


def tag_reparametrized(ops: Sequence[OpRecord], reparametrized: Mapping[str, str]) -> tuple[OpRecord, ...]:
    if not reparametrized:
        return tuple(ops)
    out = []
    for op in ops:
        steps = [reparametrized[p] for p in op.params if p in reparametrized]
        if steps:
            attrs = dict(op.attrs)
            chain = "→".join(dict.fromkeys([*steps, *filter(None, [attrs.get("param_ops")])]))
            op = replace(op, attrs=make_attrs({**attrs, "param_ops": chain}))
        out.append(op)
    return tuple(out)


__all__ = ["tag_reparametrized"]
