"""Channels-last tensors read as the channels-first ones they are (a Flax / TF port kept in NHWC).

A JAX or Keras model ported line by line keeps its activations NHWC and permutes to NCHW around each
conv and norm; its adds and ReLUs run on (N, H, W, C) tensors. Read as recorded, every block's shape
says 16 channels where it has 256, stages and blocks misalign, and ``x.mean((1, 2))`` is no global
pool. This pass follows the permutations from the (NCHW) model input, op by op, and records each
op's shape in the canonical channels-first order, and a mean over the canonical spatial axes as the
global pool it is. Op ids, dataflow, parameters and the computation are untouched: only how shapes
are read changes, so layout stays a spelling, as the paired permutes of ``keras_nhwc`` already were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, Shape, make_attrs

Layout = tuple[int, ...]  # axis i of the tensor as recorded is canonical axis layout[i]

# ops that read their input as channels-first whatever came before (torch's conv, norm, pool)
_CHANNELS_FIRST = frozenset(
    {
        OpKind.CONV,
        OpKind.BATCH_NORM,
        OpKind.MAX_POOL,
        OpKind.AVG_POOL,
        OpKind.ADAPTIVE_POOL,
        OpKind.GLOBAL_POOL,
    }
)


def _identity(shape: Shape | None) -> Layout:
    return tuple(range(len(shape))) if shape is not None else ()


def _on_channels(op: OpRecord, first: Layout) -> bool:
    """A Linear on the last axis of a map whose last axis is its channels: a 1x1 conv, NHWC."""
    return op.kind is OpKind.LINEAR and len(first) >= 3 and first[-1] == 1


def _pointwise_conv(op: OpRecord, layout: Layout) -> OpRecord:
    a = dict(op.attrs)
    spatial = len(layout) - 2
    attrs = {
        "in_channels": a.get("in_features"), "out_channels": a.get("out_features"),
        "kernel_size": (1,) * spatial, "stride": (1,) * spatial, "padding": (0,) * spatial,
        "dilation": (1,) * spatial, "groups": 1, "bias": bool(a.get("bias")),
    }  # fmt: skip
    return replace(
        op,
        kind=OpKind.CONV,
        attrs=make_attrs(attrs),
        in_shapes=tuple(_canonical(s, layout) if len(s) == len(layout) else s for s in op.in_shapes),
        out_shape=_canonical(op.out_shape, layout) if op.out_shape is not None else None,
    )


def _norm_across(op: OpRecord, first: Layout) -> bool:
    """A BatchNorm given a channels-last tensor (``BatchNorm1d(num_points)`` on N x P x C): it
    normalizes the recorded axis 1, which is not the channels; the layout goes on through it."""
    return (
        op.kind is OpKind.BATCH_NORM
        and len(first) >= 3
        and first != _identity(op.out_shape)
        and first[1] != 1
    )


def _layout(op: OpRecord, inputs: Sequence[Layout], in_shapes: Sequence[Shape]) -> Layout:
    first = inputs[0] if inputs else ()
    if _on_channels(op, first) or _norm_across(op, first):
        return first
    if op.kind in _CHANNELS_FIRST or not first:
        return _identity(op.out_shape)
    perm = dict(op.attrs).get("perm")
    if isinstance(perm, tuple) and len(perm) == len(first):
        moved = tuple(first[p] for p in perm)
        # Only the channel axis may move: a transpose of H and W (or of the batch) is a real
        # change of the data, which the shapes must keep showing.
        spatial = [a for a in moved if a >= 2]
        return moved if moved[:1] == (0,) and spatial == sorted(spatial) else _identity(op.out_shape)
    # elementwise ops (add, ReLU, dropout, contiguous) keep their input's layout
    same = op.out_shape is not None and bool(in_shapes) and tuple(in_shapes[0]) == tuple(op.out_shape)
    return first if same else _identity(op.out_shape)


def _canonical(shape: Shape, layout: Layout) -> Shape:
    out = [0] * len(shape)
    for axis, canonical in enumerate(layout):
        out[canonical] = shape[axis]
    return tuple(out)


def _pool(op: OpRecord, layout: Layout) -> OpRecord | None:
    """``mean`` / ``amax`` over what are the spatial axes of a channels-last map: a global pool."""
    attrs = dict(op.attrs)
    dims, function = attrs.get("dims"), attrs.get("function")
    if op.kind is not OpKind.OTHER or function not in ("mean", "amax") or not isinstance(dims, tuple):
        return None
    if not 3 <= len(layout) <= 5 or sorted(layout[d] for d in dims) != list(range(2, len(layout))):
        return None
    return replace(
        op, kind=OpKind.GLOBAL_POOL, attrs=make_attrs({"mode": "avg" if function == "mean" else "max"})
    )


def channels_first(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """The ops with shapes read channels-first; unchanged when no permutation moves the channels."""
    if not any(dict(op.attrs).get("perm") for op in ops):
        return tuple(ops)
    layouts: dict[int, Layout] = {}
    out = list(ops)
    for op in ops:
        shapes = list(op.in_shapes) + [None] * (len(op.inputs) - len(op.in_shapes))
        inputs = [layouts.get(i) or _identity(shape) for i, shape in zip(op.inputs, shapes, strict=True)]
        layout = _layout(op, inputs, op.in_shapes)
        layouts[op.id] = layout
        moved = bool(layout) and layout != _identity(op.out_shape)
        pool = (
            _pool(op, inputs[0]) if inputs and inputs[0] and inputs[0] != _identity(op.in_shapes[0]) else None
        )
        if pool is not None:
            out[op.id] = pool
        elif inputs and _on_channels(op, inputs[0]):
            out[op.id] = _pointwise_conv(op, layout)
        elif inputs and _norm_across(op, inputs[0]):
            shape = _canonical(op.out_shape, layout) if op.out_shape is not None else None
            attrs = make_attrs({**dict(op.attrs), "over_axis": layout[1]})  # the canonical axis it normalizes
            out[op.id] = replace(
                op, attrs=attrs, in_shapes=(shape,) if shape else op.in_shapes, out_shape=shape
            )
        else:
            if inputs and inputs[0] and inputs[0] != _identity(op.in_shapes[0] if op.in_shapes else None):
                out[op.id] = op = _axes_read(op, inputs[0])
            if moved and op.out_shape is not None:
                out[op.id] = replace(op, out_shape=_canonical(op.out_shape, layout))
    return tuple(out)


def _axes_read(op: OpRecord, layout: Layout) -> OpRecord:
    """An op's axis arguments (a softmax's ``dim``, a reduction's ``dims``) read on the canonical axes of
    its permuted input: ``softmax(x.transpose(2, 1), dim=-1)`` is a softmax over canonical axis 1, not
    over the axis a softmax of the untransposed ``x`` with ``dim=-1`` reads."""
    attrs = dict(op.attrs)
    rank = len(layout)

    def axis(d: object) -> object:
        return layout[d % rank] if isinstance(d, int) and not isinstance(d, bool) and -rank <= d < rank else d

    changed = {}
    if "dim" in attrs:
        changed["dim"] = axis(attrs["dim"])
    if isinstance(attrs.get("dims"), tuple):
        changed["dims"] = tuple(sorted(axis(d) for d in attrs["dims"]))  # type: ignore[type-var]
    if not changed or all(changed[k] == attrs[k] for k in changed):
        return op
    return replace(op, attrs=make_attrs({**attrs, **changed}))


__all__ = ["channels_first"]
