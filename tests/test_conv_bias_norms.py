"""A conv bias before any norm that subtracts a per-channel mean is dead weight, as before BatchNorm:
InstanceNorm (trRosetta / RoseTTAFold's pair networks), a GroupNorm of one channel per group; named
conv_bias_before_bn either way round. Before a GroupNorm of wider groups or a LayerNorm over the whole
map the bias is not cancelled, and the name is not given."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


def _norm(kind: str, c: int) -> nn.Module:
    return {
        "instance": lambda: nn.InstanceNorm2d(c, affine=True),
        "group_per_channel": lambda: nn.GroupNorm(c, c),
        "group_wide": lambda: nn.GroupNorm(2, c),
        "layer": lambda: nn.GroupNorm(1, c),
    }[kind]()


class _Net(nn.Module):
    def __init__(self, norm: str, bias: bool) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=bias), _norm(norm, 8), nn.ELU())
        self.block = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1, bias=bias), _norm(norm, 8), nn.ELU(),
            nn.Conv2d(8, 8, 3, padding=2, dilation=2, bias=bias), _norm(norm, 8),
        )  # fmt: skip
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = torch.nn.functional.elu(self.block(x) + x)
        return self.fc(x.mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="r",
                          candidate_name="c", num_classes=4)  # fmt: skip


@pytest.mark.parametrize("norm", ["instance", "group_per_channel"])
@pytest.mark.parametrize("swap", [False, True])
def test_a_bias_before_a_mean_removing_norm_is_named(norm: str, swap: bool) -> None:
    cand, ref = _Net(norm, bias=True), _Net(norm, bias=False)
    c = _compare(ref, cand) if swap else _compare(cand, ref)
    (f,) = c.findings
    assert f.pattern is Pattern.BIAS_BEFORE_BN
    assert len(f.mismatches) == len(c.mismatches)


@pytest.mark.parametrize("norm", ["group_wide", "layer"])
def test_a_bias_a_norm_keeps_is_not_named(norm: str) -> None:
    c = _compare(_Net(norm, bias=True), _Net(norm, bias=False))
    assert c.mismatches and Pattern.BIAS_BEFORE_BN not in {f.pattern for f in c.findings}
