"""A tensor a paired op reads, moved otherwise on its way there: the same shapes, its elements
elsewhere (ANODE's zero channels concatenated in front of the image where the reference appends them;
a shift one way where the reference shifts both ways).

verify/data_moves.py drops the mismatches of two spellings of one move; this is its other half. For
each op the alignment pairs (and the model's output), where what it reads comes out of moves that are
not layout alone (a concatenation, a pad, slices written into zeros: layout chains are
verify/arrangement.py's), the moves of both sides are replayed from the same labels on the tensors
the alignment pairs; labels that differ at the same shape are one mismatch at the reader. Anything
that cannot be replayed says nothing, nor does a reader already said to read its input arranged
otherwise (the difference is the layout between the moves, verify/arrangement.py's).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from resnet_verify.tracing.moves import is_move
from resnet_verify.tracing.records import LAYOUT_KINDS, OpRecord, Trace
from resnet_verify.verify.arrangement import FIELD
from resnet_verify.verify.data_moves import Pairing
from resnet_verify.verify.records import Mismatch, MismatchKind, Region


def _spelled(trace: Trace, region: set[int]) -> str:
    """``cat(zeros, the input)``: each move that is not layout, with what it reads, in order."""

    def source(i: int) -> str:
        while i >= 0 and trace.ops[i].kind in LAYOUT_KINDS and trace.ops[i].inputs:
            i = trace.ops[i].inputs[0]
        return (
            "the input"
            if i < 0
            else (trace.ops[i].name if i in region else trace.ops[i].module_path or trace.ops[i].name)
        )

    steps = [
        f"{trace.ops[o].name}({', '.join(source(i) for i in trace.ops[o].inputs)})"
        for o in sorted(region)
        if trace.ops[o].kind not in LAYOUT_KINDS and trace.ops[o].inputs
    ]
    return ", ".join(dict.fromkeys(steps)) or "layout only"


def _moved(trace: Trace, op_id: int) -> bool:
    return op_id >= 0 and is_move(trace.ops[op_id]) and trace.ops[op_id].kind not in LAYOUT_KINDS


def moved_otherwise(
    ref: Trace, cand: Trace, paired: dict[int, int], mismatches: Sequence[Mismatch] = ()
) -> list[Mismatch]:
    """One mismatch per paired reader whose moved input carries other labels, where none of the
    moves on its way has a mismatch of its own already (a slice's bounds, an interpolation's mode)."""
    if "keras" in (ref.device, cand.device):
        return []  # a Keras trace's shapes read channels-first, its layers compute channels-last
    reads = [
        (r_id, c_id, p)
        for r_id, c_id in paired.items()
        if not is_move(ref.ops[r_id]) and not is_move(cand.ops[c_id])
        for p, (ri, ci) in enumerate(zip(ref.ops[r_id].inputs, cand.ops[c_id].inputs, strict=False))
        if _moved(ref, ri) or _moved(cand, ci)
    ]
    if not reads:
        return []
    pairing = Pairing(ref, cand, paired)
    said = ({m.reference_op for m in mismatches}, {m.candidate_op for m in mismatches})
    # a reader already said to read its input arranged otherwise (a channel shuffle left out between the
    # same moves) is that one difference, not a second one here
    arranged = {(m.reference_op, m.candidate_op) for m in mismatches if m.field == FIELD}
    out: list[Mismatch] = []
    seen: set[tuple[int, int]] = set()
    for r_id, c_id, p in reads:
        ri, ci = ref.ops[r_id].inputs[p], cand.ops[c_id].inputs[p]
        side, seed = (0, ri) if _moved(ref, ri) else (1, ci)
        found = pairing.regions(side, seed)
        values = pairing.replayed(*found) if found is not None else None
        if found is None or values is None or ri not in values[0] or ci not in values[1]:
            continue
        if found[0] & said[0] or found[1] & said[1]:
            continue  # the moves' own mismatches say it
        a, b = values[0][ri], values[1][ci]
        if a.shape != b.shape or torch.equal(a, b) or (r_id, c_id) in seen | arranged:
            continue
        seen.add((r_id, c_id))
        out.append(
            _mismatch(ref.ops[r_id], cand.ops[c_id], _spelled(ref, found[0]), _spelled(cand, found[1]))
        )
    return out


def _mismatch(r: OpRecord, c: OpRecord, was: str, now: str) -> Mismatch:
    return Mismatch(
        MismatchKind.ATTRIBUTE, r.module_path, c.module_path, FIELD, was, now,
        f"{c.name} ({c.module_path or 'the model'}) reads its input moved otherwise: {now} where the reference has "
        f"{was} (the same shape, its elements elsewhere)",
        c.source, Region.MODEL, c.kind, None, r.id, c.id,
    )  # fmt: skip


__all__ = ["moved_otherwise"]
