"""A cross-stage partial stage sets part of its channels aside: its concat reads a cut of the stage's
input (a slice, a 1x1 conv) that no computation touches. A concat of a tensor with what was computed
from it (DenseNet, a reversible block's halves) and a part updated by arithmetic (a Hamiltonian
network's p - h * f(y)) are no CSP stage: no ``cross_stage_partial``, either way round."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.records import BlockKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Res(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.f = nn.Sequential(
            nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c, 3, padding=1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.f(x)


class _Stage(nn.Module):
    """``kind``: "csp" (half the channels set aside), "dense" (the input kept whole beside the blocks'
    output), "hamiltonian" (the other half updated by p - 0.1 * f(y))."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind, self.res = kind, _Res(8)
        self.mix = nn.Conv2d(16, 16, 1) if kind != "dense" else nn.Conv2d(24, 16, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y, p = x[:, :8], x[:, 8:]
        if self.kind == "dense":
            return self.mix(torch.cat([x, self.res(y)], 1))
        if self.kind == "hamiltonian":
            y = self.res(y)
            return self.mix(torch.cat([y, p - 0.1 * torch.tanh(y)], 1))
        return self.mix(torch.cat([self.res(y), p], 1))


def _net(kind: str) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), _Stage(kind), _Stage(kind),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))  # fmt: skip


def _cross_stage_units(kind: str) -> int:
    return sum(b.kind is BlockKind.CROSS_STAGE for b in trace(_net(kind), (3, 16, 16)).structure.blocks)


def test_a_part_set_aside_is_a_cross_stage_join() -> None:
    assert _cross_stage_units("csp") > 0


@pytest.mark.parametrize("kind", ["dense", "hamiltonian"])
def test_a_whole_or_updated_part_is_no_cross_stage_join(kind: str) -> None:
    assert _cross_stage_units(kind) == 0


@pytest.mark.parametrize("swap", [False, True])
def test_a_hamiltonian_update_is_not_named_cross_stage(swap: bool) -> None:
    a, b = trace(_net("hamiltonian"), (3, 16, 16)), trace(_net("dense"), (3, 16, 16))
    ref, cand = (b, a) if swap else (a, b)
    c = compare_traces(ref, cand, reference_name="r", candidate_name="c", num_classes=10)
    assert c.mismatches and Pattern.CROSS_STAGE_PARTIAL not in {f.pattern for f in c.findings}
