"""A grouped conv written out as branch convs: the channels split into as many groups as the other side's
conv has, one conv per group, concatenated (ResNeXt's cardinality as a list of C branch convs against
``groups=C``; facebookresearch's and prlz77's repositories write both).

In order, the branches are that conv (the numbers then agree: ``verify/same_function.py``); concatenated in
another order, the conv's output groups come out permuted, so everything after them reads its channels
shuffled. Read op by op either is a split, extra convs, a cat and a conv "with groups=1 where the reference
has 4": a multi-scale block or a dense conv by name, both wrong. One description per network says what
the branches are and in which order they are joined.
"""

from __future__ import annotations

from resnet_verify.tracing.records import Block, OpKind, Trace
from resnet_verify.verify.patterns.context import Context, attr
from resnet_verify.verify.patterns.multi_scale import grouped_branches, unit_claims, unit_of, unit_ops
from resnet_verify.verify.records import Finding, Pattern


def _back(trace: Trace, i: int, targets: set[int]) -> int | None:
    """From op ``i`` back along first inputs to the first op in ``targets``."""
    while i >= 0 and i not in targets:
        inputs = trace.ops[i].inputs
        if not inputs:
            return None
        i = inputs[0]
    return i if i >= 0 else None


def _order(trace: Trace, block: Block, split: int, cat: int, convs: list[int]) -> list[int | None]:
    """For each input of the concat, the channel group its branch reads (0 for the first group)."""
    main = set(block.main)
    pieces = sorted(
        p
        for p in main
        if trace.ops[p].kind is OpKind.SLICE and trace.ops[p].inputs == trace.ops[split].inputs
    )
    group: dict[int | None, int] = {p: k for k, p in enumerate(pieces)}
    read: dict[int | None, int | None] = {
        c: group.get(_back(trace, trace.ops[c].inputs[0], set(pieces))) for c in convs
    }
    return [read.get(_back(trace, i, set(convs))) for i in trace.ops[cat].inputs]


def detect_grouped_branches(ctx: Context) -> list[Finding]:
    branches = grouped_branches(ctx)
    if not branches:
        return []
    blocks: list[tuple[str, list[int | None], int, str]] = []  # (reference path, order, groups, kernel)
    inside: set[int] = set()
    for _, rb, cb in ctx.paired_blocks():
        unit = unit_of(ctx.candidate, cb)
        if unit is None or not set(unit[2]) <= branches:
            continue
        split, cat, convs, _ = unit
        k = "x".join(map(str, attr(ctx.candidate.ops[convs[0]], "kernel_size") or ()))  # type: ignore[call-overload]
        blocks.append((rb.path, _order(ctx.candidate, cb, split, cat, convs), len(convs), k))
        inside |= unit_ops(ctx.candidate, cb)
    cands = {cb.index for _, _, cb in ctx.paired_blocks() if inside & set(cb.main)}
    claimed = unit_claims(ctx, cands, inside)
    if not claimed:
        return []
    shuffled = [b for b in blocks if b[1] != list(range(b[2]))]
    _, order, groups, k = shuffled[0] if shuffled else blocks[0]
    joined = (
        f"concatenated in the group order {tuple(order)}: the conv's output groups come out permuted, so every "
        "layer after them reads its channels shuffled"
        if shuffled
        else "concatenated in order: the same layer written out"
    )
    first = ctx.mismatches[claimed[0]]
    n = len(blocks)
    places = ", ".join(b[0] for b in (shuffled or blocks)[:4])
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title="Grouped conv written as branch convs",
            message=(
                f"In {n} block{'s' if n > 1 else ''} the reference's grouped {k} conv (groups={groups}) is written "
                f"as {groups} branch convs on its channel groups, {joined} ({places}{' ...' if n > 4 else ''})."
            ),
            locations=tuple(p for p, _, _, _ in blocks),
            mismatches=claimed,
            suggestion=(
                f"{first.source or first.candidate_path}: concatenate the branches in the order of the groups they "
                f"read (torch.cat([b0(x0), b1(x1), ...], 1)), or use one conv with groups={groups}"
            ),
            source=first.source,
        )
    ]


__all__ = ["detect_grouped_branches"]
