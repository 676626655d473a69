"""Expert heads that each end with softmax, mixed by a router's weighted sum, make the model return
probabilities: ``softmax_output``, either way round. A softmax whose mixture a Linear then reads is
computing on, not the output."""

from __future__ import annotations

import pytest
import torch
from fixtures.pairs import patterns_of
from torch import nn
from torchvision.models import resnet18

from resnet_verify.verify.records import Pattern


class _Experts(nn.Module):
    def __init__(self, softmax: bool, after: bool = False) -> None:
        super().__init__()
        self.heads = nn.ModuleList(nn.Linear(512, 10) for _ in range(3))
        self.router, self.softmax = nn.Linear(512, 3), softmax
        self.after = nn.Linear(10, 10) if after else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outs = [h(x).softmax(1) if self.softmax else h(x) for h in self.heads]
        mixed = (torch.stack(outs, 1) * self.router(x).softmax(1).unsqueeze(2)).sum(1)
        return self.after(mixed) if self.after is not None else mixed


def _net(softmax: bool, after: bool = False) -> nn.Module:
    model = resnet18()
    model.fc = _Experts(softmax, after)
    return model


def _patterns(ref: nn.Module, cand: nn.Module) -> set[Pattern]:
    return patterns_of(ref, cand, (3, 32, 32))


@pytest.mark.parametrize("swap", [False, True])
def test_mixed_softmax_heads_are_a_softmax_output(swap: bool) -> None:
    a, b = _net(False), _net(True)
    assert Pattern.OUTPUT_SOFTMAX in _patterns(*((b, a) if swap else (a, b)))


def test_a_mixture_a_layer_reads_is_no_softmax_output() -> None:
    assert Pattern.OUTPUT_SOFTMAX not in _patterns(_net(False, after=True), _net(True, after=True))
