"""What every fix writer reads: the comparison, one finding, and the construction call of a module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from resnet_verify.tracing.records import ModuleCall
from resnet_verify.verify.fixes.calls import CallSite, call_at
from resnet_verify.verify.fixes.records import CannotFix, Fix
from resnet_verify.verify.records import Comparison, Finding, Mismatch, MismatchKind


@dataclass(frozen=True, slots=True)
class FixContext:
    comparison: Comparison
    finding: Finding

    def mismatches(self, kind: MismatchKind | None = None, fields: tuple[str, ...] = ()) -> list[Mismatch]:
        """The finding's mismatches, of ``kind`` and with a field in ``fields`` when given."""
        out = [self.comparison.mismatches[i] for i in self.finding.mismatches]
        return [m for m in out if (kind is None or m.kind is kind) and (not fields or m.field in fields)]

    def module_call(self, path: str | None) -> ModuleCall:
        """The candidate's module at ``path`` (its first call), with where it was built."""
        call = next((c for c in self.comparison.candidate.modules if c.path == path), None)
        if call is None:
            raise CannotFix(f"{path or 'the layer'} was not traced as a module: no construction call to edit")
        return call

    def built(self, path: str | None) -> CallSite:
        """The call on the user's line that built the module at ``path``."""
        call = self.module_call(path)
        return call_at(call.source, call.type_name, path or call.type_name)


Writer = Callable[[FixContext], Fix]


def grouped_sites(ctx: FixContext, paths: list[str | None]) -> dict[str, tuple[CallSite, list[str]]]:
    """One call site per construction line: a line in a block class builds that layer in every
    block, and is edited once. Keyed by ``file:line``; each with the module paths it built."""
    out: dict[str, tuple[CallSite, list[str]]] = {}
    for path in paths:
        call = ctx.module_call(path)
        key = str(call.source)
        if key not in out:
            out[key] = (ctx.built(path), [])
        out[key][1].append(path or "")
    return out


__all__ = ["FixContext", "Writer", "grouped_sites"]
