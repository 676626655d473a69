"""Only the backward differs: the model-level mismatch ``verify/hidden_backward.py`` finds where every op,
shape, setting and forward value agrees and, with the same weights, some learned tensors get other
gradients. No named variant says what rewrote them (a custom autograd Function's backward or the
argument only its backward reads, a tensor hook, a detach moved, a gradient scale, a reentrant
checkpoint); the finding says that it is the backward, which tensors it reaches, and where to look.
"""

from __future__ import annotations

from resnet_verify.verify.hidden_backward import GRADIENTS
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def detect_backward_only(ctx: Context) -> list[Finding]:
    idx = ctx.indices(lambda m: m.kind is MismatchKind.NUMERIC and m.field == GRADIENTS)
    if not idx:
        return []
    m = ctx.mismatches[idx[0]]
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title="Only the backward differs",
            message=f"The forward is the reference's (every op, shape and setting, and with the same weights the "
            f"outputs), but training sees {m.actual}: the code that differs runs in the backward only.",
            locations=("",),
            mismatches=idx,
            suggestion="look at what shapes the gradient just before the tensors listed: a custom autograd "
            "Function's backward or the arguments it reads (a gradient reversal's coefficient), a register_hook, "
            "a detach or stop-gradient, a gradient-scaling trick, torch.utils.checkpoint's use_reentrant",
        )
    ]
