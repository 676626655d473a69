"""A full kernel written as a chain of smaller ones: (2+1)-D convs where the reference has 3-D ones.

R(2+1)D writes each 3x3x3 conv of a video ResNet as a 1x3x3 spatial conv and a 3x1x1 temporal one
(with a BN and ReLU between, and a middle width of its own); Inception-style 2-D code writes a 3x3 as
1x3 + 3x1. Compared op by op that is an extra conv, BN and ReLU per block plus widths that look
wrong: many mismatches with no name. Structure first: in each aligned block, walk both main paths'
kernels; where one reference kernel is matched by a run of two or more candidate kernels that each
leave out an axis and together grow the view by as much on every axis, that conv is factorised.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import Block, OpKind, Trace
from resnet_verify.verify.patterns.context import LAYER_KINDS, Context, attr, under
from resnet_verify.verify.records import Finding, MismatchKind, Pattern, Region

_Kernel = tuple[int, ...]


def _kernels(trace: Trace, block: Block | None) -> list[_Kernel]:
    """The main path's conv kernels in order (``None``: the stem's)."""
    out = []
    for o in block.main if block is not None else trace.structure.stem:
        op = trace.ops[o]
        k = attr(op, "kernel_size")
        if op.kind is OpKind.CONV and isinstance(k, tuple):
            out.append(k)
    return out


def _factorises(k: _Kernel, pieces: Sequence[_Kernel]) -> bool:
    if len(pieces) < 2 or any(len(p) != len(k) or p == k for p in pieces):
        return False
    if any(all(v > 1 for v in p) for p in pieces):
        return False  # every piece leaves out at least one axis
    return all(sum(p[d] - 1 for p in pieces) == k[d] - 1 for d in range(len(k)))


def _factorised_in(
    ref: list[_Kernel], cand: list[_Kernel]
) -> list[tuple[_Kernel, tuple[_Kernel, ...]]] | None:
    """The (reference kernel, candidate pieces) pairs when ``cand`` is ``ref`` with some kernels
    factorised and nothing else changed; None otherwise."""
    found, i, j = [], 0, 0
    while i < len(ref) and j < len(cand):
        if ref[i] == cand[j]:
            i, j = i + 1, j + 1
            continue
        n = next((n for n in (2, 3) if _factorises(ref[i], cand[j : j + n])), None)
        if n is None:
            return None
        found.append((ref[i], tuple(cand[j : j + n])))
        i, j = i + 1, j + n
    return found if i == len(ref) and j == len(cand) and found else None


def _spell(k: _Kernel) -> str:
    return "x".join(map(str, k))


def detect_factorised_conv(ctx: Context) -> list[Finding]:
    blocks: list[tuple[str, str]] = []
    example: tuple[_Kernel, tuple[_Kernel, ...]] | None = None
    for _, rb, cb in ctx.paired_blocks():
        pairs = _factorised_in(_kernels(ctx.reference, rb), _kernels(ctx.candidate, cb))
        if pairs:
            blocks.append((rb.path, cb.path))
            example = example or pairs[0]
    # the stem factorised the same way (R(2+1)D's 1x7x7 + 3x1x1 for R3D's 3x7x7), with the blocks
    stem = bool(blocks) and bool(_factorised_in(_kernels(ctx.reference, None), _kernels(ctx.candidate, None)))
    if not blocks or example is None:
        return []
    claimed = ctx.indices(
        lambda m: (
            m.kind in LAYER_KINDS
            and (
                any(under(m.reference_path, r) or under(m.candidate_path, c) for r, c in blocks)
                or (stem and m.region is Region.STEM)
            )
        )
    )
    full, pieces = example
    # the line that builds the pieces (an extra conv's), else any line inside the first block
    extra = [ctx.mismatches[i].source for i in claimed if ctx.mismatches[i].kind is MismatchKind.EXTRA]
    first = next((s for s in extra if s is not None), None) or next(
        (c.source for c in ctx.candidate.modules if under(c.path, blocks[0][1]) and c.source), None
    )
    n = len(blocks)
    return [
        Finding(
            pattern=Pattern.FACTORISED_CONV,
            title=f"{_spell(full)} convs factorised into {' + '.join(_spell(p) for p in pieces)}",
            message=(
                f"In {n} block{'s' if n > 1 else ''} ({', '.join(c for _, c in blocks[:4])}{' ...' if n > 4 else ''})"
                f"{' and the stem' if stem else ''} "
                f"the candidate writes each {_spell(full)} conv of the reference as "
                f"{' then '.join(_spell(p) for p in pieces)} (with a middle width and layers of its own): "
                "a factorised ((2+1)-D for video) block, the same view per block with other parameters "
                "and MACs. Everything else in these blocks matches."
            ),
            locations=tuple(r for r, _ in blocks),
            mismatches=claimed,
            suggestion=(
                f"{first or blocks[0][1]}: write the block's convs as single {_spell(full)} convs if the "
                "reference's architecture is meant; a factorised block is a different model (R(2+1)D, not R3D)"
            ),
            source=first,
        )
    ]


__all__ = ["detect_factorised_conv"]
