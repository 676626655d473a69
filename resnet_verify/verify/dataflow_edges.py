"""An op that reads another of the paired tensors than the reference's does: the same ops, rewired.

RAFT's context network splits its output in two and runs ``tanh`` on one half and ``relu`` on the
other; the halves swapped, every op is still there in the same order with the same shapes, and
op-by-op the two read as identical: a false "no difference". Where both an op and what it reads are
paired with the reference's op and what that reads, and the two readings disagree (it reads the tensor
paired with another of the reference's), the op is rewired: a mismatch at it. Only ops of one data
input (what a binary op reads first is an order, not a wiring), only when both sources are paired
(a missing or extra op between them is already said).
"""

from __future__ import annotations

from resnet_verify.tracing.records import INPUT_ID, Trace
from resnet_verify.verify.dead_ops import source_of

FIELD = "reads"


def rewired(ref: Trace, cand: Trace, paired: dict[int, int]) -> list[tuple[int, int, int, int]]:
    """(reference op, candidate op, what the reference's reads, what the candidate's reads) for each
    paired op whose input is paired with another of the reference's tensors."""
    back = {c: r for r, c in paired.items()}
    out = []
    for r_id, c_id in paired.items():
        r, c = ref.ops[r_id], cand.ops[c_id]
        if len(r.inputs) != 1 or len(c.inputs) != 1:
            continue
        rs, cs = source_of(ref, r_id), source_of(cand, c_id)
        if rs == INPUT_ID and cs == INPUT_ID:
            continue
        known_r = rs == INPUT_ID or rs in paired
        known_c = cs == INPUT_ID or cs in back
        if known_r and known_c and (paired.get(rs, INPUT_ID) if rs != INPUT_ID else INPUT_ID) != cs:
            out.append((r_id, c_id, rs, cs))
    return out


__all__ = ["FIELD", "rewired"]
