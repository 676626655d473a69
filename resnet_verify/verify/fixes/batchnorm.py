"""BatchNorm eps / momentum set to the reference's (Keras' defaults written into a PyTorch model).

A value equal to torch's own default is removed rather than restated: ``BatchNorm2d(c)`` is how
the reference writes it."""

from __future__ import annotations

from resnet_verify.verify.fixes.calls import CallSite, default
from resnet_verify.verify.fixes.context import FixContext, grouped_sites
from resnet_verify.verify.fixes.records import Applicability, CannotFix, Edit, Fix
from resnet_verify.verify.fixes.source import literal
from resnet_verify.verify.records import Mismatch, MismatchKind, Pattern

_FIELDS = ("eps", "momentum")


def _edits(site: CallSite, wanted: dict[str, object]) -> list[Edit]:
    out = []
    for field, value in sorted(wanted.items()):
        arg = site.argument(field)
        if arg is None:
            raise CannotFix(f"{site} does not write {field}: the value comes from elsewhere")
        if not isinstance(literal(arg.value), (int, float)):
            raise CannotFix(f"{field} at {site} is `{site.code(arg.value)}`: it is chosen where that is set")
        if value == default(site.type_name, field):
            try:
                out.append(site.remove(field))
                continue
            except CannotFix:  # positional, with more after it: restated instead
                pass
        out.append(site.set(field, repr(value)))
    return out


def _wanted(found: list[Mismatch], paths: list[str]) -> dict[str, object]:
    """The values one line's BatchNorms should get; CannotFix when they should differ."""
    values: dict[str, object] = {}
    for m in found:
        if m.candidate_path in paths and m.field is not None:
            if values.get(m.field, m.expected) != m.expected:
                raise CannotFix(f"one line builds BatchNorms that should get different {m.field} values")
            values[m.field] = m.expected
    return values


def write(ctx: FixContext) -> Fix:
    found = ctx.mismatches(MismatchKind.ATTRIBUTE, _FIELDS)
    if not found:
        raise CannotFix("the finding names no BatchNorm setting")
    edits: list[Edit] = []
    settings: dict[str, object] = {}
    for site, paths in grouped_sites(ctx, [m.candidate_path for m in found]).values():
        wanted = _wanted(found, paths)
        settings.update(wanted)
        edits += _edits(site, wanted)
    call = ", ".join(f"{k}={v!r}" for k, v in sorted(settings.items()))
    lines = ", ".join(dict.fromkeys(f"{e.file}:{e.line}" for e in edits))
    return Fix(Pattern.KERAS_BATCHNORM, f"BatchNorm {call} at {lines}", tuple(edits), Applicability.SAFE)


__all__ = ["write"]
