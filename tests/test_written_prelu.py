"""``relu(x) - alpha * relu(-x)`` is PReLU (tracing/written_prelu.py): a Keras port's per-channel PReLU compares
clean with nn.PReLU(C) (heldout147 ir_keras_prelu was named activation_function plus an extra module); the same
ops with the sign or the negation wrong are still differences."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


class _Written(nn.Module):
    def __init__(self, c: int, sign: float = -1.0, negate: bool = True) -> None:
        super().__init__()
        self.alpha = nn.Parameter(torch.full((c, 1, 1), 0.25))
        self.sign, self.negate = sign, negate

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x) + self.sign * (self.alpha * F.relu(-x if self.negate else x))


def _net(act: nn.Module) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), act,
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))  # fmt: skip


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref.eval(), 16), trace(cand.eval(), 16), reference_name="r", candidate_name="c", num_classes=10
    )


class _Sub(_Written):
    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x) - self.alpha * F.relu(-x)


def test_prelu_by_hand_is_prelu_either_way_round() -> None:
    assert not _compare(_net(_Sub(8)), _net(nn.PReLU(8))).mismatches
    assert not _compare(_net(nn.PReLU(8)), _net(_Sub(8))).mismatches


def test_another_sign_or_no_negation_is_a_difference() -> None:
    assert _compare(_net(_Written(8, sign=1.0)), _net(nn.PReLU(8))).mismatches
    assert _compare(_net(_Written(8, negate=False)), _net(nn.PReLU(8))).mismatches


def test_the_premise_the_same_function() -> None:
    x, written, prelu = torch.randn(2, 8, 4, 4), _Sub(8), nn.PReLU(8)
    assert torch.allclose(written(x), prelu(x))
