"""The arguments that say where a data move sends each element: a roll's shifts, a flip's axes, a
quarter turn's count and plane, a stack's new axis, ``F.fold``'s window. Recorded so that two spellings of one move can be replayed and
compared element by element (verify/data_moves.py), and so that a roll by 1 differs from one by 2."""

from __future__ import annotations

from typing import Any

import torch

from resnet_verify.tracing.op_args import arg
from resnet_verify.tracing.records import OpKind


def _ints(value: Any) -> tuple[int, ...] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, (tuple, list, torch.Size)) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return tuple(int(v) for v in value)
    return None


def _axes(value: Any, rank: int) -> tuple[int, ...] | None:
    dims = _ints(value)
    if dims is None or rank <= 0 or any(not -rank <= d < rank for d in dims):
        return None
    return tuple(d % rank for d in dims)


def _rank(args: tuple, kwargs: dict) -> int:
    tensor = args[0] if args else kwargs.get("input")
    if isinstance(tensor, (tuple, list)) and tensor:  # stack's sequence: the new axis is one more
        tensor = tensor[0]
        return tensor.dim() + 1 if isinstance(tensor, torch.Tensor) else 0
    return tensor.dim() if isinstance(tensor, torch.Tensor) else 0


def move_args(name: str, args: tuple, kwargs: dict) -> tuple[OpKind, dict[str, Any]] | None:
    rank = _rank(args, kwargs)
    if name == "stack":
        dim = _axes(arg(args, kwargs, 1, "dim", 0), rank)
        return OpKind.CAT, ({"dim": dim[0]} if dim else {})
    if name == "roll":
        shifts, dims = _ints(arg(args, kwargs, 1, "shifts")), _axes(arg(args, kwargs, 2, "dims"), rank)
        if shifts is None or dims is None or len(shifts) != len(dims):
            return OpKind.OTHER, {"function": "roll"}  # a roll of the flattened tensor: not replayed
        return OpKind.OTHER, {"function": "roll", "shifts": shifts, "dims": dims}
    if name == "rot90":
        k, dims = arg(args, kwargs, 1, "k", 1), _axes(arg(args, kwargs, 2, "dims", (0, 1)), rank)
        if not isinstance(k, int) or isinstance(k, bool) or dims is None or len(dims) != 2:
            return OpKind.OTHER, {"function": "rot90"}
        return OpKind.OTHER, {"function": "rot90", "k": k % 4, "dims": dims}
    if name == "flip":
        dims = _axes(arg(args, kwargs, 1, "dims"), rank)
        return OpKind.OTHER, {"function": "flip", **({"dims": dims} if dims is not None else {})}
    if name == "fold":
        window = {
            "output_size": _ints(arg(args, kwargs, 1, "output_size")),
            "kernel_size": _ints(arg(args, kwargs, 2, "kernel_size")),
            "dilation": _ints(arg(args, kwargs, 3, "dilation", 1)),
            "padding": _ints(arg(args, kwargs, 4, "padding", 0)),
            "stride": _ints(arg(args, kwargs, 5, "stride", 1)),
        }
        pairs = {k: v * 2 if v is not None and len(v) == 1 else v for k, v in window.items()}
        return OpKind.OTHER, {"function": "fold", **{k: v for k, v in pairs.items() if v is not None}}
    return None


_ROI = frozenset({"roi_align", "roi_pool", "ps_roi_align", "ps_roi_pool"})


def roi_args(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """A region pooling's window and scale (torchvision.ops): a ``spatial_scale`` typed for another
    map's stride reads other pixels with every shape the same."""
    if name not in _ROI:
        return {}
    if len(args) >= 5 and isinstance(
        args[2], float
    ):  # torch.ops.torchvision: (x, rois, scale, h, w, ratio, aligned)
        size, scale = args[3:5], args[2]
        ratio, aligned = (args[5] if len(args) > 5 else -1), (args[6] if len(args) > 6 else False)
    else:  # torchvision.ops.roi_align(x, boxes, output_size, spatial_scale, sampling_ratio, aligned)
        size, scale = arg(args, kwargs, 2, "output_size"), arg(args, kwargs, 3, "spatial_scale", 1.0)
        ratio, aligned = arg(args, kwargs, 4, "sampling_ratio", -1), arg(args, kwargs, 5, "aligned", False)
    out: dict[str, Any] = {"function": name}
    if (pair := _ints(size)) is not None:
        out["output_size"] = pair * 2 if len(pair) == 1 else pair
    if isinstance(scale, (int, float)) and not isinstance(scale, bool):
        out["spatial_scale"] = float(scale)
    if name in ("roi_align", "ps_roi_align") and isinstance(ratio, int) and not isinstance(ratio, bool):
        out["sampling_ratio"] = ratio
    if name == "roi_align" and isinstance(aligned, bool):
        out["aligned"] = aligned
    return out
