"""A backbone cut for its features: the last stages and the classifier gone, a feature map returned.

Trackers and detectors take a ResNet up to ``layer3`` (STARK's, pysot's) through torchvision's
``IntermediateLayerGetter`` or by slicing ``children()``: against the classifier it came from, the
later stages are missing and the head too, and the output is a map where the reference's is a vector.
That is one choice, not fewer blocks per stage (a network with fewer blocks still classifies): said
as the cut, at the last stage kept.
"""

from __future__ import annotations

from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Finding, MismatchKind, Pattern, Region


def _kept_stages(ctx: Context) -> list[int]:
    return sorted({p.stage for p in ctx.pairs if p.candidate is not None and p.reference is not None})


def detect_feature_cut(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    stages = ref.structure.stages
    kept = _kept_stages(ctx)
    out_c, out_r = cand.output_shape or (), ref.output_shape or ()
    if not kept or kept[-1] >= len(stages) - 1 or kept != list(range(kept[-1] + 1)):
        return []  # nothing cut, or a stage missing in the middle: not a cut
    if len(out_c) < 3 or len(out_r) != 2 or cand.structure.head:
        return []  # still a classifier (a head on the last stage kept), or the reference is no classifier
    last = stages[kept[-1]].path or f"stage {kept[-1] + 1}"
    gone = [s.path or f"stage {s.index + 1}" for s in stages[kept[-1] + 1 :]]
    idx = ctx.indices(
        lambda m: (
            (
                m.field == "block"
                and m.kind is MismatchKind.MISSING
                and m.block is not None
                and m.block.stage > kept[-1]
            )
            or (m.region is Region.HEAD and m.field == "op" and m.actual is None)
            or (m.region is Region.MODEL and m.field == "output_shape")
        )
    )
    if not idx:
        return []
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title=f"A backbone cut after {last}",
            message=(
                f"The candidate stops after {last}: {', '.join(gone)} and the head (pool, classifier) are not "
                f"there, and it returns {last}'s feature map ({'x'.join(map(str, out_c[1:]))}) where the reference "
                f"returns {out_r[-1]} class scores: a feature extractor taken from the classifier."
            ),
            locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
            mismatches=idx,
            suggestion=f"compare it with a reference cut the same way, or keep {', '.join(gone)} and the head",
            source=next((ctx.mismatches[i].source for i in idx if ctx.mismatches[i].source), None),
        )
    ]


__all__ = ["detect_feature_cut"]
