"""Crash cause: a tensor made inside ``forward`` on a fixed device.

Written the way people write it: ``torch.zeros(n, c, 1, 1).cuda()``, ``torch.ones(..., device="cuda")``
or ``mask.to("cuda:0")`` in a block's forward. It runs on the author's GPU and fails anywhere else, or
when the model is moved ("Expected all tensors to be on the same device", "Found no NVIDIA driver").
The fix is to make the tensor where its input lives.
"""

from __future__ import annotations

import re

from resnet_verify.tracing.records import Trace
from resnet_verify.verify.crash_causes.cause import CrashCause, line_text
from resnet_verify.verify.records import Pattern

_DEVICE_ERRORS = re.compile(
    r"same device|Found no NVIDIA driver|Torch not compiled with CUDA|CUDA driver|"
    r"is not on the expected device|no CUDA GPUs are available",
    re.IGNORECASE,
)
_FIXED = re.compile(r"\.cuda\(|device\s*=\s*['\"]cuda|\.to\(\s*['\"](cuda|cpu|mps)|torch\.device\(\s*['\"]")


def fixed_device(trace: Trace) -> list[CrashCause]:
    crash = trace.crash
    if crash is None or not _DEVICE_ERRORS.search(crash.message):
        return []
    line = line_text(crash.source)
    if not _FIXED.search(line):
        return []  # a device error with no fixed device on the failing line: say nothing we cannot show
    return [
        CrashCause(
            pattern=Pattern.FIXED_DEVICE,
            title="forward makes a tensor on a fixed device",
            message=(
                f"`{line}` at {crash.source} puts a tensor on a device written in the code, not on the "
                f"device of the input, so the forward fails wherever the model runs elsewhere "
                f"(here: {crash.message.splitlines()[0].split('. ')[0].rstrip('.')})."
            ),
            fix=(
                f"{crash.source}: create it with device=x.device (and dtype=x.dtype), or register it as a "
                f"buffer in __init__ so .to() moves it with the model"
            ),
            source=crash.source,
            paths=(crash.module_path,) if crash.module_path else (),
            repaired=False,
        )
    ]


__all__ = ["fixed_device"]
