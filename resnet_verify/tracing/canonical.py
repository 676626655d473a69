"""One spelling per concept, after recording: ops that together compute what one op computes.

``x.mean(-1).mean(-1)`` and ``x.mean(3).mean(2)`` are a global average pool spelled in two steps;
the last step already reads as one (``opkinds``: a mean over every axis after (N, C) of what it is
given), the earlier ones are partial reductions that only feed it. They are re-marked as layout ops
(``RESHAPE``, ``part_of``), which alignment and diff skip, so the model compares as the one pool it
is. Op ids and dataflow are untouched: only kinds change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs

_REDUCTIONS = frozenset({"mean", "amax"})


def _partial_spatial(op: OpRecord) -> bool:
    a = dict(op.attrs)
    dims = a.get("dims")
    return (
        op.kind is OpKind.OTHER
        and a.get("function") in _REDUCTIONS
        and isinstance(dims, tuple)
        and bool(dims)
        and all(isinstance(d, int) and d >= 2 for d in dims)
    )


def join_partial_pools(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    consumers: dict[int, list[int]] = {}
    for op in ops:
        for i in op.inputs:
            consumers.setdefault(i, []).append(op.id)
    out = list(ops)
    joined: set[int] = set()
    for op in reversed(ops):  # the pool first, then each partial step that only feeds it
        if not _partial_spatial(op):
            continue
        uses = consumers.get(op.id, [])
        if len(uses) == 1 and (out[uses[0]].kind is OpKind.GLOBAL_POOL or uses[0] in joined):
            a = dict(op.attrs)
            out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({**a, "part_of": "global pool"}))
            joined.add(op.id)
    return tuple(out)


__all__ = ["join_partial_pools"]
