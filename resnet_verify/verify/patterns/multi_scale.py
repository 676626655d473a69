"""A block whose middle conv is cut into channel groups: hierarchical multi-scale (Res2Net), or plain
grouped branches written with an explicit split.

Res2Net splits the 1x1's output into s groups of w channels; each group after the first goes through
its own 3x3 conv after adding the previous group's output, and the groups are concatenated again
before the last 1x1. Op by op that is a split, a cat, s-1 extra convs, BNs and ReLUs and s-2 adds
that look like residual merges, in every block: hundreds of mismatches. Structure first: on a block's
main path, a split whose pieces reach one concat, with convs between (and adds chaining a piece to the
previous piece's conv: the hierarchy), is one unit; its differences are one finding per line.
"""

from __future__ import annotations

from resnet_verify.tracing.records import Block, OpKind, Trace
from resnet_verify.verify.patterns.context import SPLITS, Context, attr
from resnet_verify.verify.records import Finding, MismatchKind, Pattern, Region


def _descendants(trace: Trace, start: int, within: set[int]) -> set[int]:
    out, todo = set(), [start]
    while todo:
        cur = todo.pop()
        for o in within:
            if cur in trace.ops[o].inputs and o not in out:
                out.add(o)
                todo.append(o)
    return out


def _pieces(trace: Trace, o: int, main: set[int]) -> list[int]:
    """The slices cut from the same tensor as ``o``: one split however written (``torch.split``'s
    pieces, ``x.chunk``'s, ``x[:, :w]`` and ``x[:, w:]``); [o] for a single op of several outputs."""
    op = trace.ops[o]
    if op.kind is not OpKind.SLICE:
        return []
    pieces = [
        p for p in sorted(main) if trace.ops[p].kind is OpKind.SLICE and trace.ops[p].inputs == op.inputs
    ]
    return pieces if len(pieces) > 1 or op.name in SPLITS else []


def unit_ops(trace: Trace, block: Block) -> set[int]:
    """The unit's ops: the split, everything between it and the concat, the concat, the norm / activation
    right after it and the activation right before the split (the alignment may pair the other side's own
    with a group's)."""
    unit = unit_of(trace, block)
    if unit is None:
        return set()
    split, cat, _, _ = unit
    main = set(block.main)
    pieces = _pieces(trace, split, main)
    below = {d for p in pieces for d in _descendants(trace, p, main)}
    ops = {*pieces, cat} | {o for o in below if o < cat}
    # the activation feeding the split too: with several group ReLUs on one side the alignment may pair the
    # other side's ReLU after the first 1x1's BN with one of them
    before = trace.ops[split].inputs[0] if trace.ops[split].inputs else -1
    if before in main and trace.ops[before].kind is OpKind.RELU:
        ops.add(before)
    after = cat
    for o in sorted(main):
        if o > cat and after in trace.ops[o].inputs and trace.ops[o].kind in (OpKind.BATCH_NORM, OpKind.RELU):
            ops.add(o)
            after = o
    return ops


def unit_of(trace: Trace, block: Block) -> tuple[int, int, list[int], bool] | None:
    """(split op, concat op, the convs between, whether adds chain the groups) of the block, or None."""
    main = set(block.main)
    seen: set[int] = set()
    for o in block.main:
        pieces = _pieces(trace, o, main) if o not in seen else []
        seen |= set(pieces)
        if not pieces:
            continue
        below = {d for p in pieces for d in _descendants(trace, p, main)}
        cats = sorted(c for c in below if trace.ops[c].kind is OpKind.CAT)
        if not cats:
            continue
        cat = cats[0]
        # Res2Net's official block concatenates as it goes (out = cat((out, sp), 1) per group, then the last
        # group): the unit ends at the last concat of that chain, not at the first
        while (later := next((c for c in cats if cat in trace.ops[c].inputs), None)) is not None:
            cat = later
        between = [b for b in below if b < cat]
        convs = sorted(b for b in between if trace.ops[b].kind is OpKind.CONV)
        if len(convs) < 2:
            continue
        chained = any(trace.ops[b].kind is OpKind.ADD for b in between)
        return o, cat, convs, chained
    return None


