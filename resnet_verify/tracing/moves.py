"""Data moves replayed on element labels: which recorded ops only move, copy or zero elements, and
what each does to a tensor of labels.

A zero-filled tensor written slice by slice, slices concatenated with a block of zeros, ``F.pad`` then
``torch.stack``, a nearest upsampling or an unfold / fold: many spellings of one move. Replaying each
op on a tensor whose every element is its own label (1, 2, 3 ...; 0 is a zero) gives the move's index
map, the same whatever the spelling (verify/data_moves.py compares two of them). Each op is replayed
from its record alone (shapes and attributes), and a replay whose shape is not the recorded one fails:
a move that cannot be replayed exactly is never called equal.
"""

from __future__ import annotations

import re
from typing import Any

import torch
import torch.nn.functional as F

from resnet_verify.tracing.buffer_values import UNREAD
from resnet_verify.tracing.records import OpKind, OpRecord

_LAYOUT = frozenset({OpKind.RESHAPE, OpKind.FLATTEN, OpKind.DROPOUT})
_ZEROS = frozenset({"zeros", "zeros_like", "new_zeros"})
_ONE_INPUT = frozenset({"roll", "flip", "rot90", "repeat", "tile", "interpolate", "unfold", "fold"})
_SLICE = re.compile(r"^(-?\d*):(-?\d*)(?::(\d+))?$")


def makes_zeros(op: OpRecord) -> bool:
    """A tensor of zeros shaped like another (``zeros_like(x)``, ``x.mul(0)``, ``x - x``) or made anew."""
    fn = dict(op.attrs).get("function")
    if fn in _ZEROS:
        return True  # ``x.mul(0)`` is recorded as zeros_like too
    return fn == "sub" and len(op.inputs) == 2 and op.inputs[0] == op.inputs[1]  # ``x - x``


def data_inputs(op: OpRecord) -> tuple[int, ...]:
    """Positions of the inputs whose elements the move carries (``zeros_like(x)`` and ``expand_as(y)``
    read a shape only)."""
    if makes_zeros(op):
        return ()
    if op.kind is OpKind.CAT or dict(op.attrs).get("function") == "setitem":
        return tuple(range(len(op.inputs)))
    return (0,) if op.inputs else ()


def is_move(op: OpRecord) -> bool:
    """An op replay_move can replay: layout, slices, writes, concatenations, pads and pure moves."""
    a = dict(op.attrs)
    fn = a.get("function")
    if op.out_shape is None:
        return False
    if makes_zeros(op):
        return True
    if op.kind in _LAYOUT or op.kind is OpKind.CAT:
        return bool(op.inputs)
    if op.kind is OpKind.SLICE:
        return _known_bounds(a)
    if op.kind is OpKind.PAD:
        return "pad" in a and "value" not in a
    if fn == "setitem":
        return _known_bounds(a) and len(op.inputs) == 2
    if fn == "interpolate":
        return a.get("mode", "nearest") == "nearest"
    if fn in ("roll", "flip", "rot90"):
        return "dims" in a
    if fn == "fold":
        return {"output_size", "kernel_size", "dilation", "padding", "stride"} <= set(a)
    return fn in _ONE_INPUT and fn != "fold"


def _known_bounds(attrs: dict) -> bool:
    """Bounds to replay: recorded, and no positions a build on meta holds no value of."""
    return "bounds" in attrs and UNREAD not in str(attrs["bounds"]).split(", ")


def _slices(bounds: str, shape: torch.Size) -> tuple[slice | list[int], ...] | None:
    items = [b.strip() for b in bounds.split(",")]
    if len(items) != len(shape):
        return None
    out: list[slice | list[int]] = []
    for item, size in zip(items, shape, strict=True):
        if re.fullmatch(r"\[[\d ]+\]", item):  # positions (op_args.index_bound)
            out.append([int(v) for v in item[1:-1].split()])
            continue
        if re.fullmatch(r"-?\d+", item):
            k = int(item) % size
            out.append(slice(k, k + 1))
            continue
        m = _SLICE.match(item)
        if m is None:
            return None
        start, stop, step = (int(g) if g else None for g in m.groups())
        out.append(slice(start, stop, step))
    return tuple(out)


