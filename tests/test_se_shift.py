"""A squeeze-excitation unit whose excitation also yields a per-channel shift (Leela Chess Zero's SE:
the second Linear gives 2C values, chunked into ``scale`` and ``shift``, ``sigmoid(scale) * x + shift``)
is a squeeze-excitation unit: a block without it is told as SE missing, and a plain SE against it is
no SE added (its missing shift is what differs)."""

from __future__ import annotations

import pytest
import torch
from fixtures.pairs import patterns_of
from torch import nn

from resnet_verify.verify.records import Pattern


class _Gate(nn.Module):
    def __init__(self, c: int, shift: bool) -> None:
        super().__init__()
        self.shift = shift
        self.fc1, self.fc2 = nn.Linear(c, c // 4), nn.Linear(c // 4, 2 * c if shift else c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = x.shape[0]
        s = self.fc2(torch.relu(self.fc1(x.mean((2, 3))))).view(n, -1, 1, 1)
        if not self.shift:
            return x * torch.sigmoid(s)
        scale, bias = s.chunk(2, dim=1)
        return torch.sigmoid(scale) * x + bias


class _Block(nn.Module):
    def __init__(self, c: int, gate: str) -> None:
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.gate: nn.Module = _Gate(c, gate == "shift") if gate != "none" else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(x + self.gate(y))


def _tower(gate: str) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        *[_Block(32, gate) for _ in range(3)],
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),
    )  # fmt: skip


@pytest.mark.parametrize(("ref", "cand"), [("shift", "none"), ("none", "shift")])
def test_an_se_with_a_shift_is_squeeze_excitation(ref: str, cand: str) -> None:
    assert patterns_of(_tower(ref), _tower(cand), (3, 32, 32)) == {Pattern.SQUEEZE_EXCITATION}


def test_a_plain_se_against_one_with_a_shift_adds_no_se() -> None:
    found = patterns_of(_tower("shift"), _tower("plain"), (3, 32, 32))
    assert not found & {Pattern.SQUEEZE_EXCITATION, Pattern.CHANNEL_GATE}, found