def _spell(trace: Trace, convs: list[int], chained: bool) -> tuple[str, str]:
    first = trace.ops[convs[0]]
    k = "x".join(map(str, attr(first, "kernel_size") or ()))  # type: ignore[call-overload]
    w = attr(first, "in_channels")
    n = len(convs)
    if chained:
        return "hierarchical multi-scale (Res2Net)", (
            f"the middle conv is cut into groups of {w} channels; {n} of them each go through a {k} conv "
            "after adding the previous group's output, and the groups are concatenated again"
        )
    return (
        "split branches",
        f"the middle conv is cut into groups of {w} channels, {n} {k} convs on them, concatenated",
    )


def _spelled_out(trace: Trace, block: Block, other: Trace, theirs: Block) -> list[int]:
    unit = unit_of(trace, block)
    if unit is None or unit[3] or unit_of(other, theirs) is not None:
        return []
    convs = unit[2]
    width = sum(int(w) for c in convs if isinstance(w := attr(trace.ops[c], "in_channels"), int))
    grouped = any(
        other.ops[o].kind is OpKind.CONV
        and attr(other.ops[o], "groups") == len(convs)
        and attr(other.ops[o], "in_channels") == width
        for o in theirs.main
    )
    return convs if grouped else []


def grouped_branches(ctx: Context) -> set[int]:
    """The candidate's branch convs that spell a grouped conv of the reference's paired block: a split into
    as many groups as that conv has, one conv per group, no adds between them, concatenated (ResNeXt's
    cardinality as a list of branch convs against ``groups=``); ``grouped_branches.py`` describes them, and
    claims their differences before this rule and the cardinality rule read them (the registry runs it
    both ways round)."""
    out: set[int] = set()
    for _, rb, cb in ctx.paired_blocks():
        out.update(_spelled_out(ctx.candidate, cb, ctx.reference, rb))
    return out


def unit_claims(ctx: Context, cands: set[int], inside: set[int]) -> tuple[int, ...]:
    """In the candidate's blocks ``cands``: the unit's own ops' differences and the reference's middle
    layers it replaced (nothing on the candidate side); a width of the block's 1x1s is another cause
    (patterns/widths.py), left to it."""
    return ctx.indices(
        lambda m: (
            m.block is not None
            and m.block.candidate in cands
            and m.region is Region.MAIN
            and m.kind is not MismatchKind.REGULARIZER
            and (m.candidate_op in inside or (m.candidate_op is None and m.reference_op is not None))
        )
    )


def detect_multi_scale(ctx: Context) -> list[Finding]:
    blocks: list[tuple[str, int, str, str]] = []  # (reference path, candidate block, name, description)
    inside: set[int] = set()
    for _, rb, cb in ctx.paired_blocks():
        unit = unit_of(ctx.candidate, cb)
        if unit is None or unit_of(ctx.reference, rb) is not None:
            continue
        name, description = _spell(ctx.candidate, unit[2], unit[3])
        blocks.append((rb.path, cb.index, name, description))
        inside |= unit_ops(ctx.candidate, cb)
    if not blocks:
        return []
    claimed = unit_claims(ctx, {b for _, b, _, _ in blocks}, inside)
    if not claimed:
        return []
    # Res2Net's first block of a stage has no adds between its groups: the hierarchy names the family
    chained = [b for b in blocks if b[2].startswith("hierarchical")]
    _, _, name, description = chained[0] if chained else blocks[0]
    if chained and len(chained) < len(blocks):
        description += f" ({len(blocks) - len(chained)} of the blocks without the adds between groups)"
    first = ctx.mismatches[claimed[0]]
    n = len(blocks)
    return [
        Finding(
            pattern=Pattern.MULTI_SCALE,
            title=f"{name[0].upper() + name[1:]} blocks",
            message=(
                f"In {n} block{'s' if n > 1 else ''} ({', '.join(r for r, _, _, _ in blocks[:4])}"
                f"{' ...' if n > 4 else ''}) {description}, where the reference has one conv. The split, the "
                "group convs, their adds and the concat are this one difference."
            ),
            locations=tuple(r for r, _, _, _ in blocks),
            mismatches=claimed,
            suggestion=(
                f"{first.source or first.candidate_path}: this is a different block design ({name}); compare "
                "with a reference of that family, or write the middle conv as one conv"
            ),
            source=first.source,
        )
    ]


__all__ = ["detect_multi_scale", "grouped_branches", "unit_claims", "unit_of"]
