"""Only training mode differs: the model-level mismatch ``verify/hidden_training.py`` finds where every
op, shape, setting and eval-mode value agrees and one training forward from the same state does not (its
outputs, or the buffers it leaves). No named variant says what differs there; the finding says that it
is training mode, what it changes, and where to look.
"""

from __future__ import annotations

from resnet_verify.verify.hidden_training import FIELD
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def detect_training_mode(ctx: Context) -> list[Finding]:
    idx = ctx.indices(lambda m: m.kind is MismatchKind.NUMERIC and m.field == FIELD)
    if not idx:
        return []
    m = ctx.mismatches[idx[0]]
    where = m.candidate_path or "the root"
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title="Only training mode differs",
            message=f"The eval-mode network is the reference's (every op, shape and setting, and with the same "
            f"weights the outputs), but one training forward from the same state changes {m.actual}: the code "
            f"that differs runs while training (look first at {where}).",
            locations=(m.candidate_path or "",),
            mismatches=idx,
            suggestion=f"compare what {where} does when self.training is set (a branch, a return order, a "
            "running statistic's update) with the reference's",
        )
    ]


__all__ = ["detect_training_mode"]
