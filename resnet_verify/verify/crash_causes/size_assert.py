"""Crash cause: an ``assert`` in ``forward`` on the input's size.

Written the way people write it: ``assert x.shape[-1] == 224`` or ``assert H == W == 32, "..."`` at
the top of ``forward`` (timm and ViT-style ports carry these). The model refuses the size it was
given; that is a statement about the input, not a defect of the network, so the report says which
line asserts what, and how to run at the size it wants.
"""

from __future__ import annotations

from resnet_verify.tracing.records import Trace
from resnet_verify.verify.crash_causes.cause import CrashCause, line_text, shape_text
from resnet_verify.verify.records import Pattern

_SIZE_WORDS = ("shape", "size", "height", "width", "dim", "ndim", "len(", "img_size", "input_size")


def input_size_assert(trace: Trace) -> list[CrashCause]:
    crash = trace.crash
    if crash is None or crash.error_type != "AssertionError":
        return []
    line = line_text(crash.source)
    if not line.startswith("assert") or not any(w in line for w in _SIZE_WORDS):
        return []
    said = f' ("{crash.message}")' if crash.message and crash.message != "AssertionError" else ""
    return [
        CrashCause(
            pattern=Pattern.INPUT_SIZE_ASSERT,
            title="forward asserts on the input size",
            message=(
                f"`{line}` at {crash.source} fails for the input {shape_text(trace.input_shape)}{said}: the "
                f"model refuses this size before any layer runs into it."
            ),
            fix=(
                f"compare at the size it asserts (--input-size), or, if the model should take any size, "
                f"drop the assert at {crash.source}"
            ),
            source=crash.source,
            paths=(crash.module_path,) if crash.module_path else (),
            repaired=False,
        )
    ]


__all__ = ["input_size_assert"]
