"""Pools written against the map they receive: ``F.avg_pool2d(x, x.size()[2:])`` is a global pool.

At one input size a pool whose kernel covers its whole input cannot be told from a literal kernel
(``AvgPool2d(7)`` at 224 px). Tracing the model once more at a second size (on meta tensors, cheap)
tells them apart: a kernel that follows the input is a global pool and is recorded as one, so it
compares equal to ``AdaptiveAvgPool2d(1)``; a literal kernel stays what it is (a fixed-size head).
"""

from __future__ import annotations

from dataclasses import replace

from torch import nn

from resnet_verify.tracing.records import OpKind, OpRecord, Trace, make_attrs

_POOLS = {OpKind.AVG_POOL: "avg", OpKind.MAX_POOL: "max"}


def _whole_map(op: OpRecord) -> bool:
    a = dict(op.attrs)
    if op.kind not in _POOLS or not op.in_shapes or len(op.in_shapes[0]) != 4:
        return False
    pad = a.get("padding", (0, 0))
    no_pad = isinstance(pad, tuple) and not any(pad)
    return (
        no_pad and tuple(a.get("kernel_size") or ()) == tuple(op.in_shapes[0][2:]) and op.in_shapes[0][2] > 1
    )


def _occurrence(ops: tuple[OpRecord, ...], i: int) -> tuple[str, str, int]:
    op = ops[i]
    return (
        op.module_path,
        op.name,
        sum(o.module_path == op.module_path and o.name == op.name for o in ops[:i]),
    )


def _by_occurrence(ops: tuple[OpRecord, ...]) -> dict[tuple[str, str, int], int]:
    seen: dict[tuple[str, str], int] = {}
    out = {}
    for op in ops:
        k = seen.get((op.module_path, op.name), 0)
        seen[op.module_path, op.name] = k + 1
        out[op.module_path, op.name, k] = op.id
    return out


def second_shape(trace: Trace) -> tuple[int, ...]:
    n, c, h, w = trace.input_shape
    return (n, c, h + 32, w + 32)


def follow_input_size(model: nn.Module, first: Trace) -> Trace:
    """``first`` with each whole-map pool whose kernel follows the input size recorded as a global
    pool; unchanged when it has none (then nothing is traced again)."""
    from resnet_verify.tracing.tracer import trace

    ids = [op.id for op in first.ops if _whole_map(op)]
    if not ids or len(first.input_shape) != 4:
        return first
    other = trace(model, second_shape(first))
    # the same pool at the second size: the k-th call of its name in its module (by position, an op a
    # size-dependent branch adds or drops before it, a max pool kept for larger inputs, would shift it)
    counterpart = _by_occurrence(other.ops)
    follows = set()
    for i in ids:
        j = counterpart.get(_occurrence(first.ops, i))
        if (
            j is not None
            and _whole_map(other.ops[j])
            and other.ops[j].in_shapes[0][2:] != first.ops[i].in_shapes[0][2:]
        ):
            follows.add(i)
    if not follows:
        return first
    ops = tuple(
        replace(op, kind=OpKind.GLOBAL_POOL, attrs=make_attrs({"mode": _POOLS[op.kind]}))
        if op.id in follows
        else op
        for op in first.ops
    )
    return replace(first, ops=ops)
