"""A conv written as a low-rank pair: a kxk conv to r channels, then a 1x1 conv back, nothing between.

Compression code (low-rank / tensor-decomposition ResNets) writes a C -> C' kxk conv as ``conv_u``
(C -> r, kxk) and ``conv_v`` (r -> C', 1x1): one linear map of rank at most r, with fewer parameters
and MACs. Compared op by op that is an extra 1x1 conv per layer and an inner width that reads as a
width change: no name fits (``widths`` would be wrong: no width of the network changed). Structure
first: in each aligned block, where one reference conv is matched by a candidate conv of the same
kernel and input that narrows to r, read directly (no norm or activation) by a 1x1 conv to the
reference's output width, the layer is factorised by rank: described as such, either direction.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import Block, OpKind, OpRecord, Trace, readers
from resnet_verify.verify.patterns.context import LAYER_KINDS, Context, attr, under
from resnet_verify.verify.records import Finding, Pattern

_Layer = tuple[object, object, object, int | None]  # kernel, in channels, out channels, rank (None: full)


def _pointwise(op: OpRecord) -> bool:
    k = attr(op, "kernel_size")
    return (
        op.kind is OpKind.CONV and isinstance(k, tuple) and all(v == 1 for v in k) and attr(op, "groups") == 1
    )


def _layers(trace: Trace, block: Block) -> list[_Layer]:
    """The main path's convs in order, a low-rank pair read as one layer with its rank."""
    reading = readers(trace.ops)
    main = set(block.main)
    out: list[_Layer] = []
    skip: set[int] = set()
    for o in block.main:
        op = trace.ops[o]
        if op.kind is not OpKind.CONV or o in skip:
            continue
        uses = [u for u in reading.get(o, []) if u in main]
        nxt = trace.ops[uses[0]] if len(uses) == 1 and len(reading.get(o, [])) == 1 else None
        rank = attr(op, "out_channels")
        if (
            nxt is not None
            and not _pointwise(op)
            and _pointwise(nxt)
            and attr(op, "groups") == 1
            and isinstance(rank, int)
            and all(
                isinstance(c, int) and rank < c for c in (attr(op, "in_channels"), attr(nxt, "out_channels"))
            )
        ):
            out.append((attr(op, "kernel_size"), attr(op, "in_channels"), attr(nxt, "out_channels"), rank))
            skip.add(nxt.id)
        else:
            out.append((attr(op, "kernel_size"), attr(op, "in_channels"), attr(op, "out_channels"), None))
    return out


def _factorised(ref: Sequence[_Layer], cand: Sequence[_Layer]) -> list[tuple[_Layer, int]]:
    """(reference layer, candidate rank) where ``cand`` is ``ref`` with some convs written as low-rank
    pairs and nothing else changed."""
    if len(ref) != len(cand):
        return []
    found = []
    for r, c in zip(ref, cand, strict=True):
        if r[:3] != c[:3] or (r[3] is not None and c[3] is not None and r[3] != c[3]):
            return []
        if r[3] is None and c[3] is not None:
            found.append((r, c[3]))
        elif r[3] is not None and c[3] is None:
            return []  # the reference factorised here: the other direction's finding
    return found


def detect_low_rank(ctx: Context) -> list[Finding]:
    blocks: list[tuple[str, str]] = []
    examples: list[tuple[_Layer, int]] = []
    for _, rb, cb in ctx.paired_blocks():
        found = _factorised(_layers(ctx.reference, rb), _layers(ctx.candidate, cb))
        if found:
            blocks.append((rb.path, cb.path))
            examples += found
    if not blocks:
        return []
    claimed = ctx.indices(
        lambda m: (
            m.kind in LAYER_KINDS
            and any(under(m.reference_path, r) or under(m.candidate_path, c) for r, c in blocks)
        )
    )
    if not claimed:
        return []
    (kernel, cin, cout, _), _ = examples[0]
    k = "x".join(map(str, kernel)) if isinstance(kernel, tuple) else str(kernel)
    ranks = "/".join(str(r) for r in sorted({r for _, r in examples}))
    n, where = len(blocks), ", ".join(c for _, c in blocks[:4]) + (" ..." if len(blocks) > 4 else "")
    site = next((c.source for c in ctx.candidate.modules if under(c.path, blocks[0][1]) and c.source), None)
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title=f"{k} convs written as low-rank pairs",
            message=(
                f"In {n} block{'s' if n > 1 else ''} ({where}) the candidate writes {len(examples)} of the "
                f"reference's {k} convs (the first {cin} -> {cout} channels) each as a {k} conv to {ranks} channels "
                f"read directly by a 1x1 conv back to the layer's width: a rank-{ranks} "
                "factorisation of the same layer, with fewer parameters and MACs. No width of the network "
                "differs; everything else in these blocks matches."
            ),
            locations=tuple(r for r, _ in blocks),
            mismatches=claimed,
            suggestion=(
                f"{site or blocks[0][1]}: write each pair as one {k} conv ({cin} -> {cout}) if the reference's "
                "full-rank layer is meant; a low-rank layer is a compressed model"
            ),
            source=site,
        )
    ]


__all__ = ["detect_low_rank"]
