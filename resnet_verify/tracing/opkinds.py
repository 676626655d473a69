"""Map torch's many spellings of an op onto one :class:`OpKind` and its hyper-parameters.

The tracer sees the outermost torch call (``F.conv2d``, ``Tensor.__iadd__``, ``torch.flatten`` ...).
Hyper-parameters are read from the call's own arguments, not from modules, so a model written with
``F.max_pool2d(x, 3, 2, 1)`` and one with ``nn.MaxPool2d(3, 2, 1)`` produce identical records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from resnet_verify.tracing.activation_args import activation_arguments
from resnet_verify.tracing.attention_steps import fused_arguments
from resnet_verify.tracing.fake_quant import fake_quant_off
from resnet_verify.tracing.made_args import made_arguments
from resnet_verify.tracing.move_args import move_args, roi_args
from resnet_verify.tracing.op_args import (
    adds_bias,
    clamp_bounds,
    conv_transpose_arguments,
    divisor,
    interpolate_args,
    norm_arguments,
    normalize_args,
    repeats,
    shuffle_factor,
    sort_dim,
    strided_window,
    variance_correction,
)
from resnet_verify.tracing.op_args import arg as _arg
from resnet_verify.tracing.op_index import indexing
from resnet_verify.tracing.opnames import (  # noqa: F401  (IGNORED ... are read as opkinds.X)
    ACTIVATION_NAMES,
    ADAPTIVE_NAMES,
    ADD_NAMES,
    AVG_POOL_NAMES,
    CONV_NAMES,
    DROPOUT_NAMES,
    FLATTEN_NAMES,
    IGNORED,
    INPLACE_DUNDERS,
    LAYOUT_NAMES,
    MAX_POOL_NAMES,
    MUL_NAMES,
    NORM_NAMES,
    RELU_NAMES,
    RESHAPE_NAMES,
    SLICE_NAMES,
    TRACKED_PROPERTIES,
)
from resnet_verify.tracing.records import OpKind


def _pair(value: Any, default: int | None = None, n: int = 2) -> Any:
    """One entry per spatial dimension (``n``: 1 for conv1d / pool1d, 3 for the 3-D ops), as the
    modules hold them: an int or a 1-tuple is repeated."""
    if value is None:
        return None if default is None else (default,) * n
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return (value,) * n
    values = tuple(int(v) for v in value)
    return values * n if len(values) == 1 else values


def _spatial(args: tuple, kwargs: dict) -> int:
    """Spatial dimensions of the op's input: 1, 2 or 3 (2 when the input is not a batched tensor)."""
    x = _arg(args, kwargs, 0, "input")
    dims = int(x.dim()) - 2 if hasattr(x, "dim") else 2
    return dims if dims in (1, 2, 3) else 2


def is_inplace(name: str, kwargs: dict) -> bool:
    if name in INPLACE_DUNDERS:
        return True
    if name.endswith("_") and not name.startswith("_"):
        return True
    return bool(kwargs.get("inplace", False))


_Classified = tuple[OpKind, dict[str, Any]]


def _conv(args: tuple, kwargs: dict) -> _Classified:
    weight = _arg(args, kwargs, 1, "weight")
    groups = int(_arg(args, kwargs, 6, "groups", 1))
    n = max(int(weight.dim()) - 2, 1)
    return OpKind.CONV, {
        "in_channels": int(weight.shape[1]) * groups,
        "out_channels": int(weight.shape[0]),
        "kernel_size": tuple(int(k) for k in weight.shape[2:]),
        "stride": _pair(_arg(args, kwargs, 3, "stride", 1), n=n),
        "padding": _numeric_padding(
            _pair(_arg(args, kwargs, 4, "padding", 0), n=n),
            tuple(int(k) for k in weight.shape[2:]),
            _pair(_arg(args, kwargs, 5, "dilation", 1), n=n),
        ),
        "dilation": _pair(_arg(args, kwargs, 5, "dilation", 1), n=n),
        "groups": groups,
        "bias": adds_bias(_arg(args, kwargs, 2, "bias")),
    }


def _deform_conv(args: tuple, kwargs: dict) -> _Classified:
    """torchvision's ``deform_conv2d`` op (input, weight, offset, mask, bias, stride h/w, padding h/w,
    dilation h/w, weight groups, offset groups, use_mask): a conv that samples where its offsets say,
    so a conv with ``deformable`` set (the offset branch is the difference, read as its own layers)."""
    weight, bias = args[1], args[4]
    groups = int(args[11])
    return OpKind.CONV, {
        "in_channels": int(weight.shape[1]) * groups,
        "out_channels": int(weight.shape[0]),
        "kernel_size": tuple(int(k) for k in weight.shape[2:]),
        "stride": (int(args[5]), int(args[6])),
        "padding": (int(args[7]), int(args[8])),
        "dilation": (int(args[9]), int(args[10])),
        "groups": groups,
        "bias": isinstance(bias, torch.nn.Parameter),  # torchvision passes zeros for bias=None
        "deformable": "modulated (v2)" if bool(args[13]) else "v1",
    }


