"""A BatchNorm written as a formula is the BatchNorm it computes.

"BatchNorm from scratch" (tutorials, course assignments, numerics checks) normalises with the batch's
statistics behind ``if self.training:``, moves its running statistics there, and in eval computes
``(x - running_mean) / sqrt(running_var + eps) * weight + bias``. The eval trace reads those four ops;
read from the dataflow, not a class name, they are one ``batch_norm`` op reading the four stored tensors
(eps from the ``+ eps`` under the root), as :mod:`frozen_bn` reads the scale-and-shift spelling. Its
training side (the batch statistics, the running statistics written) is then that BatchNorm's own
training mode, not a branch of its own: :func:`own_training` drops those records, and the numbers
(``verify/hidden_training.py``) still compare what the formula's training computes (a variance divided
by n - 1, another momentum), since the formula's module reads its ``training`` flag.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import ADD, DIV, MUL, SUB
from resnet_verify.tracing.records import OpKind, OpRecord, Regularizer, RegularizerKind, make_attrs, readers

FORMULA = "batch norm formula"
WRITES = "writes_running_stats"  # False where a training forward leaves the running statistics alone
_ROOT = re.compile(r"^(?:add\(([-+0-9.e]+)\)→)?sqrt$")
# what a BatchNorm's training mode computes: batch statistics and the running statistics' arithmetic
_TRAINING = frozenset({"mean", "var", "var_mean", "std", "sum", "sub", "mul", "add", "div", "sqrt", "rsqrt", "pow",
                       "square", "numel", "mul_", "add_", "sub_", "copy_", "detach", "clone"})  # fmt: skip


def _fn(op: OpRecord) -> str:
    return str(dict(op.attrs).get("function", op.name))


def _per_channel(op: OpRecord, names: frozenset[str]) -> bool:
    return (
        op.kind is OpKind.OTHER
        and _fn(op) in names
        and len(op.inputs) == 1
        and len(op.params) == 1
        and len(op.in_shapes[0] if op.in_shapes else ()) >= 2
    )


def _next(
    ops: Sequence[OpRecord], reading: dict[int, list[int]], op: OpRecord, names: frozenset[str]
) -> OpRecord | None:
    uses = reading.get(op.id, [])
    if len(uses) != 1:
        return None
    after = ops[uses[0]]
    same = after.module_path == op.module_path and after.inputs == (op.id,)
    return after if same and _per_channel(after, names) else None


def join_written_bn(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for sub in ops:
        if not _per_channel(sub, SUB) or out[sub.id] is not sub:
            continue
        div = _next(ops, reading, sub, DIV)
        root = _ROOT.match(str(dict(div.attrs).get("param_ops", ""))) if div is not None else None
        if div is None or root is None:
            continue
        chain = [sub, div]
        for names in (MUL, ADD):
            if (step := _next(ops, reading, chain[-1], names)) is not None:
                chain.append(step)
        affine = len(chain) == 4
        attrs = {"num_features": sub.in_shapes[0][1], "eps": float(root.group(1) or 0.0), "affine": affine,
                 "track_running_stats": True}  # fmt: skip
        params = tuple(dict.fromkeys(p for op in chain for p in op.params))
        out[sub.id] = replace(
            sub, name="batch_norm", kind=OpKind.BATCH_NORM, params=params, attrs=make_attrs(attrs)
        )
        for op in chain[1:]:
            out[op.id] = replace(op, kind=OpKind.RESHAPE, params=(), attrs=make_attrs({"part_of": FORMULA}))
    return tuple(out)


def formula_paths(ops: Sequence[OpRecord]) -> dict[str, OpRecord]:
    """Module path -> the ``batch_norm`` op a formula there was read as."""
    absorbed = {i for op in ops if dict(op.attrs).get("part_of") == FORMULA for i in op.inputs}
    return {op.module_path: op for op in ops if op.id in absorbed and op.kind is OpKind.BATCH_NORM}


def own_training(
    regularizers: Sequence[Regularizer], ops: Sequence[OpRecord], values: bool, written: set[str] | None
) -> tuple[tuple[OpRecord, ...], tuple[Regularizer, ...]]:
    """A formula BatchNorm's training mode as its own: it tracks running statistics only where its training
    writes them (``written``: the module paths one training forward wrote state at; None where the forward
    crashed and nothing is known). d2l's mode switched by ``torch.is_grad_enabled()`` never writes them in
    a training forward under no_grad: ``writes_running_stats`` False there, a difference at the norm.
    Where the model holds values (so the numbers compare what its training computes), the training-only
    stretch of statistics and arithmetic alone at its path is dropped. (Its statistic writes made no
    record: ``state_updates`` skips state a norm op reads first.)"""
    formulas = formula_paths(ops)
    out = list(ops)
    for path, op in formulas.items():
        if written is not None and path not in written:
            out[op.id] = replace(op, attrs=make_attrs({**dict(op.attrs), WRITES: False}))
    if not values:
        return tuple(out), tuple(regularizers)
    kept = [
        r
        for r in regularizers
        if not (r.path in formulas and r.kind is RegularizerKind.TRAINING_ONLY and set(r.calls) <= _TRAINING)
    ]
    return tuple(out), tuple(kept)


__all__ = ["join_written_bn", "own_training"]
