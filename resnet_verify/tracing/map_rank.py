"""The shapes a block boundary holds, read at the rank of the network's maps."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import INPUT_ID, OpKind, OpRecord, Shape


def out_shape(ops: Sequence[OpRecord], op_id: int, input_shape: Shape) -> Shape:
    if op_id == INPUT_ID:
        return input_shape
    return ops[op_id].out_shape or ()


def computed_shape(ops: Sequence[OpRecord], op_id: int, input_shape: Shape, rank: int) -> Shape:
    """The shape of the tensor a block boundary holds, at the rank of the network's maps: a view
    between blocks into another rank (a non-local block's ``(N, T, C, H, W)`` unfolding of a TSM
    ResNet's folded frames) is layout, read back to where the maps were computed."""
    shape = given = out_shape(ops, op_id, input_shape)
    while (
        len(shape) != rank
        and op_id != INPUT_ID
        and ops[op_id].kind in (OpKind.FLATTEN, OpKind.RESHAPE)
        and len(ops[op_id].inputs) == 1
    ):
        op_id = ops[op_id].inputs[0]
        shape = out_shape(ops, op_id, input_shape)
    return shape if len(shape) == rank else given


def map_rank(ops: Sequence[OpRecord], input_shape: Shape) -> int:
    """The rank of the maps the network computes on: its first conv's input's, else the input's. A
    video's frames folded into the batch (N x T x 3 x H x W read as (N T) x 3 x H x W) run 2-D blocks
    on 4-D maps; a 5-D input must not make every 4-D sum look like pooled vectors."""
    first = next((op for op in ops if op.kind is OpKind.CONV and op.in_shapes), None)
    return min(len(input_shape), len(first.in_shapes[0])) if first is not None else len(input_shape)


__all__ = ["computed_shape", "map_rank", "out_shape"]
