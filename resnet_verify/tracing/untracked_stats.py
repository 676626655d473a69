"""A BatchNorm told ``track_running_stats = False`` after it made its running statistics (a freeze
helper that flips the flag on every BN of a feature model, keeping the buffers).

The trace runs in eval mode, where such a BN normalises with its stored statistics exactly as one that
tracks them: compared op by op it was "no difference". Yet training never updates them (in train mode
torch hands ``F.batch_norm`` no running tensors), so the network evaluated after training normalises
with the values the buffers held when the flag was set. The op says what the module says:
``track_running_stats`` False, while it still reads the running tensors (norm_switches.py tells the
two meanings apart by that)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from torch import nn
from torch.nn.modules.batchnorm import _NormBase

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs


def untracked_stats(model: nn.Module, ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    stale = {
        path
        for path, m in model.named_modules()
        if isinstance(m, _NormBase) and not m.track_running_stats and m.running_mean is not None
    }
    if not stale:
        return tuple(ops)
    out = []
    for op in ops:
        attrs = dict(op.attrs)
        if (
            op.kind is OpKind.BATCH_NORM
            and op.module_path in stale
            and attrs.get("track_running_stats") is True
        ):
            op = replace(op, attrs=make_attrs({**attrs, "track_running_stats": False}))
        out.append(op)
    return tuple(out)


__all__ = ["untracked_stats"]
