"""An op that reads another of the paired tensors than the reference's does: the same ops, rewired.

RAFT's context network splits its output in two and runs ``tanh`` on one half and ``relu`` on the
other; the halves swapped, every op is still there in the same order with the same shapes, and
op-by-op the two read as identical: a false "no difference". Where both an op and what it reads are
paired with the reference's op and what that reads, and the two readings disagree (it reads the tensor
paired with another of the reference's), the op is rewired: a mismatch at it. An op of several inputs
is rewired where the tensors it reads differ as a set (what a binary op reads first is an order, not a
wiring): DETR's position encoding added once before the encoder feeds the attention's values and the
residual stream, where the reference's feeds only its queries and keys, every op the same. Only when
every source is paired (a missing or extra op between them is already said).
"""

from __future__ import annotations

from collections import Counter

from resnet_verify.tracing.dataflow import computed_at
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
        if len(r.inputs) != len(c.inputs) or not r.inputs:
            continue
        if len(r.inputs) > 1:
            out.extend(_rewired_inputs(ref, cand, paired, back, r_id, c_id))
            continue
        rs, cs = source_of(ref, r_id), source_of(cand, c_id)
        if rs == INPUT_ID and cs == INPUT_ID:
            continue
        known_r = rs == INPUT_ID or rs in paired
        known_c = cs == INPUT_ID or cs in back
        if known_r and known_c and (paired.get(rs, INPUT_ID) if rs != INPUT_ID else INPUT_ID) != cs:
            out.append((r_id, c_id, rs, cs))
    return out


def _rewired_inputs(
    ref: Trace, cand: Trace, paired: dict[int, int], back: dict[int, int], r_id: int, c_id: int
) -> list[tuple[int, int, int, int]]:
    """The first source that differs where an op of several inputs reads another set of tensors."""
    rs = [computed_at(ref.ops, i) for i in ref.ops[r_id].inputs]
    cs = [computed_at(cand.ops, i) for i in cand.ops[c_id].inputs]
    if not all(s == INPUT_ID or s in paired for s in rs) or not all(s == INPUT_ID or s in back for s in cs):
        return []
    mapped = [paired.get(s, INPUT_ID) if s != INPUT_ID else INPUT_ID for s in rs]
    missing, extra = Counter(mapped) - Counter(cs), Counter(cs) - Counter(mapped)
    if not missing:
        return []
    was = next(s for s, m in zip(rs, mapped, strict=True) if m in missing)
    return [(r_id, c_id, was, next(iter(extra)))]


__all__ = ["FIELD", "rewired"]
