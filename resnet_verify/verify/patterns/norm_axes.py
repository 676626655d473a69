"""A normalization whose statistics run over other axes than the other side's (a LayerNorm's
channels-last formula on a channels-first map: each row over its W pixels instead of each pixel over
its C channels). Same ops, shapes and parameters; one cause however many norms share it, so one
finding, described (no variant has a name for it)."""

from __future__ import annotations

from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, Mismatch, Pattern

_WHY = (
    " (the channels-last formula run on a channels-first map: each row normalized over its pixels, not each "
    "pixel over its channels)"
)


def _last_axis_for_channels(expected: str, actual: str) -> bool:
    """``dims (1,) of 4`` expected, the last axis taken instead (``dims (3,) of 4``)."""
    rank = expected.rsplit(" of ", 1)[-1]
    return expected.startswith("dims (1,)") and actual == f"dims ({int(rank) - 1},) of {rank}"


def _what(first: Mismatch, shown: str, n: int) -> str:
    if first.field == "over_axis":  # a BatchNorm given a channels-last tensor (tracing/layout.py)
        side, axis = (
            ("candidate", first.actual) if first.actual is not None else ("reference", first.expected)
        )
        return (
            f"{n} BatchNorms ({shown}) of the {side} normalize each position along canonical axis {axis} (their "
            "input is channels-last there: the axis they take as channels is not), where the other side's "
            "normalize each channel: another normalization."
        )
    return (
        f"{n} norms ({shown}) take their statistics over {first.actual} where the reference's "
        f"take them over {first.expected}: the same ops, shapes and parameters, another normalization"
        + (_WHY if _last_axis_for_channels(str(first.expected), str(first.actual)) else "")
        + "."
    )


def detect_norm_axes(ctx: Context) -> list[Finding]:
    idx = tuple(i for i in ctx.indices(lambda m: m.field in ("over", "over_axis")) if i not in ctx.claimed)
    if not idx:
        return []
    first = ctx.mismatches[idx[0]]
    places = list(dict.fromkeys(ctx.mismatches[i].candidate_path or "" for i in idx))
    shown = ", ".join(places[:4]) + (f" and {len(places) - 4} more" if len(places) > 4 else "")
    # the parameter counts of those norms follow from the axis they normalize
    ops = {ctx.mismatches[i].candidate_op for i in idx}
    idx = tuple(
        sorted({*idx, *ctx.indices(lambda m: m.field == "params" and m.candidate_op in ops)} - ctx.claimed)
    )
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title=f"Normalization over other axes ({len(ops)} norms)",
            message=_what(first, shown, len(ops)),
            locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
            mismatches=idx,
            suggestion=f"{at(first.candidate_path, first.source)}: reduce over the axes the reference does "
            f"({first.expected}), e.g. x.mean(1, keepdim=True) on an N x C x H x W map",
            source=first.source,
        )
    ]


__all__ = ["detect_norm_axes"]
