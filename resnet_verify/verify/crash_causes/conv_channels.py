"""Crash cause: a conv built for other input channels than its producer gives it.

Written the way people write it: a bottleneck whose 3x3 is built ``Conv2d(in_planes, planes, 3)``
instead of ``Conv2d(planes, planes, 3)`` (right in the first block of a stage where the two are equal,
wrong from the second on), or a stem that ends at 32 channels before a stage built for 64. The tracer
re-sized the copy's conv to the channels that arrived (``tracing/repairs.py``) and went on; this names
both lines: the conv's and the layer whose output reaches it.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.tracing.repairs import Repair, RepairKind
from resnet_verify.verify.crash_causes.cause import CrashCause, built_at, line_text, producer, where
from resnet_verify.verify.records import Pattern

_PASS_THROUGH = (OpKind.BATCH_NORM, OpKind.RELU, OpKind.ACTIVATION, OpKind.MAX_POOL, OpKind.AVG_POOL)


def _channel_source(trace: Trace, conv: OpRecord) -> OpRecord | None:
    """The nearest op upstream that sets the channel count (a conv, a concat, the stem's output ...),
    walking back through ops that keep it (BN, activations, pools)."""
    op = producer(trace, conv)
    while op is not None and op.kind in _PASS_THROUGH:
        op = producer(trace, op)
    return op


def _giver(trace: Trace, conv: OpRecord, arrived: int) -> str:
    src = _channel_source(trace, conv)
    if src is not None and src.module_path:
        return f"{where(src.module_path, built_at(trace, src.module_path) or src.source)} gives it {arrived}"
    return f"{arrived} reach it"


def _cause(trace: Trace, group: list[tuple[Repair, OpRecord]]) -> CrashCause:
    """One cause per construction line: a block class built wrong fails in every block it fits badly."""
    r, conv = group[0]
    given, arrived = r.given[0], r.used[0]
    line = line_text(r.source)
    written = f": `{line}`" if line else ""
    paths = tuple(g.module_path for g, _ in group)
    more = ""
    if len(group) > 1:
        rest = ", ".join(f"{g.module_path} ({g.given[0]} built, {g.used[0]} reach it)" for g, _ in group[1:])
        more = f" The same line builds {rest}, which fail the same way."
    widths = ", ".join(str(g.used[0]) for g, _ in group)
    return CrashCause(
        pattern=Pattern.CONV_IN_CHANNELS,
        title=f"{r.module_path} is built for {given} input channels, {arrived} reach it"
        + (f" (and {len(group) - 1} more from the same line)" if len(group) > 1 else ""),
        message=(
            f"{where(r.module_path, r.source or built_at(trace, r.module_path))} is built with "
            f"in_channels={given}{written}, but {_giver(trace, conv, arrived)}, so the forward fails there."
            f"{more} The rest of the model was traced with the channels that arrive, on a copy."
        ),
        fix=(
            f"{r.source or r.module_path}: build {'it' if len(group) == 1 else 'each'} with the channels its "
            f"input has (in_channels={widths}{' respectively' if len(group) > 1 else ''}), unless the layer "
            f"before it is the one with the wrong width"
        ),
        source=r.source,
        paths=paths,
        repaired=True,
    )


def conv_in_channels(trace: Trace) -> list[CrashCause]:
    groups: dict[object, list[tuple[Repair, OpRecord]]] = {}
    for r in trace.repairs:
        if r.kind is not RepairKind.WIDTH or r.attribute != "in_channels":
            continue
        conv = next(
            (op for op in trace.ops if op.kind is OpKind.CONV and op.module_path == r.module_path), None
        )
        if conv is not None:
            groups.setdefault(r.source or r.module_path, []).append((r, conv))
    return [_cause(trace, group) for group in groups.values()]


__all__ = ["conv_in_channels"]
