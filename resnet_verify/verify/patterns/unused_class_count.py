"""A hard-coded class count in a classifier the traced forward never runs: an auxiliary head computed in
training only (GoogLeNet-style ``if self.training: return x, self.aux_fc(...)`` grafted on a ResNet), built
``Linear(C, 1000)`` where the reference's same-named head is ``Linear(C, num_classes)``. Its parameters
are read on neither side in the traced (eval) forward, so the only evidence is their shapes, paired by
name (``diff_support.resized_unused``): a weight whose rows are the reference's class count there and
another number here is the class count written into the model."""

from __future__ import annotations

from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, Pattern

_FIELD = "unused weight shape"


def detect_unused_class_count(ctx: Context) -> list[Finding]:
    ref_out = ctx.reference.output_shape or ()
    classes = ref_out[1] if len(ref_out) == 2 else None
    out: list[Finding] = []
    for i, m in enumerate(ctx.mismatches):
        theirs, ours = m.expected, m.actual
        if m.field != _FIELD or not (isinstance(theirs, tuple) and isinstance(ours, tuple)):
            continue
        if len(theirs) != 2 or len(ours) != 2 or theirs[1] != ours[1] or theirs[0] != classes:
            continue  # not a Linear to the reference's classes, or another input width
        module = m.candidate_path or "the layer"
        same = tuple(
            j
            for j, x in enumerate(ctx.mismatches)
            if x.candidate_path == m.candidate_path and x.field in (_FIELD, "unused bias shape")
        )
        out.append(
            Finding(
                pattern=Pattern.CLASS_COUNT,
                title="Hard-coded class count",
                message=f"The classifier {module}, which the traced forward never runs (a head used in training "
                f"only, such as an auxiliary classifier), has {ours[0]} outputs where the reference's has {classes} "
                f"(the class count asked for): the class count is written into the model instead of following "
                f"num_classes.",
                locations=(m.reference_path or module,),
                mismatches=same or (i,),
                suggestion=f"{at(m.candidate_path, m.source)}: Linear({ours[1]}, num_classes) with num_classes passed "
                f"through from build() ({classes} here, not {ours[0]})",
                source=m.source,
            )
        )
    return out


__all__ = ["detect_unused_class_count"]
