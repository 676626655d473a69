"""Keras layers -> the trace's PyTorch vocabulary (kinds, hyper-parameters, NCHW shapes, OIHW kernels).

Used by :mod:`resnet_verify.tracing.keras_layers`; nothing here imports keras (layers are read
through their attributes), so the mapping is plain data plus small pure functions.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import torch

from resnet_verify.tracing.records import OpKind, OpRecord, Shape, Structure

BN_STATISTICS = frozenset({"moving_mean", "moving_variance"})
_CHANNELS_LAST = True  # keras' default image_data_format; channels_first models are not supported

_CONV = {"Conv2D", "Convolution2D"}
_POOLS = {"MaxPooling2D": OpKind.MAX_POOL, "MaxPool2D": OpKind.MAX_POOL}
_POOLS |= {"AveragePooling2D": OpKind.AVG_POOL, "AvgPool2D": OpKind.AVG_POOL}
_GLOBAL = {"GlobalAveragePooling2D": "avg", "GlobalAvgPool2D": "avg"}
_GLOBAL |= {"GlobalMaxPooling2D": "max", "GlobalMaxPool2D": "max"}
_SIMPLE: dict[str, tuple[OpKind, dict[str, Any]]] = {
    "Add": (OpKind.ADD, {}),
    "Multiply": (OpKind.MUL, {}),
    "Concatenate": (OpKind.CAT, {}),
    "Flatten": (OpKind.FLATTEN, {}),
    "Reshape": (OpKind.RESHAPE, {}),
    "Dropout": (OpKind.DROPOUT, {}),
    "SpatialDropout2D": (OpKind.DROPOUT, {}),
}
_IDENTITY = {"Identity", "InputLayer", "Activation"}  # Activation("linear") is an identity
# Keras activation names in torch's spelling; softmax is not an activation kind in torch traces.
_ACTIVATION_NAMES = {"swish": "silu", "silu": "silu", "gelu": "gelu", "sigmoid": "sigmoid", "tanh": "tanh"}
_ACTIVATION_NAMES |= {"elu": "elu", "selu": "selu", "softplus": "softplus", "relu6": "relu6"}
_ACTIVATION_NAMES |= {"leaky_relu": "leaky_relu", "hard_swish": "hardswish", "mish": "mish"}
_LEAVES = _CONV | set(_POOLS) | set(_GLOBAL) | set(_SIMPLE) | _IDENTITY
_LEAVES |= {"BatchNormalization", "Dense", "ReLU", "LeakyReLU", "ZeroPadding2D"}


def is_leaf(layer: Any) -> bool:
    """A layer recorded as one op: a known kind, or any layer without sublayers."""
    if type(layer).__name__ in _LEAVES:
        return True
    return not list(layer._flatten_layers(include_self=False, recursive=False))


def nchw(shape: Shape) -> Shape:
    if _CHANNELS_LAST and len(shape) == 4:
        n, h, w, c = shape
        return (n, c, h, w)
    return tuple(int(s) for s in shape)


def to_nchw(t: torch.Tensor) -> torch.Tensor:
    return t.permute(0, 3, 1, 2) if _CHANNELS_LAST and t.dim() == 4 else t


def to_keras_layout(t: torch.Tensor) -> torch.Tensor:
    return t.permute(0, 2, 3, 1).contiguous() if _CHANNELS_LAST and t.dim() == 4 else t


def torch_shape(layer: Any, var_name: str, shape: Shape) -> Shape:
    """A Keras variable's shape in PyTorch's layout: HWIO kernels -> OIHW, Dense (in, out) -> (out, in)."""
    kind = type(layer).__name__
    if var_name == "kernel" and kind in _CONV and len(shape) == 4:
        return (shape[3], shape[2], shape[0], shape[1])
    if var_name == "kernel" and kind == "Dense" and len(shape) == 2:
        return (shape[1], shape[0])
    return shape


def same_padding(size: Sequence[int], kernel: Sequence[int], stride: Sequence[int], dilation: Sequence[int]) -> tuple[int, ...]:  # fmt: skip
    """TF's ``padding="same"`` as explicit padding: ``(h, w)``, or ``(top, bottom, left, right)``
    when TF pads one more pixel at the bottom / right than at the top / left."""
    parts = []
    for n, k, s, d in zip(size, kernel, stride, dilation):
        total = max((math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)
        parts.append((total // 2, total - total // 2))
    if all(a == b for a, b in parts):
        return tuple(a for a, _ in parts)
    return (parts[0][0], parts[0][1], parts[1][0], parts[1][1])


def _conv_attrs(layer: Any, x: torch.Tensor) -> dict[str, Any]:
    h, w, cin = (int(s) for s in x.shape[1:])
    kernel = tuple(int(k) for k in layer.kernel_size)
    stride = tuple(int(s) for s in layer.strides)
    dilation = tuple(int(d) for d in layer.dilation_rate)
    padding = (0, 0) if layer.padding == "valid" else same_padding((h, w), kernel, stride, dilation)
    return {
        "in_channels": cin, "out_channels": int(layer.filters), "kernel_size": kernel, "stride": stride,
        "padding": padding, "dilation": dilation, "groups": int(layer.groups), "bias": bool(layer.use_bias),
    }  # fmt: skip


def _pool_attrs(layer: Any, kind: OpKind, x: torch.Tensor) -> dict[str, Any]:
    kernel = tuple(int(k) for k in layer.pool_size)
    stride = tuple(int(s) for s in (layer.strides or layer.pool_size))
    same = layer.padding == "same"
    padding = same_padding(tuple(int(s) for s in x.shape[1:3]), kernel, stride, (1, 1)) if same else (0, 0)
    attrs: dict[str, Any] = {"kernel_size": kernel, "stride": stride, "padding": padding, "ceil_mode": False}
    if kind is OpKind.MAX_POOL:
        attrs["dilation"] = (1, 1)
    else:  # TF's "same" average ignores the padded zeros
        attrs["count_include_pad"] = not same
    return attrs


def _bn_attrs(layer: Any, x: torch.Tensor) -> dict[str, Any]:
    axes = layer.axis if isinstance(layer.axis, (list, tuple)) else [layer.axis]
    axis = int(axes[0]) % x.dim()
    attrs: dict[str, Any] = {
        "num_features": int(x.shape[axis]),
        "eps": float(layer.epsilon),
        "momentum": round(1.0 - float(layer.momentum), 12),  # PyTorch weighs the new batch
        "affine": bool(layer.center and layer.scale),
        "track_running_stats": True,
    }
    if len(axes) != 1 or axis != x.dim() - 1:
        attrs["axis"] = tuple(int(a) for a in axes)  # not the channels: a real difference
    return attrs


def _activation(name: str) -> tuple[OpKind, dict[str, Any]] | None:
    if name == "linear":
        return None
    if name == "relu":
        return OpKind.RELU, {}
    if name in _ACTIVATION_NAMES:
        return OpKind.ACTIVATION, {"function": _ACTIVATION_NAMES[name]}
    return OpKind.OTHER, {"function": name}


def _activation_of(layer: Any, rank: int | None = None) -> tuple[OpKind, dict[str, Any]] | None:
    """``rank``: the output's; a softmax runs over Keras' last axis (the channels), recorded as the
    axis torch's ``softmax(dim=...)`` records, so the two spellings compare equal."""
    fn = getattr(layer, "activation", None)
    act = _activation(getattr(fn, "__name__", "linear")) if fn is not None else None
    if act is not None and rank and act[1].get("function") in ("softmax", "log_softmax"):
        act = act[0], {**act[1], "dim": 1 if _CHANNELS_LAST and rank == 4 else rank - 1, "of": rank}
    return act


