"""``padding=True`` -> ``padding=1``: the int PyTorch 1.x read the bool as, at the line that wrote it."""

from __future__ import annotations

import libcst as cst

from resnet_verify.verify.fixes.calls import CallSite
from resnet_verify.verify.fixes.context import FixContext, grouped_sites
from resnet_verify.verify.fixes.records import Applicability, CannotFix, Edit, Fix
from resnet_verify.verify.fixes.source import literal
from resnet_verify.verify.records import MismatchKind, Pattern


def _scalar(value: object) -> object:
    return value[0] if isinstance(value, tuple) and value and len(set(value)) == 1 else value


class _Bools(cst.CSTVisitor):
    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word
        self.found: list[cst.Name] = []

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.word:
            self.found.append(node)


def _edit(site: CallSite, field: str, given: bool, used: int) -> tuple[Edit, bool]:
    """The edit, and whether it replaced the whole argument (else a bool inside an expression)."""
    arg = site.argument(field)
    if arg is None:
        raise CannotFix(f"{site} does not write {field}: the bool comes from elsewhere")
    if literal(arg.value) is given:
        return site.replace(arg.value, str(used)), True
    # ``padding=True if k == 3 else k // 2``: the one bool written there is the one to change
    bools = _Bools(str(given))
    arg.value.visit(bools)
    if len(bools.found) != 1:
        raise CannotFix(f"{field} at {site} is computed (`{site.code(arg.value)}`), with no single {given} "
                        "written in it to replace")  # fmt: skip
    return site.replace(bools.found[0], str(used)), False


def write(ctx: FixContext) -> Fix:
    repairs = ctx.mismatches(MismatchKind.REPAIR)
    if not repairs or repairs[0].field is None:
        raise CannotFix("the finding names no repaired argument")
    field = repairs[0].field
    given, used = _scalar(repairs[0].actual), _scalar(repairs[0].expected)
    if not isinstance(given, bool) or isinstance(used, bool) or not isinstance(used, int):
        raise CannotFix(f"{field}={given} is not one bool read as one int")
    if any(_scalar(m.expected) != used for m in repairs):
        raise CannotFix(f"the layers built with {field}={given} were read with different ints")
    edits, whole = [], True
    for site, _ in grouped_sites(ctx, [m.candidate_path for m in repairs]).values():
        edit, plain = _edit(site, field, given, used)
        edits.append(edit)
        whole = whole and plain
    where = ", ".join(f"{e.file}:{e.line}" for e in edits)
    return Fix(
        Pattern.BOOL_ARGUMENT,
        f"{field}={given} -> {field}={used} at {where}",
        tuple(edits),
        Applicability.SAFE if whole else Applicability.NEEDS_REVIEW,
    )


__all__ = ["write"]
