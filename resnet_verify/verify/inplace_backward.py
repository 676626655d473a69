"""An in-place write into a tensor autograd saved for the backward: the forward runs and gives the
reference's outputs, the first ``loss.backward()`` raises "one of the variables needed for gradient
computation has been modified by an inplace operation". ``identity += out`` on a block's input that
its first conv read (the conv keeps its input for the weight gradient), ``x = relu(x); x += y`` (ReLU
keeps its output): a model that cannot be trained compared as "no difference". Read from the trace
alone (which op wrote in place into what, who read it before); each such write the other side does
not make is a mismatch at its op.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import OpKind, OpRecord, Trace, readers
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region

# ops whose backward reads their input (a conv's and a Linear's weight gradient, a norm's statistics,
# a product's other factor, a max pool's window)
_KEEP_INPUT = frozenset(
    {OpKind.CONV, OpKind.LINEAR, OpKind.BATCH_NORM, OpKind.NORM, OpKind.MUL, OpKind.MAX_POOL}
)
# ops whose backward reads their output
_KEEP_OUTPUT = frozenset({"sigmoid", "tanh", "exp", "softmax"})


# a ReLU spelled with a function whose backward reads its input, not its output (``x.clamp(min=0)``,
# ``torch.maximum(x, 0)``): writing into its result breaks nothing (mmdetection's FCOS head clamps its
# box output, then multiplies it by the stride in place)
_RELU_KEEPING_INPUT = frozenset({"clamp", "clamp_", "clip", "clip_", "clamp_min", "clamp_min_", "maximum", "max",
                                 "threshold", "threshold_", "where", "hardtanh", "hardtanh_"})  # fmt: skip


def _keeps_output(op: OpRecord) -> bool:
    return (op.kind is OpKind.RELU and op.name not in _RELU_KEEPING_INPUT) or (
        op.kind is OpKind.ACTIVATION and dict(op.attrs).get("function") in _KEEP_OUTPUT
    )


def breaking_writes(trace: Trace) -> dict[int, str]:
    """In-place op id -> what kept the tensor it overwrites (``conv2d``, ``relu``)."""
    out: dict[int, str] = {}
    reading: dict[int, list[int]] | None = None  # built at the first in-place op: most ops are not
    for op in trace.ops:
        if not op.inplace or op.kind is OpKind.RESHAPE or not op.inputs:
            continue
        target = op.inputs[0]
        if target >= 0 and _keeps_output(trace.ops[target]):
            out[op.id] = trace.ops[target].name
            continue
        reading = reading if reading is not None else readers(trace.ops)
        kept = [
            r
            for r in reading.get(target, ())
            if r < op.id and r != target and trace.ops[r].kind in _KEEP_INPUT
        ]
        if kept:
            out[op.id] = trace.ops[kept[0]].name
    return out


def _place(
    trace: Trace, op_id: int, pairs: Sequence[BlockPair], candidate: bool
) -> tuple[Region, BlockPair | None]:
    for i, b in enumerate(trace.structure.blocks):
        for region, ops in ((Region.MAIN, b.main), (Region.SHORTCUT, b.shortcut), (Region.TAIL, b.tail)):
            if op_id in ops or op_id == b.merge_op:
                pair = next((p for p in pairs if (p.candidate if candidate else p.reference) == i), None)
                return (Region.TAIL if op_id == b.merge_op else region), pair
    return (Region.STEM if op_id in trace.structure.stem else Region.HEAD), None


def inplace_mismatches(ref: Trace, cand: Trace, pairs: Sequence[BlockPair]) -> list[Mismatch]:
    """Each breaking write one side makes where the other makes none: matched place by place (stem,
    head, the main path, shortcut or tail of each aligned block pair); a write inside a block the
    other side lacks is that block's difference, not one of its own."""
    if ref.crash is not None or cand.crash is not None:
        return []
    mine, theirs = breaking_writes(cand), breaking_writes(ref)
    if not mine and not theirs:
        return []
    placed = {
        "candidate": [(o, *_place(cand, o, pairs, True)) for o in mine],
        "reference": [(o, *_place(ref, o, pairs, False)) for o in theirs],
    }
    out: list[Mismatch] = []
    for side, writes, trace in (("candidate", mine, cand), ("reference", theirs, ref)):
        others = [
            (region, pair) for _, region, pair in placed["reference" if side == "candidate" else "candidate"]
        ]
        for o, region, pair in placed[side]:
            if pair is not None and (pair.reference is None or pair.candidate is None):
                continue  # in a block the other side lacks: that block is the difference
            if (region, pair) in others:
                others.remove((region, pair))
                continue
            out.append(_mismatch(trace, o, writes[o], side, region, pair))
    return out


def _mismatch(
    trace: Trace, o: int, keeper: str, side: str, region: Region, pair: BlockPair | None
) -> Mismatch:
    op = trace.ops[o]
    text = (
        f"{op.module_path or 'forward'}: the {side} writes in place ({op.name}) into a tensor {keeper} kept "
        "for its backward: the forward runs, the first backward raises 'modified by an inplace operation'"
    )
    paths = (None, op.module_path) if side == "candidate" else (op.module_path, None)
    fails = f"fails ({keeper} kept what it overwrites)"
    values = ("runs", fails) if side == "candidate" else (fails, "runs")
    ids = (None, o) if side == "candidate" else (o, None)
    return Mismatch(
        MismatchKind.OP, paths[0], paths[1], "backward", values[0], values[1], text,
        op.source if side == "candidate" else None, region, op.kind, pair, ids[0], ids[1],
    )  # fmt: skip


__all__ = ["breaking_writes", "inplace_mismatches"]
