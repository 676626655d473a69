"""What a norm, a slice or a sort is given beyond its kind, in one spelling each.

Two GroupNorms with 32 and 16 groups, ``x[:, :, -T:]`` and ``x[:, :, :T]``, a sort over the channel
pairs and one over the width pairs: without their arguments each pair reads as the same op, a false
"no difference". Each is recorded with torch's defaults filled in and every axis or bound made
non-negative against the input's shape, so equal calls spelled otherwise stay equal.
"""

from __future__ import annotations

from typing import Any

import torch

from resnet_verify.specs.steps import arg, normalize_args, step_name  # noqa: F401  (read as op_args.X)
from resnet_verify.specs.vocabulary import DIV
from resnet_verify.tracing.buffer_values import UNREAD

_NORM_ARGS: dict[str, tuple[tuple[str, int, Any], ...]] = {
    # name -> (argument, position, torch's default)
    "group_norm": (("num_groups", 1, None), ("eps", 4, 1e-5)),
    "layer_norm": (("normalized_shape", 1, None), ("eps", 4, 1e-5)),
    "instance_norm": (("use_input_stats", 5, True), ("momentum", 6, 0.1), ("eps", 7, 1e-5)),
    "local_response_norm": (("size", 1, None), ("alpha", 2, 1e-4), ("beta", 3, 0.75), ("k", 4, 1.0)),
}
_WEIGHT_AT = {"group_norm": 2, "layer_norm": 2, "instance_norm": 3}
SORTS = frozenset({"sort", "argsort", "msort", "topk", "kthvalue", "cummax", "cummin", "cumsum", "cumprod"})
# functions whose axis decides what they compute: a softmax over the keys' depth is not one over
# the positions (a lambda layer's keys, an attention map's rows or columns)
_ALONG_AXIS = SORTS | {"softmax", "log_softmax", "softmin", "logsumexp", "logcumsumexp"}
_DIM_AT = {"topk": 2, "kthvalue": 2}  # after k; the others take dim right after the input
VARIANCES = frozenset({"var", "std", "var_mean", "std_mean"})


def _plain(value: Any) -> Any:
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value) if isinstance(value, float) else int(value)
    if isinstance(value, list | tuple | torch.Size):
        return tuple(_plain(v) for v in value)
    return None