def _numeric_padding(padding: Any, kernel: tuple[int, ...], dilation: Any) -> Any:
    """``padding="same"`` / ``"valid"`` as the numbers they are (one spelling per concept): "valid" is 0;
    "same" is d * (k - 1) / 2 on each side when that is whole (odd kernels). An even kernel's "same"
    pads unevenly and keeps its name."""
    if padding == "valid":
        return (0,) * len(kernel)
    if padding != "same" or not isinstance(dilation, tuple) or len(dilation) != len(kernel):
        return padding
    total = [d * (k - 1) for d, k in zip(dilation, kernel)]
    return tuple(t // 2 for t in total) if all(t % 2 == 0 for t in total) else padding


def _affine(weight: object, bias: object) -> dict[str, Any]:
    """A norm's learned transform: both (affine), neither, or one of them (a shift without a scale:
    TensorFlow's ``batch_norm(scale=False)`` ported as ``F.batch_norm(x, ..., None, b)``)."""
    if (weight is None) == (bias is None):
        return {"affine": weight is not None}
    return {"affine": True, "learned": "shift only" if weight is None else "scale only"}


def _batch_norm(args: tuple, kwargs: dict) -> _Classified:
    return OpKind.BATCH_NORM, {
        "num_features": int(args[0].shape[1]) if args and args[0].dim() > 1 else 0,
        "eps": float(_arg(args, kwargs, 7, "eps", 1e-5)),
        "momentum": _float_or_none(_arg(args, kwargs, 6, "momentum", 0.1)),
        **_affine(_arg(args, kwargs, 3, "weight"), _arg(args, kwargs, 4, "bias")),
        "track_running_stats": _arg(args, kwargs, 1, "running_mean") is not None,
        # the trace runs in eval mode: running statistics passed with training=True are updated, and
        # the batch's own statistics used, at test time too (F.batch_norm(..., training=True) in a
        # functional forward; nn.BatchNorm passes it only without running statistics)
        **(
            {"batch_statistics_in_eval": True}
            if _arg(args, kwargs, 5, "training") is True and _arg(args, kwargs, 1, "running_mean") is not None
            else {}
        ),
    }


def _pool_window(args: tuple, kwargs: dict) -> dict[str, Any]:
    n = _spatial(args, kwargs)
    kernel = _pair(_arg(args, kwargs, 1, "kernel_size"), n=n)
    stride = _arg(args, kwargs, 2, "stride")
    return {
        "kernel_size": kernel,
        "stride": _pair(stride, n=n) if stride not in (None, [], ()) else kernel,
        "padding": _pair(_arg(args, kwargs, 3, "padding", 0), n=n),
    }


def _max_pool(args: tuple, kwargs: dict) -> _Classified:
    return OpKind.MAX_POOL, {
        **_pool_window(args, kwargs),
        "dilation": _pair(_arg(args, kwargs, 4, "dilation", 1), n=_spatial(args, kwargs)),
        "ceil_mode": bool(_arg(args, kwargs, 5, "ceil_mode", False)),
    }


def _avg_pool(args: tuple, kwargs: dict) -> _Classified:
    window = _pool_window(args, kwargs)
    # without padding no window reads a padded zero (a ceil-mode window past the border is clipped to the
    # map either way): count_include_pad changes nothing there, so it reads as its default
    unpadded = not any(window.get("padding", ()))
    return OpKind.AVG_POOL, {
        **window,
        "ceil_mode": bool(_arg(args, kwargs, 4, "ceil_mode", False)),
        "count_include_pad": unpadded or bool(_arg(args, kwargs, 5, "count_include_pad", True)),
    }


def _adaptive(name: str, args: tuple, kwargs: dict) -> _Classified:
    size = _arg(args, kwargs, 1, "output_size")
    mode = "max" if "max" in name else "avg"
    sizes = (size,) if isinstance(size, int) or size is None else tuple(size)
    if all(s == 1 for s in sizes):
        return OpKind.GLOBAL_POOL, {"mode": mode}
    x = args[0] if args else kwargs.get("input")
    spatial = tuple(x.shape[2:]) if isinstance(x, torch.Tensor) else ()
    if spatial and len(sizes) in (1, len(spatial)):
        wanted = sizes * len(spatial) if len(sizes) == 1 else sizes
        if all(w is None or w == n for w, n in zip(wanted, spatial, strict=True)):
            # every window one element (ASTER's AdaptiveAvgPool2d((1, None)) on a map already one row
            # high): the identity; a global pool of a 1 x 1 map is still the global pool, above
            return OpKind.RESHAPE, {"part_of": "identity"}
        # None keeps that axis's size (MS-ResNet's adaptive_avg_pool3d(x, (None, 1, 1)) over time):
        # recorded as the size it keeps, so a size is always a number
        sizes = tuple(n if w is None else w for w, n in zip(wanted, spatial, strict=True))
    return OpKind.ADAPTIVE_POOL, {"mode": mode, "output_size": tuple(sizes)}


def _linear(args: tuple, kwargs: dict) -> _Classified:
    weight = _arg(args, kwargs, 1, "weight")
    return OpKind.LINEAR, {
        "in_features": int(weight.shape[1]),
        "out_features": int(weight.shape[0]),
        "bias": _arg(args, kwargs, 2, "bias") is not None,
    }


def _dropout(args: tuple, kwargs: dict, on_by_default: bool = True) -> _Classified:
    # p is kept even though dropout is a no-op in the eval-mode trace: it is the part of the
    # architecture training sees (tracing/regularizers.py). A p that is not a number (a tensor) is
    # recorded as None rather than turning the op into OTHER, which alignment would not skip.
    try:
        p: float | None = float(_arg(args, kwargs, 1, "p", 0.5))
    except (TypeError, ValueError, RuntimeError):
        p = None
    # The trace runs in eval mode, so a call that still drops here drops at test time too: MC dropout's
    # ``training=True``, or F.dropout's own default where the flag was never passed on.
    flag = _arg(args, kwargs, 2, "training", kwargs.get("train", on_by_default))
    return OpKind.DROPOUT, {"p": p, **({"in_eval": True} if flag is True and p else {})}


def _alpha_dropout(args: tuple, kwargs: dict) -> _Classified:
    return _dropout(args, kwargs, on_by_default=False)  # F.alpha_dropout's training defaults to False


def _pad(args: tuple, kwargs: dict) -> _Classified:
    pad = _arg(args, kwargs, 1, "pad")
    attrs: dict[str, Any] = {"pad": tuple(int(p) for p in pad) if pad is not None else ()}
    mode, value = _arg(args, kwargs, 2, "mode", "constant"), _arg(args, kwargs, 3, "value", None)
    if mode != "constant":  # reflect / replicate / circular: not zeros, never folded into a conv
        attrs["mode"] = str(mode)
    if value not in (None, 0, 0.0):
        attrs["value"] = float(value) if isinstance(value, (int, float)) else str(value)
    return OpKind.PAD, attrs


# Ops whose kind follows from the name alone and carry no hyper-parameters.
_PLAIN_KINDS: tuple[tuple[frozenset[str] | set[str], OpKind], ...] = (
    (RELU_NAMES, OpKind.RELU),
    (FLATTEN_NAMES, OpKind.FLATTEN),
    (RESHAPE_NAMES, OpKind.RESHAPE),
    ({"cat", "concat", "concatenate", "stack"}, OpKind.CAT),
    (SLICE_NAMES, OpKind.SLICE),
)
_ALPHA_DROPOUTS = frozenset({"alpha_dropout", "feature_alpha_dropout"})
_WITH_ARGS: tuple[tuple[frozenset[str] | set[str], Callable[[tuple, dict], _Classified]], ...] = (
    (CONV_NAMES, _conv),
    ({"batch_norm"}, _batch_norm),
    (MAX_POOL_NAMES, _max_pool),
    (AVG_POOL_NAMES, _avg_pool),
    ({"linear"}, _linear),
    ({"pad"}, _pad),
    ({"deform_conv2d"}, _deform_conv),
    (DROPOUT_NAMES - _ALPHA_DROPOUTS, _dropout),
    (_ALPHA_DROPOUTS, _alpha_dropout),
)


def _binary(name: str, tensor_inputs: int, args: tuple = ()) -> _Classified | None:
    """An add or multiply of two tensors (a residual merge, an SE gate); with a scalar or a parameter,
    ``OTHER``, keeping the Python number it was given (a branch scaled by 0.2 differs from one by 0.5).
    Adding 0 or multiplying by 1 is no op at all (``sum([a, b])`` starts from 0): layout."""
    if name in ("lerp", "lerp_") and tensor_inputs >= 2:  # ``(1 - w) * a + w * b``: a learnable skip's merge
        return OpKind.ADD, {"function": "lerp"}
    for names, kind, identity in ((ADD_NAMES, OpKind.ADD, 0), (MUL_NAMES, OpKind.MUL, 1)):
        if name in names:
            if tensor_inputs >= 2:
                return kind, {}
            scalar = next((a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)), None)
            tensors = sum(isinstance(a, torch.Tensor) for a in args)
            if scalar == identity and tensors == 1 and tensor_inputs == 1:
                return OpKind.RESHAPE, {"part_of": "identity"}
            if kind is OpKind.MUL and scalar == 0 and tensors == 1 and tensor_inputs == 1:
                return OpKind.OTHER, {"function": "zeros_like"}  # ``x.mul(0)``: zeros shaped as x
            function = name[:-1] if name.endswith("_") and not name.startswith("_") else name  # as in _other
            return OpKind.OTHER, {
                "function": function,
                **({"scalar": float(scalar)} if scalar is not None else {}),
            }
    return None


