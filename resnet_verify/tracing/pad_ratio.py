"""An average pool that leaves its padding out of the count, written as a ratio: ``F.avg_pool2d(x, k, s, p) /
F.avg_pool2d(torch.ones_like(x[:, :1]), k, s, p)`` (the zero-padded window sum over the cells each window
covers, as PoolFormer ports and hand-written "same" average pools write it) is ``avg_pool2d(x, k, s, p,
count_include_pad=False)``. The numerator reads as that pool, the denominator's ops (the ones, the slice
that shapes them, their pool) and the division as layout ops, so the two spellings compare as one
(heldout111's poolmix_count_by_ratio). Op ids and dataflow are untouched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs

_ONES = frozenset({"ones_like", "new_ones", "ones"})
_WINDOW = ("kernel_size", "stride", "padding", "ceil_mode")


def _ones_chain(ops: Sequence[OpRecord], i: int) -> list[int] | None:
    """The ops making a tensor of ones: the maker, and the slice or view it was shaped from."""
    if i < 0 or str(dict(ops[i].attrs).get("function", ops[i].name)) not in _ONES:
        return None
    chain = [i]
    for j in ops[i].inputs:
        if j >= 0 and ops[j].kind in (OpKind.SLICE, OpKind.RESHAPE):
            chain.append(j)
    return chain


def pad_ratio_pools(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    for div in ops:
        if str(dict(div.attrs).get("function", div.name)) not in ("div", "truediv", "__truediv__"):
            continue
        if len(div.inputs) != 2 or min(div.inputs) < 0:
            continue
        num, den = (ops[i] for i in div.inputs)
        if num.kind is not OpKind.AVG_POOL or den.kind is not OpKind.AVG_POOL or not den.inputs:
            continue
        a, b = dict(num.attrs), dict(den.attrs)
        ones = _ones_chain(ops, den.inputs[0])
        if ones is None or any(a.get(k) != b.get(k) for k in _WINDOW) or a.get("count_include_pad") is False:
            continue
        out[num.id] = replace(num, attrs=make_attrs({**a, "count_include_pad": False}))
        for k in (*ones, den.id, div.id):
            out[k] = replace(ops[k], kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "avg pool"}))
    return tuple(out)


__all__ = ["pad_ratio_pools"]
