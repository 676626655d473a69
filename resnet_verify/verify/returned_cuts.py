"""A second result the forward returns with its gradient cut on one side only.

BYOL's and MoCo's target encoders, SimSiam's stop-gradient branch: the forward returns the prediction
and a target computed under ``torch.no_grad()`` (or ``.detach()``-ed), and a loss outside the model
compares the two. Leaving the cut out keeps every value the same, but the loss then trains through the
target as well (SimSiam collapses without it), so it is a difference of the network the forward
builds. The prediction itself is ``gradient_diff``'s (a forward that cannot learn, a detach on its
path); here each further returned result is compared by its position in what the forward returns: cut
(a grad-off stretch made it, or a detach before it through layout ops only) or not. Two cuts spelled
otherwise (``no_grad`` on one side, ``.detach()`` on the other) are the same cut, and detaches of returned
results are handed back so ``gradient_diff`` does not count them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from resnet_verify.tracing.records import OpKind, SourceLoc, Trace
from resnet_verify.verify.records import Mismatch, MismatchKind, Region

CUTS = frozenset({"detach", "detach_", "data"})


@dataclass(frozen=True, slots=True)
class _Cut:
    op: int  # the returned op
    how: str  # "torch.no_grad()", "detach" ...
    detach: int | None  # the detach op making it, if one does
    source: SourceLoc | None


def _cut(trace: Trace, op_id: int) -> _Cut | None:
    o = op_id
    while True:
        op = trace.ops[o]
        region = next((r for r in trace.grad_off if r.first <= o < r.end), None)
        if region is not None:
            return _Cut(op_id, region.spelling, None, region.source or op.source)
        if op.name in CUTS:
            return _Cut(op_id, op.name, o, op.source)
        if op.kind is not OpKind.RESHAPE or len(op.inputs) != 1 or op.inputs[0] < 0:
            return None
        o = op.inputs[0]


def _side_results(trace: Trace) -> list[tuple[int, _Cut | None]]:
    return [(o, _cut(trace, o)) for o in trace.side_outputs if 0 <= o < len(trace.ops)]


def returned_cut_mismatches(ref: Trace, cand: Trace) -> tuple[list[Mismatch], set[int], set[int]]:
    """Mismatches for the returned results cut on one side only; the detach ops cutting returned
    results (reference's, candidate's), said here, never again as cuts of their own."""
    if cand.crash is not None or ref.output_op is None or cand.output_op is None:
        return [], set(), set()
    out: list[Mismatch] = []
    handled: tuple[set[int], set[int]] = (set(), set())
    for k, ((r, rc), (c, cc)) in enumerate(zip(_side_results(ref), _side_results(cand)), start=2):
        for said, cut in zip(handled, (rc, cc), strict=True):
            if cut is not None and cut.detach is not None:
                said.add(cut.detach)
        if (rc is None) == (cc is None):
            continue
        rp, cp = ref.ops[r].module_path, cand.ops[c].module_path
        if cc is not None:
            text = (
                f"the candidate returns result {k} ({cp or 'its forward'}) with its gradient cut ({cc.how}), "
                "the reference's carries one: a loss on it trains what computes it in the reference only"
            )
            exp, act, source = "flows", f"stopped ({cc.how})", cc.source
        else:
            assert rc is not None
            text = (
                f"the reference returns result {k} ({rp or 'its forward'}) with its gradient cut ({rc.how}: a "
                "stop-gradient target), the candidate's carries one: a loss on it trains through it"
            )
            exp, act, source = f"stopped ({rc.how})", "flows", cand.ops[c].source
        out.append(Mismatch(
            MismatchKind.OP, rp or None, cp or None, "gradient", exp, act, text, source, Region.MODEL,
            OpKind.RESHAPE, None, r, c,
        ))  # fmt: skip
    return out, handled[0], handled[1]


__all__ = ["returned_cut_mismatches"]
