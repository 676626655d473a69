"""A space-to-depth by s followed by a 1x1 conv is an s x s conv of stride s: each output position is one
linear map of one s x s patch, whatever order the patch's values take in the channels (a patchify stem
written as ``view → permute → view`` or ``pixel_unshuffle`` then a 1x1 conv, against ``Conv2d(c, d, s,
stride=s)``: heldout144 hs_s2d_stem, outputs 6e-15 apart). The layout chain is replayed on the input's
element indices, so only a true space-to-depth qualifies (an unshuffle that mixes patches, or any other
rearrangement, stays what it is). The conv reads as the patch conv on the chain's input, which it then
reads directly (the order of a patch's values is its weights' to say, not an arrangement); an unshuffle in
the chain becomes the layout it then is. Op ids are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import torch

from resnet_verify.tracing.records import LAYOUT_KINDS, OpKind, OpRecord, make_attrs, readers

_UNSHUFFLE = "pixel_unshuffle"


def _pointwise(op: OpRecord) -> bool:
    a = dict(op.attrs)
    return (
        op.kind is OpKind.CONV
        and a.get("kernel_size") == (1, 1)
        and a.get("stride", (1, 1)) == (1, 1)
        and set(a.get("padding", (0,)) or (0,)) == {0}
        and a.get("groups", 1) == 1
        and bool(op.in_shapes)
        and len(op.in_shapes[0]) == 4
    )


def _step(op: OpRecord) -> bool:
    unshuffle = op.kind is OpKind.OTHER and dict(op.attrs).get("function") == _UNSHUFFLE
    return (op.kind in LAYOUT_KINDS or unshuffle) and len(op.inputs) == 1 and bool(op.in_shapes)


def _chain(ops: Sequence[OpRecord], conv: OpRecord, reading: dict[int, list[int]]) -> list[OpRecord]:
    """The layout ops from the conv back to the first op that is not one, each read by the next alone."""
    chain: list[OpRecord] = []
    at = conv.inputs[0] if conv.inputs else -1
    while at >= 0 and _step(ops[at]) and len(reading.get(at, [])) == 1:
        chain.append(ops[at])
        at = ops[at].inputs[0]
    return chain[::-1]


def _replayed(chain: list[OpRecord]) -> torch.Tensor | None:
    """The chain applied to the index of each element of its input, or None where a step is not one
    it can replay."""
    shape = chain[0].in_shapes[0]
    t = torch.arange(int(torch.tensor(shape).prod())).reshape(shape)
    try:
        for op in chain:
            a = dict(op.attrs)
            if a.get("function") == _UNSHUFFLE:
                t = torch.nn.functional.pixel_unshuffle(t, int(a["downscale_factor"]))
            elif a.get("perm") is not None:
                t = t.permute(*a["perm"])
            elif op.out_shape is not None and t.numel() == int(torch.tensor(op.out_shape).prod()):
                t = t.reshape(op.out_shape)
            else:
                return None
    except (RuntimeError, KeyError, TypeError, ValueError):
        return None
    return t


def _factor(source: tuple[int, ...], out: torch.Tensor) -> int | None:
    """s, where every output position's channels hold exactly the s x s patch of the input under it."""
    if len(source) != 4 or out.dim() != 4 or out.shape[0] != source[0]:
        return None
    n, c, h, w = source
    s = h // out.shape[2] if out.shape[2] else 0
    if s < 2 or out.shape[2] * s != h or out.shape[3] * s != w or out.shape[1] != c * s * s:
        return None
    index = torch.arange(n * c * h * w).reshape(n, c, h, w)
    patches = (
        index.reshape(n, c, h // s, s, w // s, s).permute(0, 2, 4, 1, 3, 5).reshape(n, h // s, w // s, -1)
    )
    mine = out.permute(0, 2, 3, 1)
    same = torch.equal(patches.sort(dim=-1).values, mine.sort(dim=-1).values)
    return s if same else None


def s2d_convs(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = list(ops)
    reading = readers(ops)
    for conv in ops:
        if not _pointwise(conv):
            continue
        chain = _chain(ops, conv, reading)
        if not chain or not any(dict(o.attrs).get("perm") or dict(o.attrs).get("function") for o in chain):
            continue  # reshapes alone keep each position's channels where they were: no patch taken
        replayed = _replayed(chain)
        source = tuple(chain[0].in_shapes[0])
        s = _factor(source, replayed) if replayed is not None else None
        if s is None:
            continue
        a = dict(conv.attrs)
        out[conv.id] = replace(
            conv,
            attrs=make_attrs({**a, "kernel_size": (s, s), "stride": (s, s), "in_channels": source[1]}),
            in_shapes=(source, *conv.in_shapes[1:]),
            inputs=(chain[0].inputs[0], *conv.inputs[1:]),  # the patches' own order is the weights' to say
        )
        for op in chain:
            if op.kind is OpKind.OTHER:  # the unshuffle is the patch conv's own reading now
                out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({}))
    return tuple(out)


__all__ = ["s2d_convs"]
