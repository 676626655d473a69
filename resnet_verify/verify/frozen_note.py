"""Parameters one side freezes (``requires_grad=False``) and the other trains, said as a note.

Freezing is a training choice (a backbone frozen for fine-tuning, a fixed filter, a linear probe): the
corpus's fine-tuning idioms compare clean with it, so it is no mismatch. But a freeze nobody chose looks
the same (``fuse_conv_bn_eval``'s folded biases, made from tensors that need no gradient; BN affines frozen
in a builder), and the network a training run makes is then another: the forward alone says "no
difference". So where the two sides train different sets of parameter tensors, the comparison says which,
whatever else it finds.
"""

from __future__ import annotations

from resnet_verify.tracing.records import ParamInfo, Trace

_SHOWN = 4


def _frozen(trace: Trace) -> list[ParamInfo]:
    return [p for p in trace.params if not p.is_buffer and not p.trainable]


def frozen_note(ref: Trace, cand: Trace) -> str | None:
    """``None`` where both sides freeze as many parameter tensors and values, else one sentence."""
    theirs, ours = _frozen(ref), _frozen(cand)
    if (len(theirs), sum(p.numel for p in theirs)) == (len(ours), sum(p.numel for p in ours)):
        return None
    side, other, held = (
        ("candidate", "reference", ours) if len(ours) > len(theirs) else ("reference", "candidate", theirs)
    )
    fewer = theirs if held is ours else ours
    extra = [p for p in held if p.name not in {q.name for q in fewer}] or held
    names = ", ".join(p.name for p in extra[:_SHOWN]) + (
        f" and {len(extra) - _SHOWN} more" if len(extra) > _SHOWN else ""
    )
    return (
        f"the {side} freezes {len(held)} parameter tensor{'s' if len(held) != 1 else ''} "
        f"({sum(p.numel for p in held):,} values, requires_grad=False) where the {other} freezes {len(fewer)}: "
        f"{names}; the forward is compared alone, and a frozen tensor keeps its first values in training"
    )


__all__ = ["frozen_note"]
