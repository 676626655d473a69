"""The hyper-parameters recorded for each module call (what a diff compares beside the op's own)."""

from __future__ import annotations

from typing import Any

from torch import nn

_MODULE_HPARAMS: tuple[tuple[type, tuple[str, ...]], ...] = (
    (
        nn.modules.conv._ConvNd,
        (
            "in_channels",
            "out_channels",
            "kernel_size",
            "stride",
            "padding",
            "dilation",
            "groups",
            "padding_mode",
        ),
    ),
    (nn.modules.batchnorm._NormBase, ("num_features", "eps", "momentum", "affine", "track_running_stats")),
    (nn.modules.pooling._MaxPoolNd, ("kernel_size", "stride", "padding", "dilation", "ceil_mode")),
    (nn.modules.pooling._AvgPoolNd, ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")),
    (nn.modules.pooling._AdaptiveAvgPoolNd, ("output_size",)),
    (nn.modules.pooling._AdaptiveMaxPoolNd, ("output_size",)),
    (nn.Linear, ("in_features", "out_features")),
    (nn.ReLU, ("inplace",)),
    (nn.modules.dropout._DropoutNd, ("p",)),
    (nn.GroupNorm, ("num_groups", "num_channels", "eps", "affine")),
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_jsonable(v) for v in value)
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)


def module_hparams(module: nn.Module) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cls, names in _MODULE_HPARAMS:
        if isinstance(module, cls):
            out.update({n: _jsonable(getattr(module, n)) for n in names if hasattr(module, n)})
    if isinstance(module, (nn.modules.conv._ConvNd, nn.Linear)):
        out["bias"] = module.bias is not None
    return out


__all__ = ["module_hparams"]
