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


def tag_reparametrized(
    ops: Sequence[OpRecord],
    reparametrized: Mapping[str, str],
    owned: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[OpRecord, ...]:
    """Each op reading a folded weight tagged with what computed it; the tensors the parametrization
    module held (``owned``: an NF-ResNet's gain) read by that op too, as the same computation written in
    ``forward`` reads them, so that the layer's parameters are those of the model as built."""
    if not reparametrized:
        return tuple(ops)
    out = []
    for op in ops:
        steps = [reparametrized[p] for p in op.params if p in reparametrized]
        if steps:
            attrs = dict(op.attrs)
            chain = "→".join(dict.fromkeys([*steps, *filter(None, [attrs.get("param_ops")])]))
            extra = [t for p in op.params for t in (owned or {}).get(p, ())]
            op = replace(
                op,
                attrs=make_attrs({**attrs, "param_ops": chain}),
                params=tuple(dict.fromkeys([*op.params, *extra])),
            )
        out.append(op)
    return tuple(out)


__all__ = ["tag_reparametrized"]