def _relu_layer(layer: Any) -> tuple[OpKind, dict[str, Any]]:
    if type(layer).__name__ == "LeakyReLU" or float(getattr(layer, "negative_slope", 0) or 0) != 0:
        return OpKind.ACTIVATION, {"function": "leaky_relu"}
    if getattr(layer, "max_value", None) == 6:
        return OpKind.ACTIVATION, {"function": "relu6"}
    if getattr(layer, "max_value", None) is not None or float(getattr(layer, "threshold", 0) or 0) != 0:
        return OpKind.ACTIVATION, {"function": "hardtanh"}
    return OpKind.RELU, {}


def record_layer(rec: Any, layer: Any, inputs: list[torch.Tensor], out: torch.Tensor, site: Any) -> None:
    """Emit the op(s) one leaf layer call stands for into the recorder ``rec``."""
    kind_name = type(layer).__name__
    path = rec.stack[-1] if rec.stack else layer.name
    params = tuple(f"{path}.{v.name}" for v in _ordered_weights(layer))
    x = inputs[0] if inputs else None
    if kind_name == "ZeroPadding2D" and x is not None:
        (top, bottom), (left, right) = layer.padding
        source, in_shape = rec.source_of(x)
        rec.pads[id(out)] = _pad_record(
            rec, source, in_shape, nchw(tuple(out.shape)), (top, bottom, left, right), site
        )
        rec.keep.append(out)
        return
    if x is None:
        return
    if kind_name in _IDENTITY and (kind_name != "Activation" or _activation_of(layer) is None):
        rec.alias(out, x)
        return
    spec = _layer_op(layer, kind_name, x)
    if spec is None:
        rec.alias(out, x)
        return
    kind, attrs = spec
    folded = None
    if kind in (OpKind.CONV, OpKind.MAX_POOL, OpKind.AVG_POOL):
        folded = rec.fold_pad(x, kind, attrs)
    macs = 0
    if kind is OpKind.CONV:
        macs = math.prod(nchw(tuple(out.shape))) * attrs["in_channels"] // attrs["groups"]
        macs *= math.prod(attrs["kernel_size"])
    elif kind is OpKind.LINEAR:
        macs = math.prod(x.shape[:-1]) * attrs["in_features"] * attrs["out_features"]
    act = _activation_of(layer, out.dim()) if kind in (OpKind.CONV, OpKind.LINEAR) else None
    merged = kind in (OpKind.ADD, OpKind.MUL, OpKind.CAT)
    first = out if act is None else _shaped(out)
    rec.emit(
        kind_name, kind, attrs, inputs if merged else [x], first, params, site=site, macs=macs, folded=folded
    )
    if act is not None:  # Conv2D(activation="relu") is two ops in PyTorch's vocabulary
        rec.emit(kind_name, act[0], act[1], [first], out, (), site=site)


