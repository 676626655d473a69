"""Norm layers a model's own ``train()`` keeps in eval mode (BitFit, a frozen-BN fine-tune:
``super().train(mode)`` then ``m.eval()`` on every BatchNorm).

The trace runs in eval mode, where such a BatchNorm computes exactly what one that trains computes, so
the model compares clean while the network training sees normalises with running statistics it never
updates: the false "no difference". Where a class of the model overrides ``train`` with nn.Module's
signature (``train(self, mode=True)``; anything else may be a training loop and is never called), the
override runs once on the traced copy and the BatchNorms it leaves in eval mode are recorded as what
only training sees (``RegularizerKind.EVAL_IN_TRAINING``), compared like dropout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from resnet_verify.specs.usercode import callable_train, set_training, train_as_built
from resnet_verify.tracing.records import OpRecord, Part, Regularizer, RegularizerKind
from resnet_verify.tracing.regularizers import Places


def kept_in_eval(model: nn.Module, ops: Sequence[OpRecord], places: Places) -> tuple[Regularizer, ...]:
    """The BatchNorms the model's own ``train()`` leaves in eval mode, in forward order."""
    if not any(callable_train(m) for m in model.modules()):
        return ()
    try:
        train_as_built(model)
        frozen = [
            (path, m) for path, m in model.named_modules() if isinstance(m, _BatchNorm) and not m.training
        ]
    except Exception:  # the user's override failing is no finding of ours
        return ()
    finally:
        set_training(model, False)
    out = []
    for path, module in frozen:
        op = next((o for o in ops if o.module_path == path), None)
        if op is None:
            continue  # built, never run
        part, block = places.of_op(op.id) or (Part.MODEL, None)
        out.append(Regularizer(
            RegularizerKind.EVAL_IN_TRAINING, math.nan, path, type(module).__name__, False, part, block, op.id,
            op.id, op.source,
        ))  # fmt: skip
    return tuple(out)
