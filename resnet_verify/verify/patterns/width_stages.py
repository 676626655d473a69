"""Blocks read by their shapes: whether a block halves the resolution, and the stages as the widths cut
them (a stage starts at every block that changes the width). The tracer cuts stages where the resolution
changes; the stride-placement rules (stage end, first stage, strides at other blocks) also need the cut a
width change makes, which is where the code's stages begin whatever block carries their stride."""

from __future__ import annotations

from resnet_verify.tracing.records import Block, Trace


def halves(b: Block) -> bool:
    """The block's output map is smaller than its input's (a stride inside it)."""
    return len(b.in_shape) == len(b.out_shape) > 2 and b.out_shape[2:] < b.in_shape[2:]


def width_stages(trace: Trace) -> list[list[Block]]:
    """The blocks in forward order, a new stage at every block that changes the width."""
    stages: list[list[Block]] = []
    for b in trace.structure.blocks:
        if not stages or b.in_shape[1:2] != b.out_shape[1:2]:
            stages.append([])
        stages[-1].append(b)
    return stages


__all__ = ["halves", "width_stages"]
