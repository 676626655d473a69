"""``bias=False`` on every conv the finding names (a BatchNorm after it cancels the bias)."""

from __future__ import annotations

from resnet_verify.verify.fixes.context import FixContext, grouped_sites
from resnet_verify.verify.fixes.records import Applicability, CannotFix, Fix
from resnet_verify.verify.fixes.source import literal
from resnet_verify.verify.records import MismatchKind, Pattern


def write(ctx: FixContext) -> Fix:
    paths = [m.candidate_path for m in ctx.mismatches(MismatchKind.ATTRIBUTE, ("bias",))]
    if not paths:
        raise CannotFix("the finding names no conv bias")
    edits = []
    for site, _ in grouped_sites(ctx, paths).values():
        arg = site.argument("bias")
        if arg is None:  # torch's default, bias=True
            edits.append(site.add("bias", "False"))
        elif literal(arg.value) is True:
            edits.append(site.replace(arg.value, "False"))
        else:
            raise CannotFix(
                f"bias at {site} is `{site.code(arg.value)}`: it is chosen where that value is set"
            )
    lines = ", ".join(f"{e.file}:{e.line}" for e in sorted(edits, key=lambda e: (e.file, e.line)))
    return Fix(Pattern.BIAS_BEFORE_BN, f"bias=False at {lines}", tuple(edits), Applicability.SAFE)


__all__ = ["write"]
