"""MACs, receptive field and stride on the comparison's stage rows, side by side.

The numbers come from :func:`resnet_verify.tracing.metrics.trace_metrics` of each trace. A reference
stage is matched with the candidate blocks aligned to it (not with the candidate stage of the same
index), so a candidate that splits or merges stages still gets the numbers of the blocks that play
the reference stage's part: their summed MACs, and the view of the last one's output.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from resnet_verify.tracing.metrics import PartMetrics, TraceMetrics, trace_metrics
from resnet_verify.tracing.records import Trace
from resnet_verify.verify.records import BlockPair, StageRow


def _candidate_stage(cm: TraceMetrics, pairs: Sequence[BlockPair], stage: int) -> PartMetrics | None:
    blocks = [cm.blocks[p.candidate] for p in pairs if p.stage == stage and p.candidate is not None]
    if not blocks:
        return None
    last = blocks[-1]
    return PartMetrics(
        sum(b.macs for b in blocks),
        last.receptive_field,
        last.stride,
        last.receptive_field_axes,
        last.stride_axes,
    )


def _sides(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair]
) -> list[tuple[PartMetrics | None, PartMetrics | None]]:
    """(reference, candidate) metrics for stem, every reference stage, head: the rows' order."""
    rm, cm = trace_metrics(ref), trace_metrics(cand)
    crashed = cand.crash is not None
    rows: list[tuple[PartMetrics | None, PartMetrics | None]] = [
        (rm.stem, cm.stem if cand.structure.blocks else None)
    ]
    rows += [(rm.stages[s.index], _candidate_stage(cm, pairs, s.index)) for s in ref.structure.stages]
    rows.append((rm.head, None if crashed else cm.head))
    return rows


def with_metrics(
    rows: Sequence[StageRow], ref: Trace, cand: Trace, pairs: Sequence[BlockPair]
) -> tuple[StageRow, ...]:
    """``rows`` (stem, reference stages, head, as ``stage_rows`` builds them) with their metrics."""
    sides = _sides(ref, cand, pairs)
    if len(sides) != len(rows):  # rows built some other way: leave them as they are
        return tuple(rows)
    out = []
    for row, (r, c) in zip(rows, sides):
        out.append(
            dataclasses.replace(
                row,
                reference_macs=r.macs if r else None,
                candidate_macs=c.macs if c else None,
                reference_receptive_field=r.receptive_field if r else None,
                candidate_receptive_field=c.receptive_field if c else None,
                reference_stride=r.stride if r else None,
                candidate_stride=c.stride if c else None,
                reference_receptive_field_axes=r.receptive_field_axes if r else None,
                candidate_receptive_field_axes=c.receptive_field_axes if c else None,
                reference_stride_axes=r.stride_axes if r else None,
                candidate_stride_axes=c.stride_axes if c else None,
            )
        )
    return tuple(out)


def receptive_field_note(ref: Trace, cand: Trace, pairs: Sequence[BlockPair]) -> str | None:
    """``"layer4 sees 483 px of the input in the candidate, 427 px in the reference"``: the last
    reference stage whose receptive field differs between the two sides, or None.

    For findings whose variant changes what a stage sees without changing a shape (the v1 / v1.5
    stride placement); it reads right whichever side is which.
    """
    sides = _sides(ref, cand, pairs)[1:-1]
    for stage, (r, c) in reversed(list(zip(ref.structure.stages, sides))):
        if r is None or c is None or None in (r.receptive_field, c.receptive_field):
            continue
        if r.receptive_field != c.receptive_field:
            name = stage.path or f"stage {stage.index + 1}"
            return (
                f"{name} sees {c.receptive_field} px of the input in the candidate, "
                f"{r.receptive_field} px in the reference"
            )
    return None
