"""A spectral norm written by hand, read as the spectral norm it is.

GAN and uncertainty repositories write it in the layer itself: vectors ``u`` (one value per output) and
``v`` (one per input of the flattened weight) held as buffers or frozen parameters, ``sigma = u . (W v)``
and the layer run with ``W / sigma``. In eval mode that is exactly torch's ``spectral_norm``, which the
trace folds and tags ``param_ops="spectral_norm"``; the hand-written one recorded its steps instead
(``flatten→matmul→div``), so the two compared as weights computed otherwise. Whether the vectors are
refreshed in training is not part of this reading: it is compared on its own (``state_updates.py``), so a
hand-written spectral norm that forgot its power iteration is told as exactly that.

The signature is structural: a weight divided by a number made of matrix products of the weight with two
vectors of the layer whose sizes are the weight matrix's two sides, and nothing else computed (a clamp
to a coefficient, a normalisation in eval: another transform, kept as recorded).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import DIV
from resnet_verify.tracing.opkinds import LAYOUT_NAMES
from resnet_verify.tracing.records import OpKind, OpRecord, ParamInfo, make_attrs

_PRODUCTS = frozenset({"matmul", "mv", "mm", "dot", "__matmul__", "inner", "vdot"})
_LAYERS = (OpKind.CONV, OpKind.LINEAR)


def _is_sigma_division(chain: str) -> bool:
    steps = chain.split("→")
    return (
        steps[-1] in DIV
        and any(s in _PRODUCTS for s in steps)
        and all(s in LAYOUT_NAMES or s in _PRODUCTS or s in DIV for s in steps)
    )


def _has_vectors(op: OpRecord, shapes: dict[str, tuple[int, ...]]) -> bool:
    """A weight W and two more of the layer's tensors sized as W's rows and W's flattened columns."""
    weights = [shapes[p] for p in op.params if len(shapes.get(p, ())) >= 2]
    if len(weights) != 1:
        return False
    rows, cols = weights[0][0], math.prod(weights[0][1:])
    vectors = [shapes[p] for p in op.params if len(shapes.get(p, ())) == 1]
    if (cols,) not in vectors:
        return False
    vectors.remove((cols,))
    return (rows,) in vectors


def read_spectral_norms(ops: Sequence[OpRecord], params: Sequence[ParamInfo]) -> tuple[OpRecord, ...]:
    """``ops`` with each hand-written spectral norm's ``param_ops`` spelled ``spectral_norm``."""
    shapes = {name: p.shape for p in params for name in (p.name, *p.aliases)}
    out = []
    for op in ops:
        chain = dict(op.attrs).get("param_ops")
        if (
            op.kind in _LAYERS
            and isinstance(chain, str)
            and _is_sigma_division(chain)
            and _has_vectors(op, shapes)
        ):
            op = replace(op, attrs=make_attrs({**dict(op.attrs), "param_ops": "spectral_norm"}))
        out.append(op)
    return tuple(out)


__all__ = ["read_spectral_norms"]
