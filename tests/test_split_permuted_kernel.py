"""A kernel computed flat and viewed in another axis order (``(u @ v).view(o, k, k, i).permute(0, 3, 1,
2)``, TensorFlow's HWIO) puts each product entry at another tap than ``.view(o, i, k, k)``: a step of
the weight's computation; a kernel stored in another layout and permuted back is the same layer."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace


class LowRank(nn.Module):
    def __init__(self, order: str) -> None:
        super().__init__()
        self.order = order
        self.u = nn.Parameter(torch.randn(8, 2))
        self.v = nn.Parameter(torch.randn(2, 3 * 9))
        self.hwio = nn.Parameter(torch.randn(3, 3, 3, 8))

    def kernel(self) -> Tensor:
        flat = self.u @ self.v
        if self.order == "oihw":
            return flat.view(8, 3, 3, 3)
        if self.order == "split_hwio":
            return flat.view(8, 3, 3, 3).permute(0, 3, 1, 2)
        return self.hwio.permute(3, 2, 0, 1)  # stored HWIO, read back as OIHW

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.kernel(), padding=1).mean((2, 3))


def _steps(order: str) -> str:
    t = trace(LowRank(order), (3, 8, 8))
    conv = next(op for op in t.ops if op.kind is OpKind.CONV)
    return str(dict(conv.attrs).get("param_ops", ""))


def test_a_flat_product_split_and_permuted_is_a_step() -> None:
    assert _steps("split_hwio") == "matmul→permute(0, 3, 1, 2)"


@pytest.mark.parametrize("order", ["oihw", "stored_hwio"])
def test_a_plain_view_or_a_stored_layout_is_not(order: str) -> None:
    assert "permute" not in _steps(order)
