"""One spelling for a batched product of two tensors: ``einsum("bic,bjc->bij", q, k)`` is
``q @ k.transpose(-2, -1)``, and ``einsum("bij,bjc->bic", a, v)`` is ``a @ v``; attention written with
einsum (OpenAI's attention pools, many ports) and with ``@`` / ``bmm`` compute the same product and
differ only in where the transposes are written (layout ops either way). An einsum of two tensors
whose equation is a matmul over shared leading batch axes — each operand's last two axes its free axis
and the one contracted axis, in either order, the output the batch axes, then A's free axis, then B's
— reads as the function ``matmul``. Any other equation (a sum over two axes, an outer product, a
broadcast, a repeated index) stays the einsum it is, compared by its equation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs

_AXIS = re.compile(r"\.\.\.|[A-Za-z]")


def _axes(term: str) -> list[str]:
    return _AXIS.findall(term.replace(" ", ""))


def is_matmul(equation: str) -> bool:
    """Whether ``equation`` (two operands) is a batched matmul, its operands maybe transposed."""
    if "->" not in equation or equation.count(",") != 1:
        return False
    left, out_term = equation.split("->")
    a, b = (_axes(t) for t in left.split(","))
    out = _axes(out_term)
    if min(len(a), len(b)) < 2 or len(out) < 2 or "".join(a + b + out).count("...") > 3:
        return False
    batch = out[:-2]
    if a[:-2] != batch or b[:-2] != batch or len(set(a)) != len(a) or len(set(b)) != len(b):
        return False
    shared = set(a[-2:]) & set(b[-2:])
    if len(shared) != 1 or "..." in a[-2:] + b[-2:] + out[-2:]:
        return False
    (free_a,) = set(a[-2:]) - shared
    (free_b,) = set(b[-2:]) - shared
    return out[-2:] == [free_a, free_b] and free_a != free_b


def einsums_as_matmuls(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for op in ops:
        a = dict(op.attrs)
        equation = a.get("equation")
        if op.kind is not OpKind.OTHER or a.get("function") != "einsum" or len(op.inputs) != 2 or op.params:
            continue
        if isinstance(equation, str) and is_matmul(equation):
            rest = {k: v for k, v in a.items() if k != "equation"}
            out[op.id] = replace(op, attrs=make_attrs({**rest, "function": "matmul"}))
    return tuple(out)


__all__ = ["einsums_as_matmuls", "is_matmul"]
