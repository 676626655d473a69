"""Features returned beside the prediction are read where the reference reads them.

A distillation or feature-matching network returns its stages' features with the logits
(``return [f0, f1_pre, f2_pre, f3_pre, f4], x``). Those tensors feed the prediction, so they hold no op of
their own and show no difference when the place they are read from moves: a block's ``preact = out``
followed by an in-place ``nn.ReLU(inplace=True)`` returns the activated map where the reference returns
the sum before its ReLU; a refactor that returns ``f1`` for ``f1_pre`` does the same. The logits agree,
every op agrees, and the losses on those features train another network: the false "no difference".

So each returned tensor is placed where its op sits (stem, head, or an aligned block's main path,
shortcut or the ops after its add) and what kind of op made it (layout ops read through); the k-th tap
of the two sides is compared where both return as many. Where one side returns more, the side outputs
are ``diff.side_outputs``'.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import INPUT_ID, OpKind, Trace
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region

FIELD = "returned"
_THROUGH = (OpKind.RESHAPE, OpKind.DROPOUT)
_WHERE = {Region.MAIN: "main path", Region.SHORTCUT: "shortcut", Region.TAIL: "after the add"}


def _made_by(trace: Trace, op_id: int) -> int:
    """The op that computed the tensor, reading through layout ops (``x.view(n, -1)``) and eval-mode
    identities (a dropout, in place or not: the regularizer rules compare it)."""
    while op_id >= 0 and trace.ops[op_id].kind in _THROUGH and len(trace.ops[op_id].inputs) == 1:
        op_id = trace.ops[op_id].inputs[0]
    return op_id


def _place(trace: Trace, op_id: int, blocks: dict[int, int]) -> tuple[Region, int | None]:
    """(region, the aligned column of the block holding it) of one op."""
    s = trace.structure
    if op_id == INPUT_ID or op_id in s.stem:
        return Region.STEM, None
    for i, b in enumerate(s.blocks):
        for region, ids in ((Region.MAIN, b.main), (Region.SHORTCUT, b.shortcut), (Region.TAIL, b.tail)):
            if op_id in ids or (region is Region.MAIN and op_id == b.merge_op):
                return region, blocks.get(i)
    return Region.HEAD, None


def _described(trace: Trace, op_id: int) -> str:
    if op_id == INPUT_ID:
        return "the model's input"
    op = trace.ops[op_id]
    return (
        f"the {op.kind.value} of {op.module_path or 'the root'} (line {op.source.line})"
        if op.source
        else (f"the {op.kind.value} of {op.module_path or 'the root'}")
    )


def tap_mismatches(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], layers: Sequence[Mismatch] = ()
) -> list[Mismatch]:
    if not ref.taps or len(ref.taps) != len(cand.taps):
        return []
    # a tap made by an op one side has and the other lacks (a log_softmax closing a returned head) follows
    # from that op's own mismatch: one cause, said once
    one_sided = {("r", m.reference_op) for m in layers if m.candidate_op is None} | {
        ("c", m.candidate_op) for m in layers if m.reference_op is None
    }
    columns_r = {p.reference: k for k, p in enumerate(pairs) if p.reference is not None}
    columns_c = {p.candidate: k for k, p in enumerate(pairs) if p.candidate is not None}
    out = []
    for k, (r, c) in enumerate(zip(ref.taps, cand.taps, strict=True)):
        if r < INPUT_ID or c < INPUT_ID:
            continue
        r, c = _made_by(ref, r), _made_by(cand, c)
        if ("r", r) in one_sided or ("c", c) in one_sided:
            continue
        kind_r = ref.ops[r].kind if r >= 0 else None
        kind_c = cand.ops[c].kind if c >= 0 else None
        place_r, place_c = _place(ref, r, columns_r), _place(cand, c, columns_c)
        if (kind_r, place_r) == (kind_c, place_c):
            continue
        out.append(_mismatch(ref, cand, k, r, c, place_c[0]))
    return out


def _mismatch(ref: Trace, cand: Trace, k: int, r: int, c: int, region: Region) -> Mismatch:
    path_r = ref.ops[r].module_path if r >= 0 else None
    path_c = cand.ops[c].module_path if c >= 0 else None
    where = _WHERE.get(region, region.value)
    text = (
        f"returned tensor {k + 1} besides the prediction is {_described(cand, c)} ({where}), where the reference "
        f"returns {_described(ref, r)}: a loss on it trains another feature (an in-place op after `x = y` "
        "rewrites what y names; a feature taken after its activation instead of before)"
    )
    return Mismatch(
        MismatchKind.OP, path_r, path_c, FIELD, _described(ref, r), _described(cand, c), text,
        cand.ops[c].source if c >= 0 else None, region,
        op_kind=ref.ops[r].kind if r >= 0 else None, reference_op=r if r >= 0 else None,
        candidate_op=c if c >= 0 else None,
    )  # fmt: skip


__all__ = ["FIELD", "tap_mismatches"]
