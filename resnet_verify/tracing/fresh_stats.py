"""A batch norm run on running statistics made fresh in every forward is one without running statistics.

Few-shot and MAML code (CloserLookFewShot's ``BatchNorm2d_fw``, learn2learn-style functional layers) calls
``F.batch_norm(x, torch.zeros(c), torch.ones(c), w, b, training=True, momentum=1)``: the zeros and ones
are made in forward and thrown away after it, so the layer normalises with the batch's own statistics
in training and at test time alike, and keeps none, exactly as ``nn.BatchNorm2d(c,
track_running_stats=False)`` or ``torch.func.replace_all_batch_norm_modules_`` does. Read op by op it is a
BatchNorm with running statistics, used in eval with training=True, at momentum 1, plus two constructor
ops per layer. Read as what it is: ``track_running_stats`` False, the constructors part of it. Without
running statistics a momentum says nothing, so it is not compared there. Statistics the model does not hold
(tensors no module of it registers) are marked ``statistics``: the BN reads state outside the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import RUNNING
from resnet_verify.tracing.records import CONST_ID, OpKind, OpRecord, make_attrs, readers

_FRESH = frozenset({"zeros", "ones", "zeros_like", "ones_like", "new_zeros", "new_ones", "empty", "full"})


def _fresh(ops: Sequence[OpRecord], reading: dict[int, list[int]], bn: OpRecord, i: int) -> bool:
    op = ops[i] if i >= 0 else None
    return op is not None and op.name in _FRESH and not op.params and reading.get(i) == [bn.id]


def fresh_statistics(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        if op.kind is not OpKind.BATCH_NORM:
            continue
        a = dict(op.attrs)
        stats = op.inputs[1:]
        if (
            a.get("batch_statistics_in_eval")
            and len(stats) == 2
            and all(_fresh(ops, reading, op, i) for i in stats)
        ):
            for i in stats:
                out[i] = replace(
                    ops[i], kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "fresh statistics"})
                )
            a = {k: v for k, v in a.items() if k != "batch_statistics_in_eval"} | {
                "track_running_stats": False
            }
            op = replace(op, inputs=op.inputs[:1], in_shapes=op.in_shapes[:1])
        if a.get("track_running_stats") is False and "momentum" in a:
            a.pop("momentum")
        if CONST_ID in op.inputs[1:] and not any(p.endswith(RUNNING) for p in op.params):
            # running statistics the model does not hold (a functional_call given the weights alone runs on
            # a stateless copy's buffers): loading a state dict never reaches them, training never updates its own
            a["statistics"] = "outside the model"
        out[op.id] = replace(op, attrs=make_attrs(a))
    return tuple(out)


__all__ = ["fresh_statistics"]
