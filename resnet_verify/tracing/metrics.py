"""Stage metrics from a :class:`Trace`: MACs, receptive field and effective stride per part.

Decisions:
- MACs are not counted here: the tracer runs the forward under ``flop_mode.FlopCount`` and stores on
  each :class:`OpRecord` what torch counted inside it (``macs`` = FLOPs / 2). A part's MACs are the
  sum over its ops, so stem, blocks, stages and head add up to the total whatever the names are.
- Receptive field and stride are propagated along the dataflow graph (``OpRecord.inputs``), op by
  op in execution order: a convolution or pool with kernel k, dilation d and stride s grows the
  receptive field by ``(k - 1) * d * jump`` and multiplies the jump (input pixels between two
  neighbouring outputs) by s. Where paths meet (the residual add, a concat, an SE multiply) the
  receptive field is the largest over all inputs, shortcuts included, so it is the largest over
  every path from the input.
- A global or adaptive pool is a window over its whole input (an SE gate therefore sees the whole
  image); ops that change the spatial size without a kernel we know (a strided slice, an
  interpolation) scale the jump by the size ratio and leave the receptive field as it was; an
  upsampling makes both unknown (None) rather than wrong.
- Reported numbers are the largest over the spatial dimensions, and per axis beside them (they differ
  for a 3-D network's time axis, or non-square kernels); reports show the axes where they differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from resnet_verify.tracing.records import INPUT_ID, Block, OpKind, OpRecord, Shape, Trace, attr_dict

_Dims = tuple[int, ...]
_Geo = tuple[_Dims, _Dims]  # (receptive field, jump) per spatial dimension
_WINDOWED = frozenset({OpKind.CONV, OpKind.MAX_POOL, OpKind.AVG_POOL})
_WHOLE_INPUT = frozenset({OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL})


@dataclass(frozen=True, slots=True)
class PartMetrics:
    """Cost and view of one part (stem, block, stage or head) of one traced network."""

    macs: int
    receptive_field: int | None  # input pixels the part's output sees; None when unknown
    stride: int | None  # input pixels between two neighbouring outputs; None when unknown
    # the same per spatial axis (time/depth, height, width for a 3-D network); None when unknown
    receptive_field_axes: tuple[int, ...] | None = None
    stride_axes: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class TraceMetrics:
    stem: PartMetrics
    blocks: tuple[PartMetrics, ...]  # by Block.index
    stages: tuple[PartMetrics, ...]  # by Stage.index
    head: PartMetrics
    total_macs: int


def total_macs(trace: Trace) -> int:
    """MACs of the whole forward (every recorded op, including ops outside stem/blocks/head)."""
    return sum(op.macs for op in trace.ops)


def sum_macs(trace: Trace, op_ids: Iterable[int]) -> int:
    return sum(trace.ops[o].macs for o in set(op_ids) if 0 <= o < len(trace.ops))


def block_ops(block: Block) -> tuple[int, ...]:
    merge = () if block.merge_op is None else (block.merge_op,)
    return (*block.main, *block.shortcut, *merge, *block.tail)


def block_output(block: Block) -> int:
    """The op whose output is the block's output (its last tail op, else its add)."""
    if block.tail:
        return block.tail[-1]
    return block.merge_op if block.merge_op is not None else block.main[-1]


def geometry(trace: Trace) -> tuple[_Geo | None, ...]:
    """(receptive field, jump) per spatial dimension for every op's output, by op id."""
    spatial = len(trace.input_shape) - 2
    if spatial < 1:
        return tuple(None for _ in trace.ops)
    start: _Geo = ((1,) * spatial, (1,) * spatial)
    geos: list[_Geo | None] = []
    for op in trace.ops:
        inputs = [start if i == INPUT_ID else geos[i] if i >= 0 else None for i in op.inputs]
        known = [(g, op.in_shapes[k] if k < len(op.in_shapes) else ()) for k, g in enumerate(inputs)]
        geos.append(_step(op, [(g, s) for g, s in known if g is not None], spatial))
    return tuple(geos)


def _merge(inputs: Sequence[tuple[_Geo, Shape]], out: Shape, spatial: int) -> tuple[_Geo, Shape] | None:
    """The largest receptive field over all inputs; the jump of the inputs at the output's size
    (an SE gate's 1x1 map is broadcast, its jump says nothing about the output grid)."""
    if not inputs:
        return None
    rf = tuple(max(g[0][d] for g, _ in inputs) for d in range(spatial))
    full = [(g, s) for g, s in inputs if s[2:] == out[2:]] or list(inputs)
    jump = tuple(max(g[1][d] for g, _ in full) for d in range(spatial))
    return (rf, jump), full[0][1]