def norm_arguments(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``{"num_groups": 32, "eps": 1e-5, "affine": True}`` for ``group_norm(x, 32, w, b)``."""
    out: dict[str, Any] = {}
    for key, position, default in _NORM_ARGS.get(name, ()):
        value = _plain(arg(args, kwargs, position, key, default))
        if value is not None:
            out[key] = value
    if name in _WEIGHT_AT:
        out["affine"] = arg(args, kwargs, _WEIGHT_AT[name], "weight") is not None
    return out


def variance_correction(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``{"correction": 0}`` for ``x.var(-1, unbiased=False)``: a biased and an unbiased variance
    normalise differently (a hand-written LayerNorm is LayerNorm only with the biased one)."""
    if name not in VARIANCES:
        return {}
    value = kwargs.get("correction")
    if value is None and "unbiased" in kwargs:
        value = int(bool(kwargs["unbiased"]))
    if value is None:  # the old overload: var(x, dim, unbiased, keepdim) or var(x, unbiased)
        value = next((int(a) for a in args[1:] if isinstance(a, bool)), 1)
    return {"correction": _plain(value)} if isinstance(value, int | float) else {}


_SHUFFLES = {"pixel_shuffle": "upscale_factor", "pixel_unshuffle": "downscale_factor"}


def shuffle_factor(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``{"upscale_factor": 2}`` for ``F.pixel_shuffle(x, 2)``: a sub-pixel upsampler's factor."""
    key = _SHUFFLES.get(name)
    value = arg(args, kwargs, 1, key) if key else None
    return {key: int(value)} if key and isinstance(value, int) and not isinstance(value, bool) else {}


def sort_dim(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``{"dim": 2, "of": 5}`` for a sort over axis 2 of a 5-D view (GroupSort's pairs), a softmax's
    axis."""
    tensor = args[0] if args else None
    if name not in _ALONG_AXIS or not isinstance(tensor, torch.Tensor) or tensor.dim() == 0:
        return {}
    dim = arg(args, kwargs, _DIM_AT.get(name, 1), "dim", -1 if name != "msort" else 0)
    if isinstance(dim, bool) or not isinstance(dim, int):
        return {}
    return {"dim": dim % tensor.dim(), "of": tensor.dim()}


def _bound(item: Any, size: int) -> str | None:
    if isinstance(item, slice):
        if not all(
            v is None or (isinstance(v, int) and not isinstance(v, bool))
            for v in (item.start, item.stop, item.step)
        ):
            return None
        return axis_bound(*item.indices(size), size)
    if isinstance(item, int) and not isinstance(item, bool):
        return str(item % size) if size else None
    return index_bound(item, size)


def index_bound(item: Any, size: int) -> str | None:
    """A list of positions along one axis (``x[:, kept]``, a 1-D integer tensor with values): a range
    where the positions are one (``[0, 1, 2]`` is ``0:3``, ``[0, 2, 4]`` ``0:6:2``: one spelling), else
    the positions themselves, ``[1 3 6]``, so a kept-channel list off by one is a difference where
    every shape agrees; :data:`UNREAD` for an index tensor without values (meta). A boolean mask or
    another index: None."""
    if isinstance(item, torch.Tensor):
        if item.dim() != 1 or item.dtype not in (torch.int64, torch.int32, torch.int16):
            return None
        if item.is_meta:
            return UNREAD  # positions a build on meta holds no value of: nothing to compare them by
        item = item.tolist()
    if not isinstance(item, list) or not item or not size:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in item):
        return None
    values = [v % size for v in item]
    step = values[1] - values[0] if len(values) > 1 else 1
    if step > 0 and values == list(range(values[0], values[-1] + 1, step)):
        return axis_bound(values[0], min(values[-1] + step, size), step, size)
    return "[" + " ".join(map(str, values)) + "]"  # every one: the replay of data moves reads them


def axis_bound(start: int, stop: int, step: int, size: int) -> str:
    """One axis's range as a user writes it, each end counted from the end it is nearer to: a crop of
    one pixel a side is ``1:-1`` on any map (``1:31`` at 32 px and ``1:29`` at 30 read as two crops),
    the whole axis ``:`` whatever its length, the last T steps ``-T:``, the first T ``0:T``."""
    every = f":{step}" if step != 1 else ""
    if start == 0 and stop == size:
        return ":" + every
    first = str(start if start <= size - start else start - size)
    last = "" if stop == size else str(stop if stop <= size - stop else stop - size)
    return f"{first}:{last}{every}"


def slice_bounds(args: tuple) -> dict[str, Any]:
    """``{"bounds": ":, :, -4:"}`` for ``x[:, :, -4:]`` (or ``x[:, :, 12:]``) on a (1, 4, 16) tensor: each axis's range
    made non-negative against the input's size (``x[..., :T]`` and ``x[..., -T:]`` differ), a whole
    axis ``:`` whatever its size (a width's consequence is the width's, not the slice's). Plain slices,
    integers and lists of positions (``index_bound``); anything else (a boolean mask, None for a new axis)
    records nothing."""
    tensor, index = (args[0], args[1]) if len(args) > 1 else (None, None)
    if not isinstance(tensor, torch.Tensor):
        return {}
    items = list(index) if isinstance(index, tuple) else [index]
    if sum(i is Ellipsis for i in items) > 1 or any(i is None for i in items):
        return {}
    if Ellipsis in items:
        at = items.index(Ellipsis)
        items = items[:at] + [slice(None)] * (tensor.dim() - len(items) + 1) + items[at + 1 :]
    items += [slice(None)] * (tensor.dim() - len(items))
    if len(items) != tensor.dim():
        return {}
    bounds = [_bound(i, int(s)) for i, s in zip(items, tensor.shape, strict=True)]
    return {} if any(b is None for b in bounds) else {"bounds": ", ".join(str(b) for b in bounds)}


PIECES = frozenset({"chunk", "split", "split_with_sizes", "tensor_split"})


def piece_bounds(shape: tuple[int, ...], pieces: list[tuple[int, ...]]) -> list[str] | None:
    """Each piece's bounds, as ``slice_bounds`` writes them, for ``x.chunk(2, 1)`` / ``torch.split``:
    the pieces laid end to end along the one axis they cut. ``x1, x2 = x.chunk(2, 1)`` is then
    ``x[:, :c]`` and ``x[:, c:]``, two slices (a reversible block adds one to a function of the other:
    read as one op, both halves were one producer). None where the pieces do not tile one axis."""
    axes = {d for p in pieces for d, (a, b) in enumerate(zip(shape, p, strict=False)) if a != b}
    if len(pieces) < 2 or any(len(p) != len(shape) for p in pieces) or len(axes) != 1:
        return None
    axis = axes.pop()
    if sum(p[axis] for p in pieces) != shape[axis]:
        return None
    out, start = [], 0
    for p in pieces:
        ranges = [":" for _ in shape]
        ranges[axis] = axis_bound(start, start + p[axis], 1, shape[axis])
        start += p[axis]
        out.append(", ".join(ranges))
    return out


_TRANSPOSED = frozenset({"conv_transpose1d", "conv_transpose2d", "conv_transpose3d"})


def conv_transpose_arguments(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """A transposed conv's kernel, stride, padding, output padding, groups and dilation (an up-sampling
    decoder's), one spelling: ints as the per-axis tuples the module holds."""
    weight = arg(args, kwargs, 1, "weight")
    if name not in _TRANSPOSED or not isinstance(weight, torch.Tensor) or weight.dim() < 3:
        return {}
    n = weight.dim() - 2

    def axes(value: Any, default: int) -> Any:
        value = default if value is None else value
        return tuple(int(v) for v in value) if isinstance(value, list | tuple) else (int(value),) * n

    out: dict[str, Any] = {"kernel_size": tuple(int(k) for k in weight.shape[2:])}
    for key, position, default in (
        ("stride", 3, 1),
        ("padding", 4, 0),
        ("output_padding", 5, 0),
        ("dilation", 7, 1),
    ):
        out[key] = axes(arg(args, kwargs, position, key), default)
    out["groups"] = int(arg(args, kwargs, 6, "groups", 1))
    out["bias"] = adds_bias(arg(args, kwargs, 2, "bias"))  # (a bias before a BatchNorm is dead weight)
    return out


_LINEAR_MODES = frozenset({"linear", "bilinear", "bicubic", "trilinear"})


def interpolate_args(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``{"mode": "bilinear", "align_corners": False}`` for ``F.interpolate(x, scale_factor=2,
    mode="bilinear")``: nearest and bilinear upsampling give the same shape, not the same values (an FPN's
    neck); align_corners and antialias change a linear mode's values too. The size is the output's."""
    if name not in ("interpolate", "upsample"):
        return {}
    mode = str(arg(args, kwargs, 3, "mode", "nearest"))
    out: dict[str, Any] = {"mode": mode}
    if mode in _LINEAR_MODES:
        out["align_corners"] = bool(arg(args, kwargs, 4, "align_corners", False))
    if arg(args, kwargs, 6, "antialias", False):
        out["antialias"] = True
    return out


_CLAMPS = {"clamp": ("min", "max"), "clip": ("min", "max"), "clamp_min": ("min",), "clamp_max": ("max",)}


def clamp_bounds(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``x.clamp(max=3)``: the bounds a clamp clips at (``clamp(max=3)`` and ``clamp(max=6)`` differ)."""
    keys = _CLAMPS.get(name[:-1] if name.endswith("_") else name, ())
    out: dict[str, Any] = {}
    for i, key in enumerate(keys):
        value = arg(args, kwargs, i + 1, key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[f"clamp_{key}"] = float(value)
    return out


def divisor(name: str, args: tuple, tensor_inputs: int) -> dict[str, Any]:
    """``x / math.sqrt(2)``: the number a tensor is divided by (``x / 2`` and ``x / 4`` differ)."""
    if name not in DIV or tensor_inputs != 1 or len(args) < 2 or not isinstance(args[0], torch.Tensor):
        return {}
    number = args[1]
    return (
        {"scalar": float(number)} if isinstance(number, int | float) and not isinstance(number, bool) else {}
    )


def repeats(args: tuple, kwargs: dict) -> tuple[int, ...] | None:
    """``x.repeat(1, 3, 1, 1)`` / ``torch.tile(x, (1, 3))``: how many times each axis is repeated."""
    counts = (
        args[1:]
        if len(args) > 2
        else (args[1] if len(args) == 2 else kwargs.get("repeats", kwargs.get("dims")))
    )
    items = tuple(counts) if isinstance(counts, list | tuple | torch.Size) else (counts,)
    ok = bool(items) and all(isinstance(c, int) and not isinstance(c, bool) for c in items)
    return tuple(int(c) for c in items) if ok else None


def adds_bias(bias: Any) -> bool:
    """Whether a conv's bias argument adds anything: a constant of zeros made for the call (a QAT ConvBn
    passes ``torch.zeros(out_channels)`` where its conv has none) is no bias; on meta, values unknown, a
    tensor is one."""
    if bias is None:
        return False
    if not isinstance(bias, torch.Tensor) or isinstance(bias, torch.nn.Parameter) or bias.requires_grad:
        return True
    return bias.is_meta or bool(bias.any())


def strided_window(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """``x.as_strided((n, c, ho, wo, kh, kw), (s0, s1, sh * s2, sw * s3, s2, s3))`` of a contiguous map: the
    ``kh x kw`` windows at stride ``(sh, sw)`` a pool reads (``strided_pools``); {} for any other view."""
    tensor = args[0] if args else kwargs.get("input")
    size, stride = arg(args, kwargs, 1, "size"), arg(args, kwargs, 2, "stride")
    offset = arg(args, kwargs, 3, "storage_offset", 0)
    if name != "as_strided" or not isinstance(tensor, torch.Tensor) or tensor.dim() != 4 or offset:
        return {}
    if (
        not tensor.is_contiguous()
        or not isinstance(size, list | tuple)
        or not isinstance(stride, list | tuple)
    ):
        return {}
    if len(size) != 6 or len(stride) != 6 or tuple(size[:2]) != tuple(tensor.shape[:2]):
        return {}
    s = tensor.stride()
    steps = (stride[2] // s[2], stride[3] // s[3])
    expected = (s[0], s[1], steps[0] * s[2], steps[1] * s[3], s[2], s[3])
    if tuple(stride) != expected or min(steps) < 1:
        return {}
    return {"window": (int(size[4]), int(size[5])), "window_stride": steps}
