"""A 1x1 conv over a map's flattened positions read as the 1x1 conv of the map's own rank.

Neural-operator code writes the pointwise skip of a 2-D layer as ``nn.Conv1d(c, c, 1)`` on
``x.view(b, c, -1)``, reshaped back after it: the same products over the same channels at every
position as ``nn.Conv2d(c, c, 1)`` on ``x``. Read as recorded, every such layer differs from the
Conv2d in kernel size, stride, padding and dilation ((1,) against (1, 1)), four differences per block
for no difference at all. A pointwise conv (kernel, stride and dilation 1, no padding) whose input is
the flattening of a map of higher rank, with the batch and channels kept, takes that map's rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from math import prod

from resnet_verify.tracing.records import OpKind, OpRecord, Shape, make_attrs

_POINTWISE = {"kernel_size": 1, "stride": 1, "dilation": 1, "padding": 0}


def _pointwise(attrs: dict[str, object]) -> bool:
    for key, value in _POINTWISE.items():
        v = attrs.get(key)
        if not isinstance(v, tuple) or any(x != value for x in v):
            return False
    return True


def _flattened_from(ops: Sequence[OpRecord], op: OpRecord) -> Shape | None:
    """The map shape ``op``'s input was flattened from, through reshapes alone, if of higher rank."""
    seen: Shape | None = op.in_shapes[0] if op.in_shapes else None
    src = op.inputs[0] if op.inputs else -1
    source: Shape | None = None
    while 0 <= src < len(ops) and ops[src].kind is OpKind.RESHAPE and len(ops[src].in_shapes) == 1:
        source = ops[src].in_shapes[0]
        src = ops[src].inputs[0] if ops[src].inputs else -1
    # a Conv1d over positions (N, C, L) from a 2-D or 3-D map; a conv of higher rank reading a map split
    # into more axes (a nearest upsample by reshape and repeat) is not flattened positions
    if seen is None or source is None or len(seen) != 3 or len(source) not in (4, 5):
        return None
    if source[:2] != seen[:2] or prod(source[2:]) != prod(seen[2:]):
        return None
    return source


def flat_pointwise(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for op in ops:
        if op.kind is not OpKind.CONV:
            continue
        attrs = dict(op.attrs)
        if not _pointwise(attrs) or (source := _flattened_from(ops, op)) is None:
            continue
        rank = len(source) - 2
        attrs.update({key: (value,) * rank for key, value in _POINTWISE.items()})
        out[op.id] = replace(op, attrs=make_attrs(attrs))
    return tuple(out)


__all__ = ["flat_pointwise"]