def classify(name: str, args: tuple, kwargs: dict, tensor_inputs: int) -> tuple[OpKind, dict[str, Any]]:
    """Kind and hyper-parameters of one call. ``tensor_inputs`` counts non-parameter tensor inputs."""
    indexed = indexing(name, args, kwargs)
    if indexed is not None:
        return indexed
    if fake_quant_off(name, args, kwargs):
        return OpKind.RESHAPE, {"part_of": "identity"}
    if name in ("einsum", "unfold"):
        return OpKind.OTHER, {"function": name, **_product_args(name, args, kwargs)}
    for names, handler in _WITH_ARGS:
        if name in names:
            return handler(args, kwargs)
    if name in ("repeat", "tile") and (counts := repeats(args, kwargs)) is not None:
        if set(counts) == {1}:
            return OpKind.RESHAPE, {"part_of": "identity"}  # ``x.repeat(1, 1, 1, 1)``: a copy of x
        return OpKind.OTHER, {"function": name, "repeats": counts}
    if name in ("cat", "concat", "concatenate") and _one_tensor(args, kwargs):
        return OpKind.RESHAPE, {"part_of": "identity"}  # ``torch.cat([x])``: x itself
    moved = move_args(name, args, kwargs)
    if moved is not None:
        return moved
    if roi := roi_args(name, args, kwargs):
        return OpKind.OTHER, roi
    for names, kind in _PLAIN_KINDS:
        if name in names:
            return kind, {}
    if name in NORM_NAMES:
        return OpKind.NORM, {"norm": name, **norm_arguments(name, args, kwargs)}
    if name in ACTIVATION_NAMES:  # (nn.ReLU6 runs hardtanh(x, 0, 6): one spelling, relu6)
        if _relu6_spelling(name, args, kwargs):
            return OpKind.ACTIVATION, {"function": "relu6"}
        function = name.rstrip("_")
        return OpKind.ACTIVATION, {"function": function, **activation_arguments(function, args, kwargs)}
    binary = _binary(name, tensor_inputs, args)
    if binary is not None:
        return binary
    if name in ADAPTIVE_NAMES:
        return _adaptive(name, args, kwargs)
    if name in ("max", "min") and isinstance(_arg(args, kwargs, 1, "dim"), int):
        # ``x.view(n, c, -1).max(-1)[0]``: the values along one axis are ``amax`` / ``amin`` there (the
        # indices it also returns are no tensor the model reads unless indexed: a gather's own op)
        name = "amax" if name == "max" else "amin"
    if name in ("mean", "amax") and _reduces_spatial(args, kwargs):
        return OpKind.GLOBAL_POOL, {"mode": "avg" if name == "mean" else "max"}
    if _relu_spelling(name, args, kwargs):
        return OpKind.RELU, {}
    if _relu6_spelling(name, args, kwargs):
        return OpKind.ACTIVATION, {"function": "relu6"}  # as F.relu6 / nn.ReLU6 record it
    if name in ("mean", "amax"):  # a partial reduction: which axes, for canonical.py to join
        dims = _reduced_dims(args, kwargs)
        return OpKind.OTHER, {"function": name, **({"dims": dims} if dims is not None else {})}
    return _other(name, args, kwargs, tensor_inputs)


