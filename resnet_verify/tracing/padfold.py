"""Zero padding written as its own op, folded into the conv or pool that reads it.

``F.pad(x, (0, 1, 0, 1))`` then a padding-0 conv is one conv padded (top 0, bottom 1, left 0,
right 1): TensorFlow's 'same', as a port writes it; ``nn.ZeroPad2d(3)`` then the stem conv is
PyTorch's ``padding=3``; Keras' ``ZeroPadding2D`` then a 'valid' layer is either. One spelling: the
padding moves into the layer's own ``padding`` (two numbers when each side is alike, else four:
top, bottom, left, right, as ``keras_vocab.same_padding`` writes 'same') and the pad op becomes a
layout op (``RESHAPE``, ``part_of="padding"``) that alignment skips. Zeros fold into a conv always,
into an average pool that counts them, and into a max pool only when its input cannot be negative
(a ReLU output) and every window keeps a real pixel: there zeros and PyTorch's -inf padding agree;
-inf padding folds into a max pool, whose own it is. A reflect / replicate pad, another value, a
crop (negative amounts), a pad read twice and anything but 2-D stay the op they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

Pad4 = tuple[int, int, int, int]  # top, bottom, left, right
PART_OF = "padding"
_READERS = frozenset({OpKind.CONV, OpKind.MAX_POOL, OpKind.AVG_POOL})


def own_padding(attrs: dict[str, Any]) -> Pad4 | None:
    """A conv / pool's own padding as (top, bottom, left, right), or None for a string."""
    p = attrs.get("padding")
    if not isinstance(p, tuple) or not all(isinstance(v, int) for v in p):
        return None  # 'same' / 'valid' strings: not a number of pixels
    if len(p) == 2:
        return (p[0], p[0], p[1], p[1])
    return (p[0], p[1], p[2], p[3]) if len(p) == 4 else None


def folded_padding(
    pad: Pad4, kind: OpKind, attrs: dict[str, Any], relu_input: bool, value: float = 0.0
) -> tuple[int, ...] | None:
    """The padding of the one ``kind`` layer that computes ``pad`` (of ``value``) then the layer with
    ``attrs``; None when no single layer does. -inf padding is a max pool's own."""
    own = own_padding(attrs)
    if own is None or min(pad) < 0 or kind not in _READERS:
        return None
    if value != 0.0 and not (value == float("-inf") and kind is OpKind.MAX_POOL):
        return None
    if kind is OpKind.AVG_POOL and not (own == (0, 0, 0, 0) and attrs.get("count_include_pad", True)):
        return None  # an average that skips its own padded zeros would count these
    if kind is OpKind.MAX_POOL:
        kernel = attrs.get("kernel_size")
        if not isinstance(kernel, tuple) or len(kernel) != 2 or not (relu_input or value < 0):
            return None
        if max(pad[0], pad[1]) >= kernel[0] or max(pad[2], pad[3]) >= kernel[1]:
            return None  # a window of padding alone: 0 where -inf padding would give -inf
    top, bottom, left, right = (a + b for a, b in zip(pad, own, strict=True))
    return (top, left) if top == bottom and left == right else (top, bottom, left, right)


def even_padding(padding: tuple[int, ...], shape: tuple[int, ...], attrs: dict[str, Any]) -> tuple[int, ...]:
    """(top, bottom, left, right) as symmetric (top, left) where the windows never read the side that
    differs: at stride 2 on an even map, one row of padding before it is ``padding=1`` (the row after is
    never read), where TF's 'SAME' puts its one row after and is not. Unchanged where they would."""
    kernel, stride, dilation = attrs.get("kernel_size"), attrs.get("stride"), attrs.get("dilation") or (1, 1)
    if len(padding) != 4 or len(shape) != 4 or attrs.get("ceil_mode") or not isinstance(kernel, tuple):
        return padding
    if not isinstance(stride, tuple) or len(kernel) != 2 or len(stride) != 2 or len(dilation) != 2:
        return padding
    even = []
    for axis in range(2):
        n, (a, b), s = shape[2 + axis], padding[2 * axis : 2 * axis + 2], stride[axis]
        k = dilation[axis] * (kernel[axis] - 1) + 1
        out = (n + a + b - k) // s + 1
        past = (out - 1) * s - a + k - n  # how far past the map the last window reads
        if out != (n + 2 * a - k) // s + 1 or past > min(a, b):
            return padding
        even.append(a)
    return (even[0], even[1])


