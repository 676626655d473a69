"""Plain words for one op the other side lacks: what it computes and where it sits.

"an extra mul" says little; "a multiply by the constant 0.2 on the main path, before the residual
add" is the description a reader can act on (a scaled residual branch), and "a multiply by a learned
1-value parameter (alpha)" is ReZero / SkipInit, without a detector per paper. The words come from
the op's record: its kind, the Python number or the parameter it was given, and its consumer.
"""

from __future__ import annotations

from resnet_verify.specs.vocabulary import ADD, MUL
from resnet_verify.tracing.records import OpKind, Trace


def _operand(trace: Trace, op_id: int) -> str:
    op = trace.ops[op_id]
    attrs = dict(op.attrs)
    if isinstance(attrs.get("scalar"), float):
        return f"the constant {attrs['scalar']:g}"
    if (
        "constant" in attrs
    ):  # a one-value buffer whose value the build does not hold (tracing/constant_operands.py)
        return f"a constant 1-value buffer ({attrs['constant']})"
    if op.params:
        info = next((p for p in trace.params if p.name == op.params[0]), None)
        size = f"{info.numel}-value " if info is not None else ""
        if info is not None and info.is_buffer:  # registered, never trained: a constant the model holds
            return f"a constant {size}buffer ({op.params[0]})"
        return f"a learned {size}parameter ({op.params[0]})"
    return "a tensor"


def _before_merge(trace: Trace, op_id: int) -> bool:
    for b in trace.structure.blocks:
        if b.merge_op is not None and op_id in trace.ops[b.merge_op].inputs:
            return True
    return False


def extra_op_phrase(trace: Trace, op_id: int | None, fallback: str) -> str:
    """``a multiply by the constant 0.2, before the residual add``; ``fallback`` for other ops."""
    if op_id is None or not 0 <= op_id < len(trace.ops):
        return fallback
    op = trace.ops[op_id]
    function = dict(op.attrs).get("function", op.name)
    module = dict(op.attrs).get("module")
    if op.kind is OpKind.OTHER and module is not None:  # tracing/parallel_passes.py
        if dict(op.attrs).get("weights") == "its own":
            return f"a copy of {module} (the same layers, weights of its own) run beside it on another input"
        return f"a second run of {module} (the same weights, on another input than its first run's)"
    if op.kind is OpKind.ADD and all(b.merge_op != op_id for b in trace.structure.blocks):
        return "an add of two computed tensors (no residual block's)"
    if op.kind is OpKind.OTHER and function in MUL:
        text = f"a multiply by {_operand(trace, op_id)}"
    elif op.kind is OpKind.OTHER and function in ADD:
        text = f"an add of {_operand(trace, op_id)}"
    else:
        return fallback
    return text + (", before the residual add" if _before_merge(trace, op_id) else "")


def extra_ops_phrase(trace: Trace, op_ids: list[int | None], fallback: str) -> str:
    """One phrase for the same extra op in many blocks: ``a multiply by a per-block constant (1 …
    0.5)`` when each block's constant differs (stochastic depth's survival probabilities at eval),
    else the first op's own phrase."""
    ops = [trace.ops[o] for o in op_ids if o is not None and 0 <= o < len(trace.ops)]
    scalars = [dict(op.attrs).get("scalar") for op in ops]
    functions = {dict(op.attrs).get("function", op.name) for op in ops}
    if len(ops) > 1 and all(isinstance(v, float) for v in scalars) and len(set(scalars)) > 1:
        verb = "a multiply by" if functions <= MUL else "an add of" if functions <= ADD else None
        if verb is not None:
            where = ", before the residual add" if _before_merge(trace, ops[0].id) else ""
            return f"{verb} a per-block constant ({scalars[0]:g} … {scalars[-1]:g}){where}"
    return extra_op_phrase(trace, op_ids[0] if op_ids else None, fallback)


__all__ = ["extra_op_phrase", "extra_ops_phrase"]
