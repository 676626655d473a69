"""``torch.addcmul(residual, out, gate)`` is ``residual + out * gate`` (tracing/fused.py; #23
heldout40, NVIDIA's SE-ResNeXt join): the block is residual and compares equal to its unfused spelling;
the operands exchanged (the gate on the skip) or another ``value`` stay differences."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


class _Gated(nn.Module):
    def __init__(self, join: str) -> None:
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)
        self.gate = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(8, 8, 1), nn.Sigmoid())
        self.join = join

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv(x)
        gate = self.gate(out)
        if self.join == "unfused":
            return torch.relu(x + out * gate)
        if self.join == "swapped":
            return torch.relu(torch.addcmul(out, x, gate))
        value = 0.5 if self.join == "half" else 1
        return torch.relu(torch.addcmul(x, out, gate, value=value))


def _net(join: str) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Gated(join), _Gated(join), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


def _compare(ref: str, cand: str) -> Comparison:
    return compare_traces(trace(_net(ref), (3, 16, 16)), trace(_net(cand), (3, 16, 16)), reference_name="a",
                          candidate_name="b", num_classes=4)  # fmt: skip


def test_the_fused_join_is_the_residual_add() -> None:
    t = trace(_net("fused"), (3, 16, 16))
    assert len([b for b in t.structure.blocks if b.merge_op is not None]) == 2
    assert not _compare("unfused", "fused").mismatches
    assert not _compare("fused", "unfused").mismatches


@pytest.mark.parametrize("join", ["swapped", "half"])
def test_another_join_stays_a_difference(join: str) -> None:
    assert _compare("fused", join).mismatches


class _Scaled(nn.Module):
    """EDSR's residual scaling: ``res * 0.1 + x`` unfused, or ``x.add(res, alpha=...)``."""

    def __init__(self, join: str) -> None:
        super().__init__()
        self.conv, self.join = nn.Conv2d(8, 8, 3, padding=1), join

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        res = self.conv(x)
        if self.join == "unfused":
            res = res * 0.1
            res += x
            return res
        return x.add(res, alpha=0.2 if self.join == "alpha_0.2" else 0.1)


def _scaled(join: str) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Scaled(join), _Scaled(join), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


def _compare_scaled(ref: str, cand: str) -> Comparison:
    return compare_traces(trace(_scaled(ref), (3, 16, 16)), trace(_scaled(cand), (3, 16, 16)),
                          reference_name="a", candidate_name="b", num_classes=4)  # fmt: skip


def test_an_add_with_alpha_is_the_scaled_branch_added() -> None:
    """(#23 heldout48's edsr_add_alpha: the multiply by 0.1 read as missing in every block.)"""
    for ref, cand in (("unfused", "alpha_0.1"), ("alpha_0.1", "unfused")):
        assert not _compare_scaled(ref, cand).mismatches
    for ref, cand in (("unfused", "alpha_0.2"), ("alpha_0.2", "alpha_0.1")):
        assert _compare_scaled(ref, cand).mismatches
