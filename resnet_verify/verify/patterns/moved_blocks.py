"""Blocks placed elsewhere in their stages (``verify/moved_blocks.py``): one finding for all of them.

No named variant: non-local blocks after other bottlenecks (fast-reid's index lists counted from the
other end), an attention unit after the first block instead of the last. Each move is one root
mismatch; together they are one choice (where the units go), said with each block's two places.
"""

from __future__ import annotations

from resnet_verify.verify.moved_blocks import FIELD
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.wording import shorten
from resnet_verify.verify.records import Finding, Pattern


def detect_moved_blocks(ctx: Context) -> list[Finding]:
    idx = ctx.indices(lambda m: m.field == FIELD)
    if not idx:
        return []
    moves = [ctx.mismatches[i] for i in idx]
    places = [f"{m.actual} (the reference's {m.expected})" for m in moves]
    first = moves[0]
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title=f"{len(moves)} block{'s' if len(moves) > 1 else ''} placed elsewhere in their stages",
            message=(
                f"The same blocks sit at other places of their stages: {shorten(places)}. Shapes and "
                "parameters agree; what each block reads, and so the outputs, do not."
            ),
            locations=tuple(m.reference_path or "" for m in moves),
            mismatches=idx,
            suggestion="place the blocks as the reference does (the index list or the order that builds each stage)",
            source=first.source,
        )
    ]


__all__ = ["detect_moved_blocks"]
