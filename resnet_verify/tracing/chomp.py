"""Causal 1-D convolutions in one spelling: a left pad then an unpadded conv, or a conv padded on both
sides then its last outputs cut off (a TCN's ``Chomp1d``: ``x[:, :, :-k]``).

Both compute one conv padded (left p, right 0), so both read as that: a constant zero pad op read by
a 1-D conv only folds into the conv's padding (two numbers, left and right, when they differ), and a
slice that only drops the last k outputs of a conv's time axis, the conv's one reader, folds into its
right padding (k fewer). The folded op becomes layout (``part_of``), which alignment and diff skip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

PART_OF = "causal padding"


def _conv1d_padding(op: OpRecord) -> tuple[int, int] | None:
    a = dict(op.attrs)
    k, p = a.get("kernel_size"), a.get("padding")
    if op.kind is not OpKind.CONV or not isinstance(k, tuple) or len(k) != 1 or not isinstance(p, tuple):
        return None
    if len(p) == 1 and isinstance(p[0], int):
        return (p[0], p[0])
    return (p[0], p[1]) if len(p) == 2 and all(isinstance(v, int) for v in p) else None


def _spelled(left: int, right: int) -> tuple[int, ...]:
    return (left,) if left == right else (left, right)


def _zero_pad_1d(op: OpRecord) -> tuple[int, int] | None:
    a = dict(op.attrs)
    pad = a.get("pad")
    if op.kind is not OpKind.PAD or a.get("mode", "constant") != "constant" or a.get("value", 0.0) != 0.0:
        return None
    if not isinstance(pad, tuple) or len(pad) != 2 or not op.in_shapes or len(op.in_shapes[0]) != 3:
        return None
    return (pad[0], pad[1]) if min(pad) >= 0 else None


def _chomped(op: OpRecord) -> int | None:
    """How many outputs a slice drops from the end of the last axis, keeping everything else."""
    bounds = dict(op.attrs).get("bounds")
    if op.kind is not OpKind.SLICE or not isinstance(bounds, str) or not op.in_shapes:
        return None
    shape = op.in_shapes[0]
    parts = [b.strip() for b in bounds.split(",")]
    if len(parts) != len(shape) or len(shape) != 3:
        return None
    if parts[:-1] != [":"] * (len(shape) - 1) or not parts[-1].startswith("0:"):  # (a whole axis reads ":")
        return None
    stop = parts[-1][2:]  # "-k" from the end, or a length from the start (op_args.axis_bound)
    kept = (
        shape[-1] + int(stop)
        if stop.startswith("-") and stop[1:].isdigit()
        else (int(stop) if stop.isdigit() else 0)
    )
    return shape[-1] - kept if 0 < kept < shape[-1] else None


def fold_causal_padding(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        uses = reading.get(op.id, [])
        pad = _zero_pad_1d(op)
        if pad is not None and len(uses) == 1 and out[uses[0]].inputs[:1] == (op.id,):
            conv = out[uses[0]]
            own = _conv1d_padding(conv)
            if own is not None:
                padding = _spelled(own[0] + pad[0], own[1] + pad[1])
                out[conv.id] = replace(conv, attrs=make_attrs({**dict(conv.attrs), "padding": padding}),
                                       in_shapes=(op.in_shapes[0], *conv.in_shapes[1:]))  # fmt: skip
                out[op.id] = replace(
                    op, kind=OpKind.RESHAPE, attrs=make_attrs({**dict(op.attrs), "part_of": PART_OF})
                )
    for op in out:
        own = _conv1d_padding(op)
        uses = reading.get(op.id, [])
        if own is None or len(uses) != 1:
            continue
        cut = _chomped(out[uses[0]])
        if cut is not None and cut <= own[1]:
            chomp = out[uses[0]]
            attrs = {**dict(op.attrs), "padding": _spelled(own[0], own[1] - cut)}
            out[op.id] = replace(op, attrs=make_attrs(attrs), out_shape=chomp.out_shape)
            out[chomp.id] = replace(chomp, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": PART_OF}))
    return tuple(out)


__all__ = ["fold_causal_padding"]
