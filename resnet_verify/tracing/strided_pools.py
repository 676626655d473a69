"""A max or average over ``as_strided`` windows is the pool: ``x.as_strided((n, c, ho, wo, k, k), (s0, s1,
st * s2, st * s3, s2, s3)).amax(dim=(-2, -1))`` is ``F.max_pool2d(x, k, st)`` (and ``.mean`` the average
pool), the window view written by hand in "pooling from scratch" code and numerics checks. Read as the
pool: the reduction's slot becomes a ``MAX_POOL`` / ``AVG_POOL`` over the view's input (a ``-inf`` pad
before it then folds in as the pool's own padding, ``padfold``), the view (and a copy before it) its
part: layout that reads nothing, so the pool is what reads the map. Only a
view of a contiguous map whose windows step by whole rows and columns (``op_args.strided_window``), and
only a reduction over exactly the two window axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

_KINDS = {"amax": OpKind.MAX_POOL, "mean": OpKind.AVG_POOL}


def strided_pools(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for view in ops:
        a = dict(view.attrs)
        window, step = a.get("window"), a.get("window_stride")
        uses = reading.get(view.id, [])
        if view.kind is not OpKind.OTHER or not isinstance(window, tuple) or len(uses) != 1:
            continue
        pool = ops[uses[0]]
        p = dict(pool.attrs)
        kind = _KINDS.get(str(p.get("function")))
        if kind is None or pool.inputs != (view.id,) or p.get("dims") != (4, 5):
            continue
        attrs = {
            "kernel_size": window,
            "stride": step,
            "padding": (0, 0),
            "dilation": (1, 1),
            "ceil_mode": False,
        }
        if kind is OpKind.AVG_POOL:
            attrs = {k: v for k, v in attrs.items() if k != "dilation"} | {"count_include_pad": True}
        name = "max_pool2d" if kind is OpKind.MAX_POOL else "avg_pool2d"
        source = view.inputs[0]
        while (
            source >= 0
            and ops[source].kind is OpKind.RESHAPE
            and len(ops[source].inputs) == 1
            and (ops[source].out_shape == view.in_shapes[0])
        ):  # ``.contiguous()`` before the view: the pool reads the map itself (a pad before it folds in,
            # ``padfold``: so the bypassed copy reads nothing, and the pool is the pad's one reader)
            out[source] = replace(
                ops[source], inputs=(), attrs=make_attrs({**dict(ops[source].attrs), "part_of": "pool"})
            )
            source = ops[source].inputs[0]
        out[pool.id] = replace(pool, kind=kind, name=name, inputs=(source,), in_shapes=view.in_shapes,
                               attrs=make_attrs(attrs))  # fmt: skip
        out[view.id] = replace(
            view, kind=OpKind.RESHAPE, inputs=(), attrs=make_attrs({**a, "part_of": "pool"})
        )
    return tuple(out)


__all__ = ["strided_pools"]