def _constant_pad2d(op: OpRecord) -> tuple[Pad4, float] | None:
    a = dict(op.attrs)
    pad, value = a.get("pad"), a.get("value", 0.0)
    if a.get("mode", "constant") != "constant" or not isinstance(value, float):
        return None
    if not isinstance(pad, tuple) or len(pad) != 4 or len(op.in_shapes[0] if op.in_shapes else ()) != 4:
        return None
    left, right, top, bottom = pad  # F.pad spells the last dimension first
    return (top, bottom, left, right), value


def fold_pads(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """Each constant pad op read by one conv / pool only, and equal to padding it, folded into it. Op
    ids and dataflow are untouched; the reader's input shape becomes the unpadded one."""
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        constant = _constant_pad2d(op) if op.kind is OpKind.PAD and op.inputs else None
        uses = reading.get(op.id, [])
        if constant is None or len(uses) != 1 or out[uses[0]].inputs[:1] != (op.id,):
            continue
        (pad, value), user, src = constant, out[uses[0]], op.inputs[0]
        attrs = dict(user.attrs)
        padding = folded_padding(pad, user.kind, attrs, src >= 0 and out[src].kind is OpKind.RELU, value)
        if padding is None:
            continue
        attrs["padding"] = even_padding(padding, op.in_shapes[0], attrs)
        if user.kind is OpKind.AVG_POOL:
            attrs["count_include_pad"] = True
        out[user.id] = replace(
            user, attrs=make_attrs(attrs), in_shapes=(op.in_shapes[0], *user.in_shapes[1:])
        )
        out[op.id] = replace(
            op, kind=OpKind.RESHAPE, attrs=make_attrs({**dict(op.attrs), "part_of": PART_OF})
        )
    return tuple(out)


def _unread(pad: tuple[int, ...], shape: tuple[int, ...], attrs: dict[str, Any]) -> bool:
    """Whether a pool's windows never reach the padded elements (right-side padding only: the
    windows start at the first real element and, at this length, stop before the padding)."""
    spatial = shape[2:]
    kernel, stride = attrs.get("kernel_size"), attrs.get("stride")
    own, dilation = attrs.get("padding"), attrs.get("dilation")
    n = len(spatial)
    if not (isinstance(kernel, tuple) and isinstance(stride, tuple) and len(kernel) == len(stride) == n):
        return False
    if attrs.get("ceil_mode") or any(own or ()) or set(dilation or (1,)) != {1} or len(pad) != 2 * n:
        return False
    for axis in range(n):  # F.pad spells the last axis first
        left, right = pad[2 * (n - 1 - axis)], pad[2 * (n - 1 - axis) + 1]
        size, k, st = spatial[axis], kernel[axis], stride[axis]
        out = (size + right - k) // st + 1
        if left != 0 or (out - 1) * st + k > size:
            return False
    return True


def drop_unread_pads(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """A zero pad on the right that the pool reading it never reaches (Hannun's ResNet1D pads its
    identity by one before ``MaxPool1d(2)``; at an even length the pool drops the padded element): no
    op. Any other pad a pool reads is its own difference (zeros are not a max pool's -inf)."""
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        a = dict(op.attrs)
        uses = reading.get(op.id, [])
        if op.kind is not OpKind.PAD or a.get("mode", "constant") != "constant" or len(uses) != 1:
            continue
        user, pad = ops[uses[0]], a.get("pad")
        if (
            user.kind not in (OpKind.MAX_POOL, OpKind.AVG_POOL)
            or not isinstance(pad, tuple)
            or not op.in_shapes
        ):
            continue
        if _unread(pad, op.in_shapes[0], dict(user.attrs)):
            out[user.id] = replace(user, in_shapes=(op.in_shapes[0], *user.in_shapes[1:]))
            out[op.id] = replace(
                op, kind=OpKind.RESHAPE, attrs=make_attrs({**a, "part_of": "unread padding"})
            )
    return tuple(out)


__all__ = ["PART_OF", "Pad4", "drop_unread_pads", "fold_pads", "folded_padding", "own_padding"]
