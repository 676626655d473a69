"""Crash cause: a pooling (or conv) window larger than the feature map that reaches it.

Written the way people write it: ``nn.AvgPool2d(7)`` as the head of a ResNet50 written for 224 px,
run at 64 px where the last map is 2x2 ("Output size is too small"), or ``F.avg_pool2d(x, 4)`` in a
CIFAR ResNet fed smaller images. The input is too small for the model as written: say which sizes
work, and that a global pool fits them all.
"""

from __future__ import annotations

import math

from resnet_verify.tracing.records import Trace
from resnet_verify.verify.crash_causes.cause import CrashCause, built_at, line_text, module_call, shape_text
from resnet_verify.verify.records import Pattern

_WINDOWED = frozenset(
    {"avg_pool1d", "avg_pool2d", "avg_pool3d", "max_pool1d", "max_pool2d", "max_pool3d",
     "max_pool1d_with_indices", "max_pool2d_with_indices", "max_pool3d_with_indices",
     "conv1d", "conv2d", "conv3d", "lp_pool2d"}
)  # fmt: skip


def _scalar(value: object, default: int) -> int:
    if isinstance(value, (tuple, list)) and value:
        value = value[0]
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def pool_too_large(trace: Trace) -> list[CrashCause]:
    crash = trace.crash
    if crash is None or crash.op_name not in _WINDOWED or not crash.in_shapes or len(crash.in_shapes[0]) < 3:
        return []
    arriving = crash.in_shapes[0]
    call = module_call(trace, crash.module_path) if crash.module_path else None
    hp = dict(call.hparams) if call is not None else {}
    window = _scalar(hp.get("kernel_size"), 0)
    pad = _scalar(hp.get("padding"), 0)
    dilation = _scalar(hp.get("dilation"), 1)
    side = arriving[-1]
    # decided from the shapes, not torch's wording: the window (dilated) overhangs the padded map
    if not window or dilation * (window - 1) + 1 <= side + 2 * pad:
        return []
    size = trace.input_shape[-1]
    what = f"{call.type_name}({window})" if call is not None else (crash.op_name or "a pool")
    # a library layer fails inside library code: its own construction line is the one to change
    source = crash.source or (built_at(trace, crash.module_path) if crash.module_path else None)
    line = line_text(source)
    written = f" (`{line}`)" if line else ""
    needs = ""
    if side > 0:
        need = math.ceil(size * max(window - 2 * pad, 1) / side)
        needs = f"; a {window}x{window} window needs an input of about {need} px or more"
    return [
        CrashCause(
            pattern=Pattern.POOL_TOO_LARGE,
            title=f"{what} is larger than the {side}x{side} map that reaches it",
            message=(
                f"{crash.module_path or 'forward'}{written} at {source or '?'} slides {what} over "
                f"{shape_text(arriving)}: at {size} px input the map is {side}x{side}, smaller than the "
                f"window, so the forward fails there{needs}."
            ),
            fix=(
                f"{source or crash.module_path}: if this is the head's pool, use AdaptiveAvgPool2d(1) "
                f"(a global pool fits every input size); else compare at the input size the model is "
                f"written for (--input-size)"
            ),
            source=source,
            paths=(crash.module_path,) if crash.module_path else (),
            repaired=False,
        )
    ]


__all__ = ["pool_too_large"]
