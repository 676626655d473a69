"""A module named as the other side's activation that computes something else (a hard-swish by hand that
lost its ``/ 6``) is described, not named activation_function "HardSwish in place of hardswish" (heldout147
hw_no_div6); and its composite counts as the block's activation, so a pre-activation block that opens with
it is not read as post-activation (pre_activation was named). A true swap stays named."""

from __future__ import annotations

import pytest
import torch.nn.functional as F
from torch import Tensor, nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class HardSwish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x * F.relu6(x + 3.0)  # the / 6 left out


class PreAct(nn.Module):
    def __init__(self, c: int, act: type[nn.Module]) -> None:
        super().__init__()
        self.residual = nn.Sequential(act(), nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c),
                                      act(), nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))  # fmt: skip

    def forward(self, x: Tensor) -> Tensor:
        return x + self.residual(x)


def _net(act: type[nn.Module]) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16),
                         PreAct(16, act), PreAct(16, act), act(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(16, 10))  # fmt: skip


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref.eval(), 16), trace(cand.eval(), 16), reference_name="r", candidate_name="c", num_classes=10
    )


@pytest.mark.parametrize("swap", [False, True])
def test_a_module_named_hardswish_that_is_not_one_is_described(swap: bool) -> None:
    a, b = _net(HardSwish), _net(nn.Hardswish)
    c = _compare(b, a) if swap else _compare(a, b)
    names = {f.pattern for f in c.findings}
    assert c.mismatches
    assert not names & {Pattern.ACTIVATION, Pattern.PRE_ACTIVATION}, names


def test_a_true_swap_stays_named() -> None:
    c = _compare(_net(nn.SiLU), _net(nn.Hardswish))
    assert Pattern.ACTIVATION in {f.pattern for f in c.findings}