def _shaped(out: torch.Tensor) -> torch.Tensor:
    # A stand-in for the pre-activation tensor Keras never exposes: same shape, distinct identity.
    return torch.empty(out.shape, device="meta")


def _layer_op(layer: Any, kind_name: str, x: torch.Tensor) -> tuple[OpKind, dict[str, Any]] | None:
    if kind_name in _CONV:
        return OpKind.CONV, _conv_attrs(layer, x)
    if kind_name in _POOLS:
        return _POOLS[kind_name], _pool_attrs(layer, _POOLS[kind_name], x)
    if kind_name in _GLOBAL:
        return OpKind.GLOBAL_POOL, {"mode": _GLOBAL[kind_name]}
    if kind_name == "BatchNormalization":
        return OpKind.BATCH_NORM, _bn_attrs(layer, x)
    if kind_name == "Dense":
        return OpKind.LINEAR, {
            "in_features": int(x.shape[-1]),
            "out_features": int(layer.units),
            "bias": bool(layer.use_bias),
        }
    if kind_name in ("ReLU", "LeakyReLU"):
        return _relu_layer(layer)
    if kind_name == "Activation":
        return _activation_of(layer, x.dim())
    if kind_name in _SIMPLE:
        kind, attrs = _SIMPLE[kind_name]
        return kind, dict(attrs)
    return OpKind.OTHER, {"function": kind_name}


def _ordered_weights(layer: Any) -> list[Any]:
    """Variables in the order torch's functional call passes them (batch_norm: stats first)."""
    weights = list(layer.weights)
    if type(layer).__name__ == "BatchNormalization":
        order = {"moving_mean": 0, "moving_variance": 1, "gamma": 2, "beta": 3}
        weights.sort(key=lambda v: order.get(v.name, 4))
    return weights


def _pad_record(rec: Any, source: int, in_shape: Shape, out_shape: Shape, pad: tuple[int, int, int, int], site: Any) -> Any:  # fmt: skip
    from resnet_verify.tracing.keras_layers import _Pad

    path = rec.stack[-1] if rec.stack else ""
    return _Pad(source, in_shape, out_shape, pad, path, tuple(rec.stack), site)


def _name_prefix(names: Sequence[str]) -> str:
    """Longest common prefix of layer names, cut at a ``_`` (``conv2_block1_1_conv`` ... -> ``conv2_block1``)."""
    names = [n for n in names if n]
    if not names:
        return ""
    prefix = names[0]
    for name in names[1:]:
        n = 0
        while n < min(len(prefix), len(name)) and prefix[n] == name[n]:
            n += 1
        prefix = prefix[:n]
    if all(n == prefix for n in names):
        return prefix
    return prefix[: prefix.rfind("_")] if "_" in prefix else ""


def named_structure(structure: Structure, ops: Sequence[OpRecord]) -> Structure:
    """Give blocks and stages of a flat functional graph the names its layers share.

    Module stacks of a flat Keras graph have no common prefix, so blocks would be labelled by
    index; ``keras.applications`` names layers ``conv3_block2_...``, which says which block it is.
    """
    blocks = []
    for b in structure.blocks:
        core = [*b.main, *b.shortcut, *([b.merge_op] if b.merge_op is not None else [])]
        # Layers with weights first: Keras names a parameter-free layer it creates for the user
        # itself (ResNetV2's shortcut MaxPooling2D is ``max_pooling2d``), which shares no prefix.
        owners = [ops[o].module_path for o in core if ops[o].params]
        name = b.path or _name_prefix(owners) or _name_prefix([ops[o].module_path for o in core])
        blocks.append(dataclasses.replace(b, path=name))
    stages = []
    for s in structure.stages:
        names = [blocks[i].path for i in s.blocks]
        name = s.path or (_name_prefix(names) if len(names) > 1 else names[0] if names else "")
        stages.append(dataclasses.replace(s, path=name or s.path))
    return dataclasses.replace(structure, blocks=tuple(blocks), stages=tuple(stages))
