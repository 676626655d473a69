"""Layers spelled as tensor products (tracing/products.py, layout.py, canonical.py): read as the
layer each computes where the weight is a stored one, left as they are where it is not."""

from __future__ import annotations

from typing import cast

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace


class _Head(nn.Module):
    """conv -> global mean -> ``x @ W.T + b``, or an attention-style product of two activations."""

    def __init__(self, attention: bool = False) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.w = nn.Parameter(torch.randn(5, 8))
        self.b = nn.Parameter(torch.zeros(5))
        self.attention = attention

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv(x).mean((2, 3))
        if self.attention:
            return (h.T @ h) @ self.w.T  # the first product has no stored weight
        return h @ self.w.T + self.b


def _kinds(model: nn.Module, size: int = 16) -> list[tuple[OpKind, dict[str, object]]]:
    return [(op.kind, dict(op.attrs)) for op in trace(model, size).ops if op.kind is not OpKind.RESHAPE]


def test_matmul_with_a_transposed_weight_and_a_bias_is_one_linear() -> None:
    ops = trace(_Head(), 16).ops
    linear = [op for op in ops if op.kind is OpKind.LINEAR]
    assert len(linear) == 1 and set(linear[0].params) == {"w", "b"}
    assert dict(linear[0].attrs) == {
        "in_features": 8,
        "out_features": 5,
        "bias": True,
    }  # no param_ops: W.T is W
    assert not any(op.kind is OpKind.OTHER for op in ops)


def test_a_product_of_two_activations_stays_what_it_is() -> None:
    kinds = [k for k, a in _kinds(_Head(attention=True))]
    assert kinds.count(OpKind.OTHER) == 1 and kinds.count(OpKind.LINEAR) == 1


class _Pointwise(nn.Module):
    """A 1x1 conv as einsum, as a channels-last Linear, or im2col's kxk conv; strided by slicing."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.w = nn.Parameter(torch.randn(6, 3 * (9 if how == "im2col" else 1)))
        self.lin = nn.Linear(3, 6, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.how == "einsum":
            return torch.einsum("nchw,oc->nohw", x[:, :, ::2, ::2], self.w)
        if self.how == "linear":
            return self.lin(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        if self.how == "im2col":
            cols = F.unfold(x, 3, padding=1, stride=2)
            return (self.w @ cols).view(x.shape[0], 6, 8, 8)
        if self.how == "tensor_unfold":  # Tensor.unfold: windows along one axis, no conv
            return x.unfold(3, 4, 4).mean(-1)
        return torch.einsum("nchw,nchw->nhw", x, x)  # two activations: no layer


def test_einsum_channels_last_linear_and_im2col_read_as_convs() -> None:
    (kind, attrs), *_ = _kinds(_Pointwise("einsum"))
    assert kind is OpKind.CONV and attrs["kernel_size"] == (1, 1) and attrs["stride"] == (2, 2)
    assert (attrs["in_channels"], attrs["out_channels"]) == (3, 6)
    ((kind, attrs),) = _kinds(_Pointwise("linear"))
    assert kind is OpKind.CONV and attrs["kernel_size"] == (1, 1) and not attrs["bias"]
    ((kind, attrs),) = _kinds(_Pointwise("im2col"))
    assert kind is OpKind.CONV and attrs["kernel_size"] == (3, 3) and attrs["stride"] == (2, 2)
    assert attrs["padding"] == (1, 1) and (attrs["in_channels"], attrs["out_channels"]) == (3, 6)


def test_products_without_a_stored_weight_or_window_stay_ops() -> None:
    assert all(k is not OpKind.CONV for k, _ in _kinds(_Pointwise("tensor_unfold")))
    assert [k for k, _ in _kinds(_Pointwise("other"))] == [OpKind.OTHER]


class _Relus(nn.Module):
    def __init__(self, zeros: bool) -> None:
        super().__init__()
        self.zeros = zeros

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        other = torch.zeros_like(x) if self.zeros else x.flip(-1)
        return cast(torch.Tensor, sum([torch.maximum(x, other), x])) * 1


def test_maximum_with_zeros_is_relu_and_identity_arithmetic_is_nothing() -> None:
    assert [k for k, _ in _kinds(_Relus(zeros=True))] == [OpKind.RELU, OpKind.ADD]
    assert OpKind.RELU not in [k for k, _ in _kinds(_Relus(zeros=False))]  # a max of two activations


class _Deform(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        from torchvision.ops import DeformConv2d

        self.offset = nn.Conv2d(3, 18, 3, padding=1)
        self.conv = DeformConv2d(3, 8, 3, padding=1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x, self.offset(x))


def test_a_deformable_conv_is_a_conv_marked_deformable_and_its_fills_are_part_of_it() -> None:
    ops = [(k, a) for k, a in _kinds(_Deform()) if k is not OpKind.RESHAPE]
    assert [k for k, _ in ops] == [OpKind.CONV, OpKind.CONV]
    offset, conv = (a for _, a in ops)
    assert "deformable" not in offset and conv["deformable"] == "v1" and not conv["bias"]
    assert conv["kernel_size"] == (3, 3) and conv["out_channels"] == 8
