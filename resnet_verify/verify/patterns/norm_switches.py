"""A BatchNorm switch set differently on most BatchNorms (``track_running_stats``, ``affine``): another
kind of normalization, one cause, instead of one finding per region or line."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern

# BatchNorm switches that change what kind of normalization it is, with what the "off" side means
_SWITCHES = {
    "track_running_stats": "no running statistics: it normalizes with the batch's own statistics in "
    "eval too, so a prediction depends on the rest of its batch",
    "affine": "no learned scale and shift (affine=False)",
}
# track_running_stats set False on a BatchNorm that already made its running statistics (untracked_stats.py)
_KEPT = (
    "running statistics kept but never updated: training normalizes with each batch's own statistics and "
    "leaves the stored ones as they were, so the trained network is evaluated with the statistics it had when "
    "the flag was set"
)


def _meaning(ctx: Context, field: str, first: Mismatch) -> str:
    off = (
        ctx.candidate.ops[first.candidate_op]
        if first.actual is False and first.candidate_op is not None
        else None
    )
    if off is None and first.expected is False and first.reference_op is not None:
        off = ctx.reference.ops[first.reference_op]
    if field == "track_running_stats" and off is not None and any("running_mean" in p for p in off.params):
        return _KEPT
    return _SWITCHES[field]


def detect_bn_switches(ctx: Context) -> list[Finding]:
    """A BatchNorm switch (``track_running_stats``, ``affine``) set differently on most BatchNorms:
    another normalization, one cause, instead of one finding per region or line."""
    total = sum(1 for op in ctx.reference.ops if op.kind is OpKind.BATCH_NORM)
    out = []
    for field in _SWITCHES:
        idx = ctx.indices(lambda m, f=field: m.op_kind is OpKind.BATCH_NORM and m.field == f)  # type: ignore[misc]
        idx = tuple(i for i in idx if i not in ctx.claimed)
        if not total or 2 * len(idx) < total:
            continue
        first = ctx.mismatches[idx[0]]
        meaning = _meaning(ctx, field, first)
        ops = {ctx.mismatches[i].candidate_op for i in idx}
        more = ctx.indices(lambda m, o=ops: m.candidate_op in o and m.kind is MismatchKind.PARAMS)  # type: ignore[misc]
        out.append(
            Finding(
                pattern=Pattern.NORMALIZATION,
                title=f"BatchNorm with {field}={first.actual}",
                message=(
                    f"{len(idx)} of the reference's {total} BatchNorm layers have {field}={first.actual} in the "
                    f"candidate ({first.candidate_path} ...), {field}={first.expected} in the reference. With it "
                    f"off: {meaning}."
                ),
                locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
                mismatches=tuple(sorted({*idx, *more})),
                suggestion=f"{at(first.candidate_path, first.source)}: BatchNorm2d(num_features, {field}={first.expected}) "
                "as in the reference",
                source=first.source,
            )
        )
    return out


__all__ = ["detect_bn_switches"]
