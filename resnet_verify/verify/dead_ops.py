"""An op whose result nothing reads, where the other side's is read: computed, then dropped.

``self.bn(x)`` without ``x =`` (the classic slip), a classifier fed the feature before reid's BNNeck
while the neck still runs: every op is there on both sides, in the same order, with the same shapes,
so op-by-op the two read as identical, a false "no difference". What differs is that the result of
one op reaches nothing. An op is dead when no op reads it, it is not what the model returns (the op that
made the prediction) nor another returned tensor, and it wrote nothing in place. A dead op paired with a live one
is a mismatch at the op, either side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.dataflow import computed_at
from resnet_verify.tracing.records import INPUT_ID, LAYOUT_KINDS, OpKind, Trace, readers
from resnet_verify.verify.records import Mismatch

FIELD = "result_used"


def dead_ops(trace: Trace) -> frozenset[int]:
    """Ids of ops whose result nothing reads and nothing returns."""
    if trace.crash is not None or not trace.ops:
        return frozenset()
    reading = readers(trace.ops)
    unread = [op.id for op in trace.ops if not reading.get(op.id) and not op.inplace]
    made = trace.output_op if trace.output_op is not None else (unread[-1] if unread else None)
    returned = {*trace.side_outputs, made}
    return frozenset(
        i
        for i in unread
        if i not in returned
        and trace.ops[i].kind not in LAYOUT_KINDS
        and trace.ops[i].kind is not OpKind.OTHER  # (a setitem's write, a statistic kept for a loss)
    )


def source_of(trace: Trace, op_id: int) -> int:
    """The op that computed what ``op_id``'s input holds, through layout."""
    return computed_at(trace.ops, trace.ops[op_id].inputs[0]) if trace.ops[op_id].inputs else INPUT_ID


def dropped_results(
    ref: Trace,
    cand: Trace,
    mismatches: Sequence[Mismatch],
    paired: dict[int, int],
    dead: tuple[frozenset[int], frozenset[int]],
) -> list[Mismatch]:
    """An op "missing" on one side that the side computes and drops (off the path, so no block or
    region holds it): read as that. Its counterpart reads what the paired producer computed, has
    the missing op's kind, and nothing reads it."""
    back = {c: r for r, c in paired.items()}
    out = list(mismatches)
    taken: set[int] = set()
    for i, m in enumerate(mismatches):
        if m.field != "op" or m.cause is not None or (m.expected is None) == (m.actual is None):
            continue
        here, other, ids, mine = (
            (ref, cand, paired, dead[1]) if m.actual is None else (cand, ref, back, dead[0])
        )
        op_id = m.reference_op if m.actual is None else m.candidate_op
        if op_id is None:
            continue
        want = ids.get(source_of(here, op_id), INPUT_ID if source_of(here, op_id) == INPUT_ID else None)
        hit = next(
            (d for d in sorted(mine) if d not in taken and other.ops[d].kind is here.ops[op_id].kind
             and source_of(other, d) == want),
            None,
        )  # fmt: skip
        if hit is None:
            continue
        taken.add(hit)
        side = "candidate" if m.actual is None else "reference"
        op = other.ops[hit]
        out[i] = replace(
            m,
            field=FIELD,
            expected=side == "candidate",  # whether each side's result is read
            actual=side == "reference",
            candidate_op=hit if side == "candidate" else m.candidate_op,
            reference_op=hit if side == "reference" else m.reference_op,
            candidate_path=op.module_path if side == "candidate" else m.candidate_path,
            message=f"{m.message.split(':')[0]}: the {side}'s {op.name} ({op.module_path}) is computed but "
            "nothing reads its result",
            source=op.source or m.source,
        )
    return out


__all__ = ["FIELD", "dead_ops", "dropped_results", "source_of"]
