"""One spelling for the average of n tensors: ``sum(outs) / len(outs)``, ``(a + b + c) / 3`` and
``torch.stack(outs).mean(0)`` (a deep ensemble's, a test-time augmentation's predictions) compute the
same. Each
reads as one op, ``mean_of`` with its count n, its adds or its stack as layout ops, so the spellings
compare equal and an average over another count stays a difference. Op ids and dataflow are
untouched: only kinds and attributes change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import DIV
from resnet_verify.tracing.canonical import function_of
from resnet_verify.tracing.records import LAYOUT_KINDS, OpKind, OpRecord, make_attrs, readers

_ELEMENTWISE = frozenset({OpKind.RELU, OpKind.ACTIVATION})
_ALONG_AXIS = frozenset({"softmax", "log_softmax"})


def _sum_chain(ops: Sequence[OpRecord], reading: dict[int, list[int]], top: int) -> list[int]:
    """The adds of ``a + b + c ...`` ending at ``top``, each read only by the next: [] if none."""
    chain: list[int] = []
    cur = top
    while cur >= 0 and ops[cur].kind is OpKind.ADD and len(ops[cur].inputs) == 2:
        chain.append(cur)
        left = ops[cur].inputs[0]
        if left < 0 or ops[left].kind is not OpKind.ADD or reading.get(left) != [cur]:
            break
        cur = left
    return chain


def _layout(op: OpRecord) -> OpRecord:
    return replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "mean of n"}))


def _mean_of(op: OpRecord, n: int) -> OpRecord:
    return replace(op, kind=OpKind.OTHER, attrs=make_attrs({"function": "mean_of", "n": n}))


def _slicewise(op: OpRecord) -> bool:
    """An op that maps each slice along the first axis on its own: elementwise, or a softmax over
    another axis (an ensemble's probabilities taken of its stacked logits at once, under vmap)."""
    if op.kind in _ELEMENTWISE:
        return True
    dim = dict(op.attrs).get("dim")
    rank = len(op.out_shape or ())
    return function_of(op) in _ALONG_AXIS and isinstance(dim, int) and rank > 1 and dim % rank != 0


def _stack_under(ops: Sequence[OpRecord], reading: dict[int, list[int]], mean: OpRecord) -> OpRecord | None:
    """The stack a mean over its new first axis averages, through ops that keep each stacked slice to
    itself (``torch.stack(logits).softmax(-1).mean(0)`` is the mean of the n probabilities)."""
    cur = mean
    while cur.inputs and cur.inputs[0] >= 0:
        below = ops[cur.inputs[0]]
        if reading.get(below.id) != [cur.id]:
            return None
        if below.name == "stack" and len(below.inputs) > 1:
            return below if below.out_shape == ops[mean.inputs[0]].out_shape else None
        if len(below.inputs) != 1 or not _slicewise(below):
            return None
        cur = below
    return None


def _source(ops: Sequence[OpRecord], i: int) -> int:
    """The op a tensor comes from past layout ops (a dropout is the identity in eval)."""
    while i >= 0 and ops[i].kind in LAYOUT_KINDS and len(ops[i].inputs) == 1:
        i = ops[i].inputs[0]
    return i


def _equal_terms(ops: Sequence[OpRecord], out: list[OpRecord], mean: OpRecord, terms: list[int]) -> None:
    """The mean of n runs of one computation (the same layer, weights and input: a multi-sample dropout
    head in eval, where every sample is the same) is that computation: the first run stands, the
    others and the mean become layout."""
    terms = [_source(ops, t) for t in terms]  # (``sum(...)`` starts from 0: its first add is layout)
    if len(terms) < 2 or any(t < 0 for t in terms):
        return
    first = ops[terms[0]]
    if first.kind in LAYOUT_KINDS or not first.params or first.out_shape is None:
        return
    key = (first.name, first.params, first.attrs, tuple(_source(ops, i) for i in first.inputs))
    if all(
        (o.name, o.params, o.attrs, tuple(_source(ops, i) for i in o.inputs)) == key
        for o in (ops[t] for t in terms)
    ):
        for t in terms[1:]:
            out[t] = replace(
                ops[t], kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "mean of equal terms"})
            )
        out[mean.id] = replace(mean, kind=OpKind.RESHAPE, inputs=(terms[0],), in_shapes=(first.out_shape,),
                               attrs=make_attrs({"part_of": "mean of equal terms"}))  # fmt: skip


def join_averages(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        a = dict(op.attrs)
        if op.kind is OpKind.OTHER and function_of(op) in DIV and op.inputs:
            top = op.inputs[0]
            # predictions (N, K) only: a sum of maps halved is a residual merge scaled (scaled_add.py)
            vector = op.out_shape is not None and len(op.out_shape) <= 2
            chain = (
                _sum_chain(ops, reading, top) if vector and top >= 0 and reading.get(top) == [op.id] else []
            )
            if chain and a.get("scalar") == float(len(chain) + 1):
                for add in chain:
                    out[add] = _layout(ops[add])
                out[op.id] = _mean_of(op, len(chain) + 1)
                terms = [ops[chain[-1]].inputs[0], *(ops[add].inputs[1] for add in reversed(chain))]
                _equal_terms(ops, out, op, terms)
        elif (
            function_of(op) == "mean" and a.get("dims") == (0,) and len(op.inputs) == 1 and op.inputs[0] >= 0
        ):
            stack = _stack_under(ops, reading, op)
            if stack is not None:
                out[stack.id] = _layout(stack)
                out[op.id] = _mean_of(op, len(stack.inputs))
                _equal_terms(ops, out, op, list(stack.inputs))
    return tuple(out)
