"""GroupSort (1-Lipschitz networks' activation, Anil et al. 2019): a module that views its input in
groups, sorts each group, and views it back to the shape it was given. Read op by op it is "a sort"
where the reference has a ReLU, so nothing names the activation swap. It reads as one activation,
``group_sort``, with the axis it sorts over, so a GroupSort network compares as the activation swap
it is (and a sort over another axis stays a difference). Op ids and dataflow are untouched.

GroupSort of size 2 is also written as MaxMin: the max and the min of channel pairs, concatenated,
either of two halves (``a, b = x.split(C // 2, 1); cat([max(a, b), min(a, b)])``, locuslab's SOC) or
of neighbouring channels (``x.view(B, C // 2, 2, ...)`` then ``max`` / ``min`` over the pair axis,
i-ResNet's MaxMinGroup). It reads as the same activation, with how it pairs and orders the channels
(``pairs``, ``order``) recorded so that two different sorts never compare equal; the max, the min and
the split become layout steps of it (``part_of="group_sort"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.canonical import function_of, module_runs
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs


def _group_sort(run: Sequence[OpRecord]) -> OpRecord | None:
    sorts = [op for op in run if op.kind is OpKind.OTHER and dict(op.attrs).get("function") == "sort"]
    rest = [op for op in run if op.kind is not OpKind.RESHAPE and op not in sorts]
    if len(sorts) != 1 or rest or not run[0].in_shapes:
        return None
    return sorts[0] if run[-1].out_shape == run[0].in_shapes[0] else None


_EXTREMA = {"amax": "max", "amin": "min"}  # ``x.max(2)[0]`` over the pair axis reads as amax (opkinds)


def _max_min(run: Sequence[OpRecord]) -> dict[str, str] | None:
    """A MaxMin module: its pairing and order, or None."""
    steps = [op for op in run if op.kind not in (OpKind.RESHAPE, OpKind.SLICE)]
    if len(steps) != 3 or any(op.params for op in run) or not run[0].in_shapes:
        return None
    ext = {_EXTREMA.get(function_of(op), function_of(op)): op for op in steps[:2] if op.kind is OpKind.OTHER}
    cat = steps[2]
    if (
        set(ext) != {"max", "min"}
        or cat.kind is not OpKind.CAT
        or set(cat.inputs) != {o.id for o in ext.values()}
    ):
        return None
    if run[-1].out_shape != run[0].in_shapes[0] or len(set(cat.inputs)) != 2:
        return None
    binary = all(len(op.inputs) == 2 for op in ext.values())
    if not binary and not all(len(op.inputs) == 1 for op in ext.values()):
        return None
    first = "maxes" if cat.inputs[0] == ext["max"].id else "mins"
    return {
        "function": "group_sort",
        "pairs": "c and c + C/2" if binary else "neighbouring channels",
        "order": f"{first}, then {'mins' if first == 'maxes' else 'maxes'}",
    }


def _as_max_min(out: list[OpRecord], run: Sequence[OpRecord], attrs: dict[str, str]) -> None:
    for op in run:
        if op.kind in (OpKind.OTHER, OpKind.SLICE):
            out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "group_sort"}))
    last = run[-1]
    out[last.id] = replace(
        last, kind=OpKind.ACTIVATION, attrs=make_attrs(attrs), in_shapes=(run[0].in_shapes[0],)
    )


def sort_activations(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for run in module_runs(ops):
        pairs = _max_min(run)
        if pairs is not None and run[-1].kind is OpKind.CAT:
            _as_max_min(out, run, pairs)
            continue
        sort = _group_sort(run)
        if sort is None:
            continue
        a = dict(sort.attrs)
        attrs = {"function": "group_sort", "dim": a.get("dim"), "of": a.get("of")}
        out[sort.id] = replace(sort, kind=OpKind.ACTIVATION, attrs=make_attrs(attrs),
                               in_shapes=(run[0].in_shapes[0],), out_shape=run[-1].out_shape)  # fmt: skip
    return tuple(out)
