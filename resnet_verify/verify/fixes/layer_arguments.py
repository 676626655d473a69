"""The reference's values written into the layer calls a description names: a kernel and its
padding, a stride, a dilation, groups, a bias, a pool's ceil_mode, a norm's eps or momentum.

A ``described_difference`` or ``repeated_in_blocks`` finding names no variant, only what differs at
which layers; when every difference it holds is an argument of a torch.nn layer the user built with
literal values, the fix is those arguments as the reference has them, at each construction line
(one line that builds a layer in every block is edited once). Anything else (an op added or
missing, a value computed from a variable, blocks that want different values from one line) is
left to the user, with why. Needs review: a description says what differs, not which side is meant.
"""

from __future__ import annotations

from resnet_verify.verify.fixes.context import FixContext, grouped_sites
from resnet_verify.verify.fixes.records import Applicability, CannotFix, Edit, Fix
from resnet_verify.verify.fixes.source import NOT_LITERAL, literal
from resnet_verify.verify.records import Mismatch, MismatchKind

_ARGUMENTS = (
    "kernel_size",
    "padding",
    "stride",
    "dilation",
    "groups",
    "bias",
    "ceil_mode",
    "eps",
    "momentum",
)


def _spelled(value: object) -> str:
    """``(3, 3)`` -> ``3``; other values as Python writes them."""
    if isinstance(value, tuple) and value and len(set(value)) == 1:
        return repr(value[0])
    return repr(value)


def _roots(ctx: FixContext) -> list[Mismatch]:
    ms = ctx.mismatches()
    roots = [m for m in ms if m.cause is None]
    odd = sorted({m.field or m.kind.value for m in roots
                  if m.kind is not MismatchKind.ATTRIBUTE or m.field not in _ARGUMENTS or not m.candidate_path})  # fmt: skip
    if odd:
        raise CannotFix(
            f"the finding holds differences that are no layer argument ({', '.join(odd)}): by hand"
        )
    return roots


def _wanted(roots: list[Mismatch], paths: list[str]) -> dict[str, object]:
    """Field -> the reference's value, for the layers one construction line built."""
    out: dict[str, object] = {}
    for m in roots:
        if m.candidate_path not in paths or m.field is None:
            continue
        if m.field in out and out[m.field] != m.expected:
            raise CannotFix(f"one line builds layers that want {m.field} {out[m.field]} and {m.expected}")
        out[m.field] = m.expected
    return out


def write(ctx: FixContext) -> Fix:
    roots = _roots(ctx)
    edits: list[Edit] = []
    for site, paths in grouped_sites(ctx, [m.candidate_path for m in roots]).values():
        for field, value in _wanted(roots, paths).items():
            arg = site.argument(field)
            if arg is not None and literal(arg.value) is NOT_LITERAL:
                raise CannotFix(
                    f"{field} at {site} is `{site.code(arg.value)}`: it is chosen where that value is set"
                )
            edits.append(site.set(field, _spelled(value)))
    if not edits:
        raise CannotFix("the finding names no layer argument")
    where = ", ".join(sorted({f"{e.file}:{e.line}" for e in edits}))
    changed = ", ".join(sorted({m.field or "" for m in roots}))
    return Fix(
        ctx.finding.pattern,
        f"{changed} as in the reference at {where}",
        tuple(edits),
        Applicability.NEEDS_REVIEW,
    )


__all__ = ["write"]
