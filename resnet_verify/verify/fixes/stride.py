"""ResNet v1 -> v1.5 (or back): the stride argument moved from one conv's construction call to the
other's, as written (``stride=s`` carries each block's own value with it)."""

from __future__ import annotations

from resnet_verify.verify.fixes.calls import CallSite
from resnet_verify.verify.fixes.context import FixContext
from resnet_verify.verify.fixes.records import Applicability, CannotFix, Edit, Fix
from resnet_verify.verify.fixes.source import literal
from resnet_verify.verify.records import MismatchKind, Pattern


def _most(value: object) -> int:
    return max((v for v in value if isinstance(v, int)), default=1) if isinstance(value, tuple) else 1


def _pairs(ctx: FixContext) -> list[tuple[str, str]]:
    """Per block of the finding: (the conv that strides and should not, the one that should)."""
    blocks: dict[object, tuple[list[str], list[str]]] = {}
    for m in ctx.mismatches(MismatchKind.ATTRIBUTE, ("stride",)):
        strided, wanted = _most(m.actual) > 1, _most(m.expected) > 1
        if strided != wanted and m.candidate_path:
            blocks.setdefault(m.block, ([], []))[0 if strided else 1].append(m.candidate_path)
    pairs = []
    for off, on in blocks.values():
        if len(off) != 1 or len(on) != 1:
            raise CannotFix("a block of the finding does not have one strided conv and one to stride instead")
        pairs.append((off[0], on[0]))
    if not pairs:
        raise CannotFix("the finding names no stride to move")
    return pairs


def _move(src: CallSite, dst: CallSite) -> list[Edit]:
    if src.source.path == dst.source.path and src.line == dst.line:
        raise CannotFix(f"both convs are built by {src} (a helper): the stride is chosen where it is called")
    if src.source.path != dst.source.path or src.source.function_of(src.call) is not dst.source.function_of(
        dst.call
    ):
        raise CannotFix(f"{src} and {dst} are in different functions: the stride written at one may not "
                        "mean the same at the other")  # fmt: skip
    moving = src.argument("stride")
    if moving is None:
        raise CannotFix(f"{src} does not pass stride: it comes from elsewhere")
    there = dst.argument("stride")
    if there is not None and literal(there.value) not in (1, (1, 1)):
        raise CannotFix(f"the stride at {dst} is `{dst.code(there.value)}`, not a literal 1: moving the "
                        f"other conv's stride there is not a plain move")  # fmt: skip
    edits = [dst.set("stride", src.code(moving.value))]
    if there is not None:  # written out on both (``stride=1``): the two values trade places
        edits.append(src.replace(moving.value, dst.code(there.value)))
        return edits
    try:
        edits.append(src.remove("stride"))
    except CannotFix:  # a positional stride with positionals after it: it stays, as 1
        edits.append(src.replace(moving.value, "1"))
    return edits


def write(ctx: FixContext) -> Fix:
    seen: dict[tuple[str, str], list[Edit]] = {}
    for off, on in _pairs(ctx):
        src, dst = ctx.built(off), ctx.built(on)
        key = (str(src), str(dst))
        if key not in seen:
            seen[key] = _move(src, dst)
    edits = tuple(e for moved in seen.values() for e in moved)
    moves = "; ".join(f"stride from {a} to {b}" for a, b in seen)
    return Fix(Pattern.V1_STRIDE, f"move the {moves}", edits, Applicability.SAFE)


__all__ = ["write"]
