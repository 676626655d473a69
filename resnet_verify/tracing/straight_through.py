"""A straight-through estimator written with detach read as the custom gradient it is.

``X.detach() - Y.detach() + Y`` and ``Y + (X - Y).detach()`` compute X forward and give Y's gradient
backward: Bi-Real's and ReActNet's approximate sign (X = sign(x), Y a polynomial of x), a
quantizer's rounding (``(x.round() - x).detach() + x``), VQ-VAE's codebook lookup passed straight
through. The same estimator is as often a ``torch.autograd.Function`` whose forward is X and whose
backward is Y's derivative; read as recorded, the detach spelling is a dozen extra ops (Y's
polynomial, two detaches, a subtraction and an addition, the addition even read as a residual merge)
where the Function is one op. Both are one concept: X with a gradient of the user's choosing. So X's
op carries ``custom_backward`` (as a Function's ops do), the addition becomes a layout step reading
X, and the subtraction, the detaches and the ops computing Y for nothing else become layout steps
that no alignment pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import ADD, SUB
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

_DETACH = frozenset({"detach", "detach_", "data"})
STE = "straight-through"


def _detached(ops: Sequence[OpRecord], i: int) -> int | None:
    """What a detach op reads, else None."""
    return ops[i].inputs[0] if i >= 0 and ops[i].name in _DETACH and len(ops[i].inputs) == 1 else None


def _sub(ops: Sequence[OpRecord], i: int) -> tuple[int, int] | None:
    op = ops[i] if i >= 0 else None
    if op is None or len(op.inputs) != 2 or dict(op.attrs).get("function", op.name) not in SUB:
        return None
    return op.inputs[0], op.inputs[1]


def _match(ops: Sequence[OpRecord], add: OpRecord) -> tuple[int, int, tuple[int, ...]] | None:
    """(X, Y, the trick's own ops) when ``add`` ends a straight-through estimator."""
    if add.kind is not OpKind.ADD or len(add.inputs) != 2 or add.name not in ADD:
        return None
    for d, y in (add.inputs, add.inputs[::-1]):
        if d < 0 or y < 0:
            continue
        inner = _detached(ops, d)
        pair = _sub(ops, inner) if inner is not None else None
        if inner is not None and pair is not None and pair[1] == y:  # Y + (X - Y).detach()
            return pair[0], y, (d, inner)
        pair = _sub(ops, d)
        if pair is not None:  # X.detach() - Y.detach() + Y
            x, dy = _detached(ops, pair[0]), _detached(ops, pair[1])
            if x is not None and dy == y:
                return x, y, (d, pair[0], pair[1])
    return None


def _only_for(ops: Sequence[OpRecord], y: int, trick: set[int], keep: int) -> set[int]:
    """Y and the ops before it that nothing but Y's computation and the trick reads (X's excluded)."""
    reading = readers(ops)
    mine = set(trick)
    todo = [y]
    while todo:
        i = todo.pop()
        if i < 0 or i == keep or i in mine - trick or any(r not in mine for r in reading.get(i, [])):
            continue
        mine.add(i)
        todo.extend(ops[i].inputs)
    return mine - trick


def straight_through(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for op in ops:
        found = _match(out, out[op.id])
        if found is None:
            continue
        x, y, trick = found
        hidden = set(trick) | _only_for(out, y, {*trick, op.id}, x)
        for i in hidden:
            name = f"{out[i].name}_ste" if out[i].name in _DETACH else out[i].name
            out[i] = replace(out[i], kind=OpKind.RESHAPE, name=name)
        shape = out[x].out_shape
        out[op.id] = replace(op, kind=OpKind.RESHAPE, name="straight_through", inputs=(x,),
                             in_shapes=(shape,) if shape is not None else op.in_shapes[:1])  # fmt: skip
        if "custom_backward" not in dict(out[x].attrs):
            out[x] = replace(out[x], attrs=make_attrs({**dict(out[x].attrs), "custom_backward": STE}))
    return tuple(out)


__all__ = ["STE", "straight_through"]
