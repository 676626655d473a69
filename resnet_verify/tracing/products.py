"""Layers spelled as tensor products with a weight, read as the layer each computes.

One spelling per concept, as public code writes them:

- ``x @ W.T`` / ``torch.matmul`` / ``mm`` / ``addmm`` with one stored weight, acting on the last
  axis: a ``Linear`` (on a channels-last map, the layout pass then reads it as the 1x1 conv it is).
- ``torch.einsum("nchw,oc->nohw", x, W)``: a 1x1 conv (a channel map on axis 1); ``"...c,oc->...o"``
  a Linear on the last axis.
- ``F.unfold(x, k, padding=p, stride=s)``, then ``W.view(o, -1) @ cols``, then a view to
  ``(n, o, h, w)``: a k x k conv (im2col by hand).
- a stored vector added right after such a product (through views): its bias.
- ``x[:, :, ::s, ::s]`` read only by an unpadded stride-1 1x1 conv: that conv at stride ``s``.

Op ids and dataflow are untouched; the ops that become part of another read as layout (``RESHAPE``,
``part_of``), which alignment skips, and the product takes the kind and attributes of its layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from resnet_verify.specs.vocabulary import ADD
from resnet_verify.tracing.records import OpKind, OpRecord, Shape, make_attrs, readers

_MATMUL = frozenset({"matmul", "mm", "bmm", "__matmul__", "__rmatmul__", "addmm"})


def _conv_attrs(cin: int, cout: int, spatial: int, **window: Any) -> dict[str, Any]:
    one, zero = (1,) * spatial, (0,) * spatial
    return {
        "in_channels": cin, "out_channels": cout, "kernel_size": window.get("kernel_size", one),
        "stride": window.get("stride", one), "padding": window.get("padding", zero),
        "dilation": window.get("dilation", one), "groups": 1, "bias": False,
    }  # fmt: skip


def _weight_product(op: OpRecord) -> bool:
    """One data operand and stored weights: ``x @ W``, not ``x @ y`` (attention's products)."""
    return len(op.inputs) == 1 and len(op.in_shapes) == 1 and bool(op.params) and op.out_shape is not None


def _einsum(op: OpRecord) -> tuple[OpKind, dict[str, Any]] | None:
    eq = dict(op.attrs).get("equation")
    if not isinstance(eq, str) or "->" not in eq or not _weight_product(op):
        return None
    lhs, out = eq.split("->")
    terms = lhs.split(",")
    x, o = op.in_shapes[0], op.out_shape or ()
    data = [t for t in terms if len(t) == len(x)]
    weight = [t for t in terms if len(t) == 2]
    if len(terms) != 2 or len(data) != 1 or len(weight) != 1 or len(out) != len(x) or data[0] == weight[0]:
        return None
    d, w = data[0], weight[0]
    for axis in (1, len(d) - 1):  # the channel axis, or the last (channels-last)
        rest = [i for i in range(len(d)) if i != axis]
        if d[axis] in w and out[axis] in w and d[axis] != out[axis] and all(d[i] == out[i] for i in rest):
            if axis == 1 and len(x) >= 3:
                return OpKind.CONV, _conv_attrs(x[1], o[1], len(x) - 2)
            return OpKind.LINEAR, {"in_features": x[-1], "out_features": o[-1], "bias": False}
    return None


def _matmul(op: OpRecord, ops: Sequence[OpRecord]) -> tuple[OpKind, dict[str, Any], Shape | None] | None:
    """Linear (weight on the right), or im2col's conv (weight on the left of unfolded columns)."""
    if op.name not in _MATMUL or not _weight_product(op):
        return None
    x, o = op.in_shapes[0], op.out_shape or ()
    src = ops[op.inputs[0]] if op.inputs[0] >= 0 else None
    window = dict(src.attrs) if src is not None else {}
    if (
        src is None
        or window.get("function") != "unfold"
        or len(src.in_shapes[0] if src.in_shapes else ()) != 4
    ):
        if len(x) == len(o) >= 2 and x[:-1] == o[:-1]:
            return (
                OpKind.LINEAR,
                {"in_features": x[-1], "out_features": o[-1], "bias": op.name == "addmm"},
                None,
            )
        return None
    n, c, _, _ = src.in_shapes[0]
    kernel = window.get("kernel_size")
    if len(x) != 3 or len(o) != 3 or o[0] != n or o[2] != x[2] or not isinstance(kernel, tuple):
        return None
    if x[1] != c * kernel[0] * kernel[1]:
        return None
    shaped = _view_to_map(op, ops, (n, o[1]), o[2])
    attrs = _conv_attrs(
        c, o[1], 2, **{k: window[k] for k in ("kernel_size", "stride", "padding", "dilation")}
    )
    return (OpKind.CONV, attrs, shaped) if shaped is not None else None


def _view_to_map(
    op: OpRecord, ops: Sequence[OpRecord], lead: tuple[int, int], positions: int
) -> Shape | None:
    """The (N, O, H, W) shape the columns are viewed back to, by the product's one reader."""
    users = [o for o in ops[op.id + 1 :] if op.id in o.inputs]
    shape = users[0].out_shape if len(users) == 1 and users[0].kind is OpKind.RESHAPE else None
    if shape is None or len(shape) != 4 or shape[:2] != lead or shape[2] * shape[3] != positions:
        return None
    return shape


def _bias(product: int, ops: Sequence[OpRecord], reading: dict[int, list[int]]) -> int | None:
    """The add of a stored vector right after the product (through layout ops), if any."""
    at = product
    while len(reading.get(at, [])) == 1:
        nxt = ops[reading[at][0]]
        if nxt.kind is OpKind.RESHAPE and len(nxt.inputs) == 1:
            at = nxt.id
            continue
        a = dict(nxt.attrs)
        if nxt.kind is OpKind.OTHER and a.get("function") in ADD and nxt.inputs == (at,) and nxt.params:
            return nxt.id
        return None
    return None


_CARRIED = ("param_ops", "custom_backward")


def read_products(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    if not any(op.name in _MATMUL or dict(op.attrs).get("function") == "einsum" for op in ops):
        return tuple(ops)
    out = list(ops)
    reading = readers(ops)
    for op in ops:
        found = _einsum(op)
        conv = _matmul(op, out) if found is None else None
        if found is None and conv is None:
            continue
        kind, attrs = found if found is not None else conv[:2]  # type: ignore[index]
        # how a weight computed in forward was computed stays on the layer it becomes (a text encoder's
        # normalised features as a classifier's weight: the normalisation left out compared clean)
        attrs = {**attrs, **{k: v for k, v in op.attrs if k in _CARRIED}}
        shaped = conv[2] if conv is not None else None
        params, in_shapes = op.params, op.in_shapes
        if conv is not None and kind is OpKind.CONV:
            src = out[op.inputs[0]]
            in_shapes = src.in_shapes
            out[src.id] = replace(src, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "conv"}))
        bias = _bias(op.id, out, reading)
        if bias is not None and not attrs["bias"]:
            attrs = {**attrs, "bias": True}
            params = (*params, *out[bias].params)
            out[bias] = replace(
                out[bias], kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "bias"}), params=()
            )
        out[op.id] = replace(
            op, kind=kind, attrs=make_attrs(attrs), params=params, in_shapes=in_shapes,
            out_shape=shaped or op.out_shape,
        )  # fmt: skip
    return tuple(out)


