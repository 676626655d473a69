"""Crash cause: a ``view`` / ``reshape`` to a size written out in ``forward``.

Written the way people write it: ``x.view(x.size(0), 8192)`` or ``x.reshape(-1, 2048 * 7 * 7)``
after a pool, right for the one input size the author trained at and a crash at any other ("shape
'[1, 8192]' is invalid for input of size 2048"). Not repaired: which size was meant is the user's
choice (pool globally, or train at that size).
"""

from __future__ import annotations

import re

from resnet_verify.tracing.records import Trace
from resnet_verify.verify.crash_causes.cause import CrashCause, line_text, shape_text
from resnet_verify.verify.records import Pattern

_INVALID = re.compile(r"shape '\[([-\d, ]+)\]' is invalid for input of size (\d+)")
_OPS = frozenset({"view", "reshape", "_reshape_alias", "view_as", "reshape_as"})


def _per_sample(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape[1:]:
        n *= s
    return n


def hard_coded_view(trace: Trace) -> list[CrashCause]:
    crash = trace.crash
    if crash is None or crash.op_name not in _OPS:
        return []
    found = _INVALID.search(crash.message)
    if found is None or not crash.in_shapes:
        return []
    wanted = [int(v) for v in found.group(1).split(",")]
    arriving = crash.in_shapes[0]
    line = line_text(crash.source)
    written = f"`{line}`" if line else f"a {crash.op_name}"
    at = f" at {crash.source}" if crash.source else ""
    width = _per_sample(arriving)
    return [
        CrashCause(
            pattern=Pattern.HARD_CODED_VIEW,
            title=f"{crash.op_name} to a fixed size {tuple(wanted)}",
            message=(
                f"{written}{at} reshapes to {tuple(wanted)}, a size written for one input resolution; "
                f"at {shape_text(trace.input_shape)} the tensor that reaches it is {shape_text(arriving)} "
                f"({width} values per sample), so the forward fails there."
            ),
            fix=(
                f"{crash.source or crash.module_path or 'forward'}: flatten with torch.flatten(x, 1) "
                f"(or x.view(x.size(0), -1)) instead of the fixed size, and size the Linear after it for "
                f"the features that arrive (with AdaptiveAvgPool2d(1) before it, the channel count)"
            ),
            source=crash.source,
            paths=(crash.module_path,) if crash.module_path else (),
            repaired=False,
        )
    ]


__all__ = ["hard_coded_view"]
