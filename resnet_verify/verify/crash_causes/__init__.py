"""Why a forward crashed, in the user's terms, with the fix at the user's line: one cause per module.

Each cause reads one trace (so ``summary`` explains a crash the same way ``compare`` does) and
returns :class:`CrashCause` records or nothing; ``CAUSES`` gives their priority, as the detector
registry does. A cause whose crash the tracer repaired on its copy (``tracing/repairs.py``) names the
layers it re-sized, so the finding claims their REPAIR mismatches; the others name the crash.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from resnet_verify.tracing.records import Trace
from resnet_verify.verify.crash_causes.cause import CrashCause
from resnet_verify.verify.crash_causes.conv_channels import conv_in_channels
from resnet_verify.verify.crash_causes.dimensionality import wrong_dimensionality
from resnet_verify.verify.crash_causes.fixed_device import fixed_device
from resnet_verify.verify.crash_causes.linear_width import linear_in_features
from resnet_verify.verify.crash_causes.pool_size import pool_too_large
from resnet_verify.verify.crash_causes.size_assert import input_size_assert
from resnet_verify.verify.crash_causes.view_size import hard_coded_view

Cause = Callable[[Trace], Sequence[CrashCause]]

CAUSES: tuple[Cause, ...] = (
    # repaired crashes first: each names layers the trace went past
    linear_in_features,
    conv_in_channels,
    # the crash that stopped the trace: at most one of these matches it
    wrong_dimensionality,  # first: a rank mismatch at the input explains everything after it
    fixed_device,  # before the others: a device error can surface in any op
    input_size_assert,
    pool_too_large,
    hard_coded_view,
)


def diagnose(trace: Trace) -> list[CrashCause]:
    """Every named cause of the crashes in ``trace``, repaired ones first; at most one for the crash
    that stopped it."""
    found: list[CrashCause] = []
    stopped = False
    for cause in CAUSES:
        for c in cause(trace):
            if c.repaired or not stopped:
                found.append(c)
                stopped = stopped or not c.repaired
    return found


__all__ = ["CAUSES", "CrashCause", "diagnose"]