# ``torch.bmm(a, b)``, ``a.mm(b)`` and ``a @ b`` compute ``torch.matmul(a, b)`` wherever they run at all.
_PRODUCT_SPELLINGS = {"bmm": "matmul", "mm": "matmul", "__matmul__": "matmul"}


def _other(name: str, args: tuple, kwargs: dict, tensor_inputs: int) -> _Classified:
    """Any other function, with the arguments that change what it computes."""
    divided = divisor(name, args, tensor_inputs)
    if divided.get("scalar") == 1.0:
        return OpKind.RESHAPE, {"part_of": "identity"}  # ``x / 1`` (a width scaler at rate 1)
    # an in-place op computes what its out-of-place twin does (``x.sub_(m)`` is ``x - m``); whether it
    # overwrites its input is ``OpRecord.inplace``'s, not the function's
    function = name[:-1] if name.endswith("_") and not name.startswith("_") else name
    function = _PRODUCT_SPELLINGS.get(function, function)
    return OpKind.OTHER, {
        "function": function,
        **divided,
        **clamp_bounds(name, args, kwargs),
        **sort_dim(name, args, kwargs),
        **normalize_args(name, args, kwargs),
        **interpolate_args(name, args, kwargs),
        **variance_correction(name, args, kwargs),
        **shuffle_factor(name, args, kwargs),
        **conv_transpose_arguments(name, args, kwargs),
        **fused_arguments(name, args, kwargs),
        **made_arguments(name, args, kwargs),
        **strided_window(name, args, kwargs),
    }


