"""An average over an unfolded window is the average pool: ``F.unfold(x, k, padding=p, stride=s)``
viewed as ``(N, C, k*k, ...)`` and averaged over the window axis is ``F.avg_pool2d(x, k, s, p)`` with its
zero padding counted (PatchCore's neighbourhood aggregation, written both ways in anomaly repositories).

Read as the pool: the mean's slot becomes an ``AVG_POOL`` reading the unfold's input, the unfold and
the view its parts (layout). Only an undilated window, only a mean over exactly the window axis; a max
over it (zeros in the padding, not -inf) or a sum stays what it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def _only(reading: dict[int, list[int]], op: OpRecord, ops: Sequence[OpRecord]) -> OpRecord | None:
    uses = reading.get(op.id, [])
    return ops[uses[0]] if len(uses) == 1 and ops[uses[0]].inputs == (op.id,) else None


def _window_mean(unfold: OpRecord, view: OpRecord, mean: OpRecord) -> bool:
    a = dict(unfold.attrs)
    kernel, m = a.get("kernel_size"), dict(mean.attrs)
    if not isinstance(kernel, tuple) or set(a.get("dilation") or (1,)) != {1} or not unfold.out_shape:
        return False
    k, shape = math.prod(kernel), view.out_shape or ()
    dims = m.get("dims")
    return (
        view.kind is OpKind.RESHAPE
        and m.get("function") == "mean"
        and len(shape) >= 3
        and shape[2] == k
        and shape[1] * k == unfold.out_shape[1]
        and isinstance(dims, tuple)
        and tuple(d % len(shape) for d in dims) == (2,)
    )


def unfold_pools(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for unfold in ops:
        if (
            unfold.kind is not OpKind.OTHER
            or dict(unfold.attrs).get("function") != "unfold"
            or not unfold.in_shapes
        ):
            continue
        view = _only(reading, unfold, ops)
        mean = _only(reading, view, ops) if view is not None else None
        if view is None or mean is None or not _window_mean(unfold, view, mean):
            continue
        a = dict(unfold.attrs)
        attrs = {"ceil_mode": False, "count_include_pad": True, "kernel_size": a["kernel_size"],
                 "padding": a.get("padding"), "stride": a.get("stride")}  # fmt: skip
        out[mean.id] = replace(mean, name="avg_pool2d", kind=OpKind.AVG_POOL, inputs=unfold.inputs,
                               in_shapes=unfold.in_shapes, attrs=make_attrs(attrs))  # fmt: skip
        for part in (unfold, view):
            out[part.id] = replace(part, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "avg pool"}))
    return tuple(out)


__all__ = ["unfold_pools"]
