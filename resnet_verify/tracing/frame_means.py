"""An average over frames (or any rows) taken before or after the classifier is one spelling.

Video networks that run a 2-D ResNet over frames folded into the batch (TSN, TSM) average the frames
somewhere in the head: mmaction2's TSNHead averages the pooled features and classifies once, the
original TSN classifies every frame and averages the logits, and a C2D network (a Conv3d ResNet whose
temporal kernels are 1) pools over time, height and width at once. All three compute the same
function: a Linear is linear, so the mean of its outputs over rows is the Linear of the mean, and the
mean over frames of per-frame global averages is the global average over the clip.

Two passes read them one way:

- ``mean_before_linear``: a Linear whose output reaches a mean only through layout ops, the mean
  reducing axes other than the Linear's features, is read with the mean (and the layout) first and the
  Linear last. Ids and readers stay: the chain's slots shift back by one, the Linear taking the mean's.
- ``frame_mean_into_pool``: a mean over the frames axis of a view that unfolds a global average pool's
  batch (``(N*T, C, 1, 1)`` → ``(N, T, C)``) is part of that pool, as a partial spatial mean is.

Nothing else moves: a softmax between the Linear and the mean (averaging probabilities) or a mean over
the features stops both, and a candidate that returns per-frame logits keeps its other output shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import LAYOUT_KINDS, OpKind, OpRecord, Shape, make_attrs, readers

_CHAIN = LAYOUT_KINDS  # (a dropout is the identity where the trace runs: eval)


def _mean_dims(op: OpRecord) -> tuple[int, ...] | None:
    a = dict(op.attrs)
    if op.kind is not OpKind.OTHER or a.get("function", op.name) != "mean" or len(op.inputs) != 1:
        return None
    dims = a.get("dims")
    if not isinstance(dims, tuple) or not dims or not op.in_shapes:
        return None
    rank = len(op.in_shapes[0])
    return tuple(d % rank for d in dims if isinstance(d, int))


def _only_reader(reading: dict[int, list[int]], op_id: int) -> int | None:
    uses = reading.get(op_id, [])
    return uses[0] if len(uses) == 1 else None


def _chain_to_mean(ops: Sequence[OpRecord], reading: dict[int, list[int]], start: int) -> list[int] | None:
    """Layout op ids from ``start``'s one reader up to a mean (its id last), each the one reader of
    the one before; None when anything else comes first."""
    chain: list[int] = []
    at = start
    while (nxt := _only_reader(reading, at)) is not None and ops[nxt].inputs == (at,):
        chain.append(nxt)
        if ops[nxt].kind in _CHAIN:
            at = nxt
            continue
        return chain if _mean_dims(ops[nxt]) is not None else None
    return None


def _with_features(shape: Shape | None, features: int) -> Shape | None:
    return None if shape is None or not shape else (*shape[:-1], features)


def _commutes(linear: OpRecord, chain: Sequence[OpRecord]) -> bool:
    a = dict(linear.attrs)
    n_out, n_in = a.get("out_features"), a.get("in_features")
    if not isinstance(n_out, int) or not isinstance(n_in, int) or not linear.in_shapes:
        return False
    mean = chain[-1]
    return (
        len(mean.in_shapes[0]) - 1 not in (_mean_dims(mean) or ())
        and all(op.in_shapes and op.in_shapes[0][-1] == n_out for op in chain)
        and all(op.out_shape and op.out_shape[-1] == n_out for op in chain)
    )


def mean_before_linear(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """Each Linear whose output is averaged over other axes (through layout ops only) is read after
    the mean (see the module docstring)."""
    reading = readers(ops)
    out = list(ops)
    for linear in ops:
        if linear.kind is not OpKind.LINEAR or len(linear.inputs) != 1:
            continue
        ids = _chain_to_mean(ops, reading, linear.id)
        if ids is None or not _commutes(linear, [ops[i] for i in ids]):
            continue
        n_in = dict(linear.attrs)["in_features"]
        slots = [linear.id, *ids]
        previous = linear.inputs
        for slot, moved in zip(slots, ids, strict=False):
            op = ops[moved]
            in_shape = _with_features(op.in_shapes[0], n_in)
            out[slot] = replace(
                op,
                id=slot,
                inputs=previous,
                in_shapes=(in_shape,) if in_shape is not None else (),
                out_shape=_with_features(op.out_shape, n_in),
            )
            previous = (slot,)
        last = ops[ids[-1]]
        out[last.id] = replace(
            linear,
            id=last.id,
            inputs=previous,
            in_shapes=(s,) if (s := _with_features(last.out_shape, n_in)) is not None else (),
            out_shape=last.out_shape,
        )
    return tuple(out)


def _pool_behind(ops: Sequence[OpRecord], op: OpRecord) -> OpRecord | None:
    at = op
    while len(at.inputs) == 1 and at.inputs[0] >= 0:
        at = ops[at.inputs[0]]
        if at.kind is OpKind.GLOBAL_POOL:
            return at if dict(at.attrs).get("mode", "avg") == "avg" else None
        if at.kind not in _CHAIN:
            return None
    return None


def frame_mean_into_pool(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """Each mean over axis 1 of a view unfolding a global average pool's batch joins the pool."""
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        if _mean_dims(op) != (1,) or len(op.in_shapes[0]) < 3:
            continue
        pool = _pool_behind(ops, op)
        if pool is None or pool.out_shape is None or any(len(reading.get(i, [])) != 1 for i in op.inputs):
            continue
        shape = op.in_shapes[0]
        if shape[0] * shape[1] == pool.out_shape[0] and math.prod(shape[2:]) == math.prod(pool.out_shape[1:]):
            a = dict(op.attrs)
            out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({**a, "part_of": "global pool"}))
    return tuple(out)


__all__ = ["frame_mean_into_pool", "mean_before_linear"]
