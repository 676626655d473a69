"""A hard-coded class count in a classifier the traced forward never runs: an auxiliary head computed in
training only (GoogLeNet-style ``if self.training: return x, self.aux_fc(...)`` grafted on a ResNet), built
``Linear(C, 1000)`` where the reference's same-named head is ``Linear(C, num_classes)``. Its parameters
are read on neither side in the traced (eval) forward, so the only evidence is their shapes, paired by
name (``diff_support.resized_unused``): a weight whose rows are the reference's class count there and
another number here is the class count written into the model."""

from __future__ import annotations

from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.widths import class_count_finding
from resnet_verify.verify.records import Finding

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
        same = tuple(
            j
            for j, x in enumerate(ctx.mismatches)
            if x.candidate_path == m.candidate_path and x.field in (_FIELD, "unused bias shape")
        )
        which = (
            f"The classifier {m.candidate_path or 'the layer'}, which the traced forward never runs (a head used in "
            "training only, such as an auxiliary classifier),"
        )
        out.append(class_count_finding(m, classes, ours[0], ours[1], which, same or (i,)))
    return out


__all__ = ["detect_unused_class_count"]