def _layout(op: OpRecord, x: torch.Tensor, out: tuple[int, ...]) -> torch.Tensor:
    perm = dict(op.attrs).get("perm")
    if perm is not None:
        return x.permute(*perm)
    if x.numel() == _numel(out):
        return x.reshape(out)
    return x.expand(out)  # expand / expand_as / broadcast_to: the one move that adds elements


def _numel(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def _cat(op: OpRecord, xs: list[torch.Tensor], out: tuple[int, ...]) -> torch.Tensor:
    a = dict(op.attrs)
    if op.name == "stack":
        return torch.stack(xs, dim=a["dim"])
    dims = [d for d in range(len(out)) if any(x.shape[d] != out[d] for x in xs)]
    return torch.cat(xs, dim=dims[0] if dims else 0)


def _write(op: OpRecord, xs: list[torch.Tensor]) -> torch.Tensor:
    target = xs[0].clone()
    where = _slices(str(dict(op.attrs)["bounds"]), target.shape)
    if where is None:
        raise ValueError("bounds")
    region = target[where]
    value = xs[1]
    target[where] = value.reshape(region.shape) if value.numel() == region.numel() else value
    return target


def _function(op: OpRecord, x: torch.Tensor, out: tuple[int, ...]) -> torch.Tensor:
    a = dict(op.attrs)
    fn = a["function"]
    if fn == "roll":
        return torch.roll(x, shifts=a["shifts"], dims=a["dims"])
    if fn == "flip":
        return torch.flip(x, dims=a["dims"])
    if fn == "rot90":
        return torch.rot90(x, a["k"], a["dims"])
    if fn in ("repeat", "tile"):
        return x.repeat(*a["repeats"])
    if fn == "interpolate":
        return F.interpolate(x, size=out[2:], mode="nearest")
    if fn == "unfold":
        return F.unfold(x, a["kernel_size"], a["dilation"], a["padding"], a["stride"])
    return F.fold(x, a["output_size"], a["kernel_size"], a["dilation"], a["padding"], a["stride"])


def _replayed(op: OpRecord, xs: list[torch.Tensor], out: tuple[int, ...]) -> torch.Tensor:
    a = dict(op.attrs)
    if makes_zeros(op):
        return torch.zeros(out, dtype=torch.float64, device="cpu")
    if op.kind in _LAYOUT:
        return _layout(op, xs[0], out)
    if op.kind is OpKind.SLICE:
        where = _slices(str(a["bounds"]), xs[0].shape)
        if where is None:
            raise ValueError("bounds")
        return xs[0][where].reshape(out)
    if op.kind is OpKind.CAT:
        return _cat(op, xs, out)
    if op.kind is OpKind.PAD:
        return F.pad(xs[0], a["pad"], mode=a.get("mode", "constant"))
    if a.get("function") == "setitem":
        return _write(op, xs)
    return _function(op, xs[0], out)


MAX_LABELS = 1 << 22  # elements a replay labels at most: a larger tensor is not replayed


def labels(shape: tuple[int, ...], start: int = 1) -> torch.Tensor | None:
    """A tensor of ``shape`` whose elements are labelled ``start``, ``start + 1`` ... (0 is a zero),
    on the CPU whatever the default device; None past :data:`MAX_LABELS` elements."""
    n = _numel(shape)
    if n > MAX_LABELS:
        return None
    return torch.arange(start, start + n, dtype=torch.float64, device="cpu").reshape(shape)


def replay_move(op: OpRecord, xs: list[torch.Tensor], out_shape: tuple[int, ...]) -> torch.Tensor | None:
    """The op applied to label tensors ``xs`` (its data inputs, in order), to ``out_shape`` (the shape
    its readers recorded reading: tracing/layout.py rewrites ``out_shape`` channels-first); None where
    it cannot be replayed exactly (an input or output of another shape than the recorded one, an
    argument the record lacks)."""
    recorded = [op.in_shapes[p] for p in data_inputs(op) if p < len(op.in_shapes)]
    if len(recorded) != len(xs) or any(tuple(x.shape) != tuple(s) for x, s in zip(xs, recorded, strict=True)):
        return None
    try:
        out: Any = _replayed(op, xs, out_shape)
    except (RuntimeError, ValueError, TypeError, KeyError, IndexError):
        return None
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != out_shape:
        return None
    return out


__all__ = ["MAX_LABELS", "data_inputs", "is_move", "labels", "makes_zeros", "replay_move"]
