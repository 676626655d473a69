"""Crash cause: a Linear built for another width than the features that reach it.

Written the way people write it: ``nn.Linear(512, n)`` in a ResNet50 whose trunk ends at 2048
channels, or ``nn.Linear(2048 * 7 * 7, n)`` after a global pool. The tracer re-sized the copy's Linear
to the width that arrived (``tracing/repairs.py``) and went on; this names the line, the width that
arrives and where it is flattened. A Linear after a *fixed-size* pool or a flatten of a map larger than
1x1 is a fixed-size head (``patterns/head.py`` names that, with the sizes it fits): not claimed here.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.tracing.repairs import Repair, RepairKind
from resnet_verify.verify.crash_causes.cause import (
    CrashCause,
    built_at,
    line_text,
    producer,
    shape_text,
    where,
)
from resnet_verify.verify.records import Pattern

_FLATTENS = (OpKind.FLATTEN, OpKind.RESHAPE)


def _flatten_of(trace: Trace, linear: OpRecord) -> OpRecord | None:
    op = producer(trace, linear)
    return op if op is not None and op.kind in _FLATTENS else None


def spatial_side(shape: tuple[int, ...] | None) -> int:
    """The side of the map a flatten read (1 for a pooled map or a 2-D tensor)."""
    return shape[-1] if shape is not None and len(shape) >= 3 else 1


def fixed_size_before(trace: Trace, linear: OpRecord) -> bool:
    """Whether the features reach the Linear from a map wider than 1x1 (a fixed-size head)."""
    flat = _flatten_of(trace, linear)
    return flat is not None and bool(flat.in_shapes) and spatial_side(flat.in_shapes[0]) > 1


def _cause(trace: Trace, r: Repair, linear: OpRecord) -> CrashCause:
    given, arrived = r.given[0], r.used[0]
    out = dict(linear.attrs).get("out_features", "n")
    flat = _flatten_of(trace, linear)
    via = ""
    if flat is not None and flat.in_shapes:
        via = f" ({shape_text(flat.in_shapes[0])} flattened at {flat.source})" if flat.source else ""
    line = line_text(r.source)
    written = f": `{line}`" if line else ""
    return CrashCause(
        pattern=Pattern.LINEAR_WIDTH,
        title=f"{r.module_path} is built for {given} features, {arrived} reach it",
        message=(
            f"{where(r.module_path, r.source or built_at(trace, r.module_path))} is built with "
            f"in_features={given}{written}, but the tensor that reaches it has {arrived} features{via}, "
            f'so the forward fails there ("mat1 and mat2 shapes cannot be multiplied"). The rest of the '
            f"model was traced with Linear({arrived}, {out}) on a copy."
        ),
        fix=f"{r.source or r.module_path}: build it as Linear({arrived}, {out})",
        source=r.source,
        paths=(r.module_path,),
        repaired=True,
    )


def linear_in_features(trace: Trace) -> list[CrashCause]:
    found = []
    for r in trace.repairs:
        if r.kind is not RepairKind.WIDTH or r.attribute != "in_features":
            continue
        linear = next(
            (op for op in trace.ops if op.kind is OpKind.LINEAR and op.module_path == r.module_path), None
        )
        if linear is None or fixed_size_before(trace, linear):
            continue
        found.append(_cause(trace, r, linear))
    return found


__all__ = ["fixed_size_before", "linear_in_features", "spatial_side"]
