"""Indexing and axis moves, as op classification reads them: a slice with its bounds (and a stride
taken by steps), a write into a region, an unsqueeze spelled as indexing, a permute's order; an index
that keeps every element in order is layout."""

from __future__ import annotations

from typing import Any

import torch

from resnet_verify.tracing.op_args import arg, slice_bounds
from resnet_verify.tracing.records import OpKind

_Classified = tuple[OpKind, dict[str, Any]]


def indexing(name: str, args: tuple, kwargs: dict) -> _Classified | None:
    """Indexing and axis moves: a slice with its bounds, a write into a region, a permute."""
    if name == "__getitem__" and _adds_axes_only(args):
        return OpKind.RESHAPE, {}
    if name in ("permute", "transpose", "swapaxes", "movedim"):
        order = _axis_order(name, args, kwargs)
        return OpKind.RESHAPE, ({"perm": order} if order is not None else {})
    if name == "__setitem__":  # a write into a region: where (its bounds) is what it computes
        return OpKind.OTHER, {"function": "setitem", **slice_bounds(args)}
    if name == "__getitem__" and (_whole(args) or _drops_unit_axes(args)):
        return (
            OpKind.RESHAPE,
            {},
        )  # ``out[:, :c]`` with c the channels it has, ``feat[..., 0, 0]`` on 1x1: every element
    if name in ("index_select", "narrow"):  # the positions they pick, as ``x[:, idx]`` records them
        return OpKind.SLICE, _axis_pick(name, args, kwargs)
    if name == "__getitem__":
        steps = _subsample(args)
        if steps is not None and set(steps) == {1}:
            return OpKind.RESHAPE, {}  # ``x[:, :, ::1, ::1]``: every element, in order
        return OpKind.SLICE, {**({"steps": steps} if steps is not None else {}), **slice_bounds(args)}
    return None


def _axis_pick(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``x.index_select(1, idx)`` and ``x.narrow(1, start, length)`` as the bounds of the same
    indexing (``x[:, idx]``, ``x[:, start:start + length]``)."""
    x, dim = (args[0] if args else None), arg(args, kwargs, 1, "dim", None)
    if not isinstance(x, torch.Tensor) or not isinstance(dim, int) or isinstance(dim, bool):
        return {}
    if name == "index_select":
        pick: Any = arg(args, kwargs, 2, "index", None)
    else:
        start, length = arg(args, kwargs, 2, "start", None), arg(args, kwargs, 3, "length", None)
        if not isinstance(start, int) or not isinstance(length, int):
            return {}
        pick = slice(start, start + length)
    return slice_bounds((x, (slice(None),) * (dim % max(x.dim(), 1)) + (pick,)))


def _adds_axes_only(args: tuple) -> bool:
    """``x[:, :, None, None]`` / ``x[..., None]``: an unsqueeze spelled as indexing, no element dropped."""
    index = args[1] if len(args) > 1 else None
    items = index if isinstance(index, tuple) else (index,)
    full = slice(None, None, None)
    return any(i is None for i in items) and all(i is None or i is Ellipsis or i == full for i in items)


def _drops_unit_axes(args: tuple) -> bool:
    """``feat[..., 0, 0]`` on an N x C x 1 x 1 map (fast-reid's neck): integers only on axes of size
    one other than the batch's, every other axis whole: a squeeze spelled as indexing."""
    tensor, index = (args[0], args[1]) if len(args) > 1 else (None, None)
    items = list(index) if isinstance(index, tuple) else [index]
    if not isinstance(tensor, torch.Tensor) or not any(
        isinstance(i, int) and not isinstance(i, bool) for i in items
    ):
        return False
    if items.count(Ellipsis) > 1:
        return False
    if Ellipsis in items:
        at = items.index(Ellipsis)
        used = sum(i is not None for i in items) - 1
        items[at : at + 1] = [slice(None)] * (tensor.dim() - used)
    axes = [i for i in items if i is not None]
    if len(axes) > tensor.dim() or (axes and not isinstance(axes[0], slice)):
        return False  # ``x[0]`` takes one sample of the batch: the trace's batch of one would hide it
    for size, i in zip(tensor.shape, axes, strict=False):
        if isinstance(i, int) and not isinstance(i, bool):
            if size != 1 or i not in (0, -1):
                return False
        elif not _full_slice(i, size):
            return False
    return True


def _full_slice(i: object, size: int) -> bool:
    return (
        isinstance(i, slice)
        and i.start in (None, 0)
        and i.step in (None, 1)
        and (i.stop is None or (isinstance(i.stop, int) and i.stop >= size))
    )


def _whole(args: tuple) -> bool:
    """An index of plain slices that keeps every element in order (``x[:, :x.size(1)]``)."""
    tensor, index = (args[0], args[1]) if len(args) > 1 else (None, None)
    items = index if isinstance(index, tuple) else (index,)
    if not isinstance(tensor, torch.Tensor) or len(items) > tensor.dim():
        return False
    for size, i in zip(tensor.shape, items, strict=False):
        if not isinstance(i, slice) or i.start not in (None, 0) or i.step not in (None, 1):
            return False
        if i.stop is not None and not (isinstance(i.stop, int) and i.stop >= size):
            return False
    return True


def _subsample(args: tuple) -> tuple[int, ...] | None:
    """``x[:, :, ::2, ::2]``: every axis whole, some taken every k-th from the first (what a strided
    1x1 conv reads): the step per axis; None for any other index."""
    tensor, index = (args[0], args[1]) if len(args) > 1 else (None, None)
    if not isinstance(tensor, torch.Tensor) or not isinstance(index, tuple) or len(index) != tensor.dim():
        return None
    if not all(isinstance(i, slice) and i.start in (None, 0) and i.stop is None for i in index):
        return None
    steps = tuple(int(i.step or 1) for i in index)
    return steps if all(s >= 1 for s in steps) and steps[:2] == (1, 1) else None


def _axis_order(name: str, args: tuple, kwargs: dict) -> tuple[int, ...] | None:
    """The permutation a layout op applies (output axis i is input axis ``order[i]``), for the
    layout pass (canonical.py): NHWC ports permute around every conv. Pure Python: no torch call
    may run while an op is being recorded."""
    tensor = args[0] if args else None
    if not isinstance(tensor, torch.Tensor) or tensor.dim() == 0:
        return None
    n = tensor.dim()
    try:
        if name == "permute":
            if "dims" in kwargs:
                dims = kwargs["dims"]
            elif len(args) == 2 and isinstance(args[1], list | tuple):
                dims = args[1]
            else:
                dims = args[1:]
            order = tuple(int(d) % n for d in dims)
        elif name == "movedim":
            src, dst = arg(args, kwargs, 1, "source"), arg(args, kwargs, 2, "destination")
            srcs = [int(v) % n for v in ((src,) if isinstance(src, int) else src)]
            dsts = [int(v) % n for v in ((dst,) if isinstance(dst, int) else dst)]
            slots: list[int | None] = [None] * n
            for s_, d_ in zip(srcs, dsts, strict=True):
                slots[d_] = s_
            rest = iter(a for a in range(n) if a not in srcs)
            order = tuple(v if v is not None else next(rest) for v in slots)
        else:
            a, b = int(arg(args, kwargs, 1, "dim0")) % n, int(arg(args, kwargs, 2, "dim1")) % n
            swapped = list(range(n))
            swapped[a], swapped[b] = b, a
            order = tuple(swapped)
    except (TypeError, ValueError, IndexError, StopIteration):
        return None
    return order if sorted(order) == list(range(n)) else None