def _through_layout(op_id: int, ops: Sequence[OpRecord], reading: dict[int, list[int]]) -> OpRecord | None:
    """The one op that reads ``op_id``'s output, past single-reader layout ops (a permute)."""
    at = op_id
    while len(reading.get(at, [])) == 1:
        nxt = ops[reading[at][0]]
        if nxt.kind is not OpKind.RESHAPE:
            return nxt
        at = nxt.id
    return None


def strided_slices(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """``x[:, :, ::s, ::s]`` read only by an unpadded stride-1 1x1 conv: the conv's own stride. (After
    the layout pass, which reads a Linear on a channels-last map as that conv.)"""
    if not any(dict(op.attrs).get("steps") for op in ops):
        return tuple(ops)
    out = list(ops)
    reading = readers(ops)
    for op in ops:
        steps = dict(op.attrs).get("steps") if op.kind is OpKind.SLICE else None
        conv = _through_layout(op.id, out, reading)
        if not isinstance(steps, tuple) or conv is None or not op.in_shapes:
            continue
        a = dict(conv.attrs)
        spatial = len(steps) - 2
        if conv.kind is not OpKind.CONV or spatial < 1:
            continue
        if a.get("kernel_size") != (1,) * spatial or a.get("stride") != (1,) * spatial:
            continue
        if a.get("padding") != (0,) * spatial:
            continue
        out[conv.id] = replace(
            conv,
            attrs=make_attrs({**a, "stride": tuple(steps[2:])}),
            in_shapes=(op.in_shapes[0], *conv.in_shapes[1:]),
        )
        out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "stride"}))
    return tuple(out)


_FILLS = frozenset({"zeros", "ones", "new_zeros", "zeros_like", "full"})


def deform_fills(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """The zeros torchvision makes for a deformable conv's absent mask / bias are part of that conv."""
    if not any(dict(op.attrs).get("deformable") for op in ops):
        return tuple(ops)
    out = list(ops)
    reading = readers(ops)
    for op in ops:
        use = reading.get(op.id, [])
        fill = op.kind is OpKind.OTHER and dict(op.attrs).get("function") in _FILLS
        if fill and len(use) == 1 and dict(out[use[0]].attrs).get("deformable"):
            out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "conv"}))
    return tuple(out)


__all__ = ["deform_fills", "read_products", "strided_slices"]
