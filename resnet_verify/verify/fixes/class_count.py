"""A class count written as a literal (``Linear(512, 1000)``) -> the variable that holds the count
asked for at that line (``num_classes``), read off the values its frame held while building."""

from __future__ import annotations

from resnet_verify.verify.fixes.context import FixContext
from resnet_verify.verify.fixes.records import Applicability, CannotFix, Fix
from resnet_verify.verify.fixes.source import literal
from resnet_verify.verify.records import MismatchKind, Pattern

_FIELD = "out_features"


def _holder(names: tuple[tuple[str, object], ...], classes: int) -> str | None:
    """The one local holding ``classes``; a name that says "class" wins over a coincidence."""
    holding = [n for n, v in names if type(v) is int and v == classes]
    named = [n for n in holding if "class" in n.lower()]
    if len(named) == 1:
        return named[0]
    return holding[0] if len(holding) == 1 and not named else None


def write(ctx: FixContext) -> Fix:
    found = ctx.mismatches(MismatchKind.ATTRIBUTE, (_FIELD,))
    if not found:
        raise CannotFix("the finding names no classifier width")
    m = found[0]
    call = ctx.module_call(m.candidate_path)
    site = ctx.built(m.candidate_path)
    arg = site.argument(_FIELD)
    if arg is None or literal(arg.value) != m.actual:
        code = site.code(arg.value) if arg is not None else "not written"
        raise CannotFix(f"the class count at {site} is `{code}`, not the literal {m.actual}: it is chosen "
                        "where that value is set")  # fmt: skip
    name = _holder(call.frames[0].names, m.expected) if call.frames and isinstance(m.expected, int) else None
    if name is None:
        raise CannotFix(f"no one variable at {site} holds the class count asked for ({m.expected}): "
                        "pass it down to that line")  # fmt: skip
    return Fix(
        Pattern.CLASS_COUNT,
        f"{m.actual} -> {name} at {site}",
        (site.replace(arg.value, name),),
        Applicability.NEEDS_REVIEW,  # the name was picked by the value it held in this one build
    )


__all__ = ["write"]
