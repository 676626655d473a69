"""One order for ops that commute: a ReLU read straight after a max pool runs before it, an
unpadded average pool read straight after a 1x1 conv runs before it, and a slice read straight after
an activation runs before it.

``max_pool(relu(x)) == relu(max_pool(x))`` exactly (ReLU is monotone; a max pool's -inf padding
never wins a window that holds a value), so the order is a spelling, not a difference. Pre-activation
networks (NF-ResNet, timm's resnetv2) write the stem as conv → pool and start the first block with
its ReLU; torchvision writes conv → BN → ReLU → pool. Read in one order (activation first, as
torchvision's stem), the two pair ReLU with ReLU and pool with pool, and only the missing BatchNorm
is left, instead of "BatchNorm became a max pool" and a pool missing.

The swap keeps every op id and every reader: the pool's slot holds the ReLU (reading the pool's
input), the ReLU's slot holds the pool (reading the ReLU), so what read the ReLU reads the pool,
whose output is the same tensor the ReLU gave.

A 1x1 conv (stride 1, no padding) and an unpadded average pool are both linear and act on different
axes, so ``pool(conv(x)) == conv(pool(x))`` to rounding, bias included (the average of a constant is
that constant): a discriminator's shortcut written conv-then-pool or pool-then-conv is one shortcut.
Read pool first.

Nearest upsampling copies each pixel into a block, and a 1x1 conv (stride 1, no padding) maps each
pixel alone, so ``up(conv(x)) == conv(up(x))`` exactly: BigGAN's upsampling shortcut written
conv-then-upsample or upsample-then-conv is one shortcut. Read upsample first (as the pool).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, readers


def _commutes(pool: OpRecord, relu: OpRecord) -> bool:
    return (
        pool.kind is OpKind.MAX_POOL
        and relu.kind is OpKind.RELU
        and relu.inputs == (pool.id,)
        and len(pool.inputs) == 1
        and not dict(pool.attrs).get("return_indices")
    )


def relu_before_max_pool(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """Each max pool whose only reader is a ReLU swaps places with it (see the module docstring)."""
    reading = readers(ops)
    out = list(ops)
    for pool in ops:
        uses = reading.get(pool.id, [])
        if len(uses) != 1 or not _commutes(pool, relu := ops[uses[0]]):
            continue
        source_shape = pool.in_shapes[0] if pool.in_shapes else relu.in_shapes[0]
        out[pool.id] = replace(
            relu, id=pool.id, inputs=pool.inputs, in_shapes=(source_shape,), out_shape=source_shape
        )
        out[relu.id] = replace(pool, id=relu.id, inputs=(pool.id,), in_shapes=(source_shape,))
    return tuple(out)


def _pool_commutes(conv: OpRecord, pool: OpRecord) -> bool:
    c, p = dict(conv.attrs), dict(pool.attrs)
    return (
        conv.kind is OpKind.CONV
        and pool.kind is OpKind.AVG_POOL
        and pool.inputs == (conv.id,)
        and len(conv.inputs) == 1
        and all(c.get(k) == v for k, v in (("kernel_size", (1, 1)), ("stride", (1, 1)), ("padding", (0, 0))))
        and c.get("dilation", (1, 1)) == (1, 1)
        and p.get("padding") in ((0, 0), (0, 0, 0, 0))
        and not p.get("ceil_mode")
    )


def avg_pool_before_1x1(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """Each 1x1 conv whose only reader is an unpadded average pool swaps places with it."""
    reading = readers(ops)
    out = list(ops)
    for conv in ops:
        uses = reading.get(conv.id, [])
        if len(uses) != 1 or not _pool_commutes(conv, pool := ops[uses[0]]):
            continue
        src = conv.in_shapes[0]
        pooled = ((pool.out_shape or src)[0], src[1], *(pool.out_shape or src)[2:])
        out[conv.id] = replace(pool, id=conv.id, inputs=conv.inputs, in_shapes=(src,), out_shape=pooled)
        out[pool.id] = replace(
            conv, id=pool.id, inputs=(conv.id,), in_shapes=(pooled,), out_shape=pool.out_shape
        )
    return tuple(out)


_NEAREST = frozenset({"interpolate", "upsample", "upsample_nearest", "upsample_nearest1d", "upsample_nearest2d",
                      "upsample_nearest3d"})  # fmt: skip


def _nearest(op: OpRecord) -> bool:
    a = dict(op.attrs)
    return (
        a.get("function") in _NEAREST and a.get("mode", "nearest") == "nearest" and not a.get("align_corners")
    )


def upsample_before_1x1(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """Each 1x1 conv whose only reader is a nearest upsampling swaps places with it."""
    reading = readers(ops)
    out = list(ops)
    for conv in ops:
        uses = reading.get(conv.id, [])
        if len(uses) != 1 or conv.kind is not OpKind.CONV or not conv.in_shapes:
            continue
        up, c = ops[uses[0]], dict(conv.attrs)
        pointwise = all(
            set(c.get(k) or (v,)) == {v} for k, v in (("kernel_size", 1), ("stride", 1), ("dilation", 1))
        )
        if not (
            pointwise and set(c.get("padding") or (0,)) == {0} and up.inputs == (conv.id,) and _nearest(up)
        ):
            continue
        src, big = conv.in_shapes[0], up.out_shape
        if big is None or len(big) != len(src):
            continue
        upsampled = (src[0], src[1], *big[2:])
        out[conv.id] = replace(up, id=conv.id, inputs=conv.inputs, in_shapes=(src,), out_shape=upsampled)
        out[up.id] = replace(conv, id=up.id, inputs=(conv.id,), in_shapes=(upsampled,), out_shape=big)
    return tuple(out)


def slice_before_activation(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """Each ReLU (or other elementwise activation) whose only reader is a slice swaps places with it:
    an activation acts on each element alone, so ``relu(x)[c]`` is ``relu(x[c])`` (SiamDW's crop
    taken before or after the unit's last ReLU). Read crop first."""
    reading = readers(ops)
    out = list(ops)
    for act in ops:
        uses = reading.get(act.id, [])
        if act.kind not in (OpKind.RELU, OpKind.ACTIVATION) or len(act.inputs) != 1 or len(uses) != 1:
            continue
        cut = ops[uses[0]]
        if cut.kind is not OpKind.SLICE or cut.inputs != (act.id,) or not act.in_shapes:
            continue
        src, kept = act.in_shapes[0], cut.out_shape
        out[act.id] = replace(cut, id=act.id, inputs=act.inputs, in_shapes=(src,))
        out[cut.id] = replace(
            act, id=cut.id, inputs=(act.id,), in_shapes=(kept,) if kept else (), out_shape=kept
        )
    return tuple(out)


__all__ = ["avg_pool_before_1x1", "relu_before_max_pool", "slice_before_activation", "upsample_before_1x1"]
