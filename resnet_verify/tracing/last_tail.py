"""What follows the network's last residual add and still belongs to its last block.

Elementwise ops that keep the add's shape (the ReLU after it, a norm) are the block's tail. So is a gate
that multiplies the block's output by what it computes from it (an SE gate applied after the add, as a
``super().forward(x)`` then ``x * self.se(x)`` subclass writes it): its global pool and Linears look like a
head's, but their result comes back to scale the map the head then reads. Cut there, heldout110's
bneck_se_after_add had the last block's gate paired with the classifier ("out_features 32 where the
reference has 10"). Every block's gate between two adds was already its own (``structure._tails``). A one-input op the
last block's own module applies to its output (a gain, ``out * self.res_scale``) is its tail too: read
as the head's, heldout118's last block had "an extra ReLU in the head".
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.dataflow import Graph
from resnet_verify.tracing.records import OpKind, OpRecord

# (RESHAPE: the parts of one op spelled in several, canonical.py: a hand-written swish's sigmoid)
ELEMENTWISE_TAIL = frozenset(
    {OpKind.RELU, OpKind.ACTIVATION, OpKind.BATCH_NORM, OpKind.NORM, OpKind.DROPOUT, OpKind.RESHAPE}
)
_GATE_START = frozenset({OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL})
_GATE_SPAN = 16  # ops a gate may take, from its pool to its multiply


def _gate(graph: Graph, ops: Sequence[OpRecord], end: int, start: int) -> list[int]:
    """The ops from ``start`` (a pool of ``end``) to the multiply that scales ``end`` by their result."""
    if ops[start].kind not in _GATE_START or ops[start].inputs[:1] != (end,):
        return []
    for op in ops[start + 1 : start + _GATE_SPAN]:
        if op.kind is OpKind.MUL and end in op.inputs and op.out_shape == ops[end].out_shape:
            other = [i for i in op.inputs if i != end]
            if other and all(i >= 0 and graph.descends_from(i, start) for i in other):
                return [
                    o.id for o in ops[start : op.id + 1] if o.id == start or graph.descends_from(o.id, start)
                ]
    return []


def _own_scale(op: OpRecord, merge: OpRecord, end: int) -> bool:
    """A one-input op on the block's output written in the block's own module (a residual gain, ``out *
    self.res_scale`` or ``out / math.sqrt(2)`` before its ReLU): the block's, not the head's."""
    owner = merge.module_path
    inside = bool(owner) and (op.module_path == owner or op.module_path.startswith(owner + "."))
    return op.kind is OpKind.OTHER and op.inputs == (end,) and inside


def last_tail(graph: Graph, ops: Sequence[OpRecord], merge: int) -> tuple[int, ...]:
    """Elementwise ops right after the last merge that keep its shape (the final ReLU), and gates."""
    tail: list[int] = []
    read = {i for op in ops[merge + 1 :] for i in op.inputs}
    end, k = merge, merge + 1
    while k < len(ops):
        op = ops[k]
        k += 1
        if op.kind is OpKind.RESHAPE:
            continue  # layout, or a step of an op written in several (a hand-written norm's mean)
        if op.id not in read and op.id != ops[-1].id:
            continue  # computed for a side output only (a feature list's ReLU): the head reads the add
        if not graph.descends_from(op.id, merge):
            continue
        if (op.kind in ELEMENTWISE_TAIL or _own_scale(op, ops[merge], end)) and op.out_shape == ops[
            merge
        ].out_shape:
            tail.append(op.id)
            end = op.id
            continue
        gate = _gate(graph, ops, end, op.id)
        if not gate:
            break
        tail.extend(gate)
        end, k = gate[-1], gate[-1] + 1
    return tuple(tail)


__all__ = ["ELEMENTWISE_TAIL", "last_tail"]
