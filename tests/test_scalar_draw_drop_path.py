"""A hand-written regularizer drawing one number per call keeps or drops its whole input: a drop path
(per batch, or per sample under ``torch.vmap``), not an elementwise dropout."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor, nn

from resnet_verify.tracing.records import RegularizerKind
from resnet_verify.tracing.regularizers import _random_in_training


class WhereScalar(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.drop_prob = 0.2

    def forward(self, x: Tensor) -> Tensor:
        if self.training:
            keep = torch.rand((), dtype=x.dtype) >= self.drop_prob
            x = torch.where(keep, x / (1 - self.drop_prob), torch.zeros_like(x))
        return x


class OneForTheBatch(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        if self.training:
            return x * (torch.rand(1, device=x.device) > 0.1).to(x.dtype)
        return x


class Elementwise(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        if self.training:
            return x * (torch.rand_like(x) > 0.1).to(x.dtype) / 0.9
        return x


class RowOfThree(nn.Module):  # one dimension of 1, then another: not one draw
    def forward(self, x: Tensor) -> Tensor:
        if self.training:
            return x * (torch.rand(1, 3) > 0.1).to(x.dtype).sum()
        return x


@pytest.mark.parametrize(
    ("module", "kind"),
    [
        (WhereScalar(), RegularizerKind.DROP_PATH),
        (OneForTheBatch(), RegularizerKind.DROP_PATH),
        (Elementwise(), RegularizerKind.DROPOUT),
        (RowOfThree(), RegularizerKind.DROPOUT),
    ],
)
def test_one_draw_per_call_is_a_drop_path(module: nn.Module, kind: RegularizerKind) -> None:
    assert _random_in_training(module) is kind
