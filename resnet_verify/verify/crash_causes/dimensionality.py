"""Crash cause: a 2-D network given a 3-D (or 1-D) input, or the other way round.

Comparing a hand-written image ResNet with ``torchvision:r3d_18`` at ``3x8x112x112``, or a 3-D
medical-imaging ResNet at an image size: the first conv reads the input and rejects its rank
("Expected 3D (unbatched) or 4D (batched) input to conv2d"). That is a statement about the two
networks, not a bug in a layer: one finding that says which is which.
"""

from __future__ import annotations

import re

from resnet_verify.tracing.records import INPUT_ID, Trace
from resnet_verify.verify.crash_causes.cause import CrashCause, built_at, module_call, shape_text
from resnet_verify.verify.records import Pattern

_RANK = re.compile(r"^(Conv|ConvTranspose|MaxPool|AvgPool|BatchNorm)([123])d$")


def layer_rank(type_name: str) -> int | None:
    """1, 2 or 3 for ``Conv1d`` / ``Conv2d`` / ``BatchNorm3d`` ...; None for other layers."""
    found = _RANK.match(type_name)
    return int(found.group(2)) if found else None


def wrong_dimensionality(trace: Trace) -> list[CrashCause]:
    crash = trace.crash
    if crash is None or INPUT_ID not in crash.input_ops or not crash.module_path:
        return []
    call = module_call(trace, crash.module_path)
    rank = layer_rank(call.type_name) if call is not None else None
    given = len(trace.input_shape) - 2
    if call is None or rank is None or rank == given:
        return []
    site = built_at(trace, crash.module_path)
    return [
        CrashCause(
            pattern=Pattern.INPUT_DIMENSIONALITY,
            title=f"a {rank}-D network given a {given}-D input",
            message=(
                f"The model's first layer {crash.module_path} ({call.type_name}"
                f"{', ' + str(site) if site else ''}) takes {rank}-D input, and it was given "
                f"{shape_text(trace.input_shape)}, a {given}-D one: a {rank}-D network cannot be compared "
                f"layer by layer with a {given}-D one."
            ),
            fix=(
                f"compare it with a {rank}-D reference at a {rank}-D input size"
                f" ({'CxL' if rank == 1 else 'CxHxW' if rank == 2 else 'CxDxHxW'})"
            ),
            source=site,
            paths=(crash.module_path,),
            repaired=False,
        )
    ]


__all__ = ["layer_rank", "wrong_dimensionality"]
