"""Shared by the width writers: a layer built for one width, reached by another (a crash the tracer
repaired on its copy), gets the width that reached it, where that width is a literal."""

from __future__ import annotations

from resnet_verify.tracing.repairs import RepairKind
from resnet_verify.verify.fixes.context import FixContext
from resnet_verify.verify.fixes.records import Applicability, CannotFix, Edit, Fix
from resnet_verify.verify.fixes.source import literal
from resnet_verify.verify.records import Pattern


def resize(ctx: FixContext, pattern: Pattern, attribute: str) -> Fix:
    mine = {m.candidate_path for m in ctx.mismatches()}
    groups: dict[str, list[tuple[int, int, str]]] = {}
    for r in ctx.comparison.candidate.repairs:
        if r.kind is RepairKind.WIDTH and r.attribute == attribute and r.module_path in mine:
            groups.setdefault(str(r.source), []).append((r.given[0], r.used[0], r.module_path))
    if not groups:
        raise CannotFix(f"the finding names no {attribute} the trace re-sized")
    edits: list[Edit] = []
    for group in groups.values():
        given, used, path = group[0]
        if len({u for _, u, _ in group}) > 1:
            raise CannotFix(f"one line builds layers that {len(group)} different widths reach: it needs a "
                            "value per layer, not one literal")  # fmt: skip
        site = ctx.built(path)
        arg = site.argument(attribute)
        if arg is None or literal(arg.value) != given:
            code = site.code(arg.value) if arg is not None else "not written"
            raise CannotFix(f"{attribute} at {site} is computed (`{code}`), not the literal {given}: fix it "
                            "where the width is computed")  # fmt: skip
        edits.append(site.replace(arg.value, str(used)))
    title = ", ".join(f"{attribute}={e.content} at {e.file}:{e.line}" for e in edits)
    return Fix(pattern, title, tuple(edits), Applicability.SAFE)


__all__ = ["resize"]