def _dims(value: object, spatial: int) -> TypeGuard[_Dims]:
    return isinstance(value, tuple) and len(value) == spatial and all(isinstance(v, int) for v in value)


def _step(op: OpRecord, inputs: Sequence[tuple[_Geo, Shape]], spatial: int) -> _Geo | None:
    out = op.out_shape or ()
    merged = _merge(inputs, out, spatial)
    if merged is None:
        return None
    (rf, jump), in_shape = merged
    a = attr_dict(op.attrs)
    in_hw, out_hw = tuple(in_shape[2:]), tuple(out[2:])
    if op.kind in _WINDOWED:
        kernel, stride = a.get("kernel_size"), a.get("stride")
        dilation = a.get("dilation") or (1,) * spatial
        if not (_dims(kernel, spatial) and _dims(stride, spatial) and _dims(dilation, spatial)):
            return None
        return (
            tuple(r + (k - 1) * d * j for r, k, d, j in zip(rf, kernel, dilation, jump)),
            tuple(j * s for j, s in zip(jump, stride)),
        )
    if op.kind in _WHOLE_INPUT and len(in_hw) == spatial:
        outs = out_hw if len(out_hw) == spatial else (1,) * spatial
        kernel = tuple(-(-i // max(o, 1)) for i, o in zip(in_hw, outs))
        stride = tuple(max(i // max(o, 1), 1) for i, o in zip(in_hw, outs))
        return (
            tuple(r + (k - 1) * j for r, k, j in zip(rf, kernel, jump)),
            tuple(j * s for j, s in zip(jump, stride)),
        )
    if op.kind is OpKind.PAD or len(in_hw) != spatial or len(out_hw) != spatial or in_hw == out_hw:
        return rf, jump  # elementwise, a flatten, a padding: the view is unchanged
    if any(o < 1 or i % o for i, o in zip(in_hw, out_hw)):
        return None  # upsampling or an uneven resize: no integer jump to report
    return rf, tuple(j * (i // o) for j, i, o in zip(jump, in_hw, out_hw))


def _part(trace: Trace, geos: Sequence[_Geo | None], ops: Iterable[int], output: int | None) -> PartMetrics:
    geo = geos[output] if output is not None and 0 <= output < len(geos) else None
    return PartMetrics(
        macs=sum_macs(trace, ops),
        receptive_field=max(geo[0]) if geo is not None else None,
        stride=max(geo[1]) if geo is not None else None,
        receptive_field_axes=geo[0] if geo is not None else None,
        stride_axes=geo[1] if geo is not None else None,
    )


# The last few traces' metrics, by identity: a Trace is immutable, and the reference trace, memoized
# per process (``comparison.reference_trace``), is measured again by every compare against it
# (~1.5 ms of a resnet50 compare at 64 px). Held strongly, so an ``is`` match is never a new object
# at a recycled address; a handful, so the traces kept alive stay few.
_RECENT: list[tuple[Trace, TraceMetrics]] = []
_RECENT_MAX = 4


def trace_metrics(trace: Trace) -> TraceMetrics:
    """MACs, receptive field and stride of the stem, every block and stage, and the head."""
    for seen, metrics in _RECENT:
        if seen is trace:
            return metrics
    metrics = _trace_metrics(trace)
    _RECENT.insert(0, (trace, metrics))
    del _RECENT[_RECENT_MAX:]
    return metrics


def _trace_metrics(trace: Trace) -> TraceMetrics:
    s = trace.structure
    geos = geometry(trace)
    stem_out = s.blocks[0].fork_op if s.blocks else (s.stem[-1] if s.stem else None)
    blocks = tuple(_part(trace, geos, block_ops(b), block_output(b)) for b in s.blocks)
    stages = tuple(
        _part(
            trace,
            geos,
            (o for i in stage.blocks for o in block_ops(s.blocks[i])),
            block_output(s.blocks[stage.blocks[-1]]),
        )
        for stage in s.stages
    )
    return TraceMetrics(
        stem=_part(trace, geos, s.stem, stem_out if stem_out != INPUT_ID else None),
        blocks=blocks,
        stages=stages,
        head=PartMetrics(sum_macs(trace, s.head), None, None),
        total_macs=total_macs(trace),
    )
