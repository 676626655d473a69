"""Where a block's paths fork, read through an eval-mode dropout that returned its input object."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.dataflow import Graph
from resnet_verify.tracing.records import OpKind, OpRecord


def through_dropout(graph: Graph, ops: Sequence[OpRecord], fork: int, operands: tuple[int, int]) -> int:
    """An eval-mode dropout returns its input object, so every later read of that tensor reads the
    dropout: on an adapter's input (``y = conv(x); x = dropout(x); y + adapter(x)``) it becomes the
    block's fork and the conv that read x first falls outside the block. Where an op feeding the add
    read the dropout's input itself, the fork is that input."""
    while fork >= 0 and ops[fork].kind is OpKind.DROPOUT and ops[fork].inputs:
        source = ops[fork].inputs[0]
        if not any(
            source in o.inputs and o.id != fork
            and (o.id in operands or any(graph.descends_from(x, o.id) for x in operands))
            for o in ops[source + 1 : fork]
        ):  # fmt: skip
            break
        fork = source
    return fork
