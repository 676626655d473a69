"""GroupSort (1-Lipschitz networks' activation, Anil et al. 2019): a module that views its input in
groups, sorts each group, and views it back to the shape it was given. Read op by op it is "a sort"
where the reference has a ReLU, so nothing names the activation swap. It reads as one activation,
``group_sort``, with the axis it sorts over, so a GroupSort network compares as the activation swap
it is (and a sort over another axis stays a difference). Op ids and dataflow are untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.canonical import module_runs
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs


def _group_sort(run: Sequence[OpRecord]) -> OpRecord | None:
    sorts = [op for op in run if op.kind is OpKind.OTHER and dict(op.attrs).get("function") == "sort"]
    rest = [op for op in run if op.kind is not OpKind.RESHAPE and op not in sorts]
    if len(sorts) != 1 or rest or not run[0].in_shapes:
        return None
    return sorts[0] if run[-1].out_shape == run[0].in_shapes[0] else None


def sort_activations(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for run in module_runs(ops):
        sort = _group_sort(run)
        if sort is None:
            continue
        a = dict(sort.attrs)
        attrs = {"function": "group_sort", "dim": a.get("dim"), "of": a.get("of")}
        out[sort.id] = replace(sort, kind=OpKind.ACTIVATION, attrs=make_attrs(attrs),
                               in_shapes=(run[0].in_shapes[0],), out_shape=run[-1].out_shape)  # fmt: skip
    return tuple(out)