def _product_args(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """An einsum's equation; ``F.unfold``'s window (its shapes, checked in products.py, tell it from
    ``Tensor.unfold``, whose arguments mean something else)."""
    try:
        if name == "einsum":
            eq = args[0] if args and isinstance(args[0], str) else kwargs.get("equation")
            return {"equation": str(eq).replace(" ", "")} if isinstance(eq, str) else {}
        return {
            "kernel_size": _pair(_arg(args, kwargs, 1, "kernel_size")),
            "dilation": _pair(_arg(args, kwargs, 2, "dilation", 1)),
            "padding": _pair(_arg(args, kwargs, 3, "padding", 0)),
            "stride": _pair(_arg(args, kwargs, 4, "stride", 1)),
        }
    except (TypeError, ValueError):
        return {}


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _reduced_dims(args: tuple, kwargs: dict) -> tuple[int, ...] | None:
    """The dims a ``mean`` / ``amax`` reduces, non-negative; None when it reduces everything."""
    tensor = args[0] if args else None
    dims = _arg(args, kwargs, 1, "dim")
    if not isinstance(tensor, torch.Tensor) or dims is None:
        return None
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    return tuple(sorted(int(d) % max(tensor.dim(), 1) for d in dims))


def _reduces_spatial(args: tuple, kwargs: dict) -> bool:
    """Every axis after (N, C) of a 1-D, 2-D or 3-D map (``x.mean((2, 3))``, or the last axis of a
    map flattened to (N, C, H*W)): a global pool, however it is spelled."""
    tensor = args[0] if args else None
    dims = _reduced_dims(args, kwargs)
    if not isinstance(tensor, torch.Tensor) or dims is None or not 3 <= tensor.dim() <= 5:
        return False
    return dims == tuple(range(2, tensor.dim()))


def _one_tensor(args: tuple, kwargs: dict) -> bool:
    tensors = _arg(args, kwargs, 0, "tensors")
    return isinstance(tensors, (list, tuple)) and len(tensors) == 1


def _relu6_spelling(name: str, args: tuple, kwargs: dict) -> bool:
    """``torch.clamp(x, 0, 6)``, ``F.hardtanh(x, 0, 6)``: ReLU6 spelled otherwise (int8 ports)."""
    if name in ("clamp", "clamp_", "clip", "clip_", "hardtanh", "hardtanh_"):
        key_low, key_high = ("min_val", "max_val") if name.startswith("hardtanh") else ("min", "max")
        low, high = _arg(args, kwargs, 1, key_low), _arg(args, kwargs, 2, key_high)
        return isinstance(low, (int, float)) and low == 0 and isinstance(high, (int, float)) and high == 6
    return False


def _relu_spelling(name: str, args: tuple, kwargs: dict) -> bool:
    """``x.clamp(min=0)``, ``clamp_min(0)``, ``threshold(x, 0, 0)``: a ReLU spelled otherwise."""
    if name in ("clamp", "clamp_", "clip", "clip_"):
        low, high = _arg(args, kwargs, 1, "min"), _arg(args, kwargs, 2, "max")
        return isinstance(low, (int, float)) and low == 0 and high is None
    if name in ("clamp_min", "clamp_min_"):
        low = _arg(args, kwargs, 1, "min")
        return isinstance(low, (int, float)) and low == 0
    if name in ("threshold", "threshold_", "_threshold"):
        return _arg(args, kwargs, 1, "threshold") == 0 and _arg(args, kwargs, 2, "value") == 0
    return False
