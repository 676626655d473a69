"""Blocks skipped at random while training by the loop that runs them (LayerDrop: ``if self.training and
torch.rand(()) < rate: continue``; #23 heldout108's tower_layer_drop was "a training-mode branch"): draws
that only decide, computing nothing training alone runs, are stochastic depth whichever side holds them. A
draw that decides an augmentation computes something (a flip) and stays a training-mode branch."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.conv(x))


class _Tower(nn.Module):
    def __init__(self, mode: str = "") -> None:
        super().__init__()
        self.mode = mode
        self.stem, self.blocks, self.fc = (
            nn.Conv2d(3, 8, 3, padding=1),
            nn.ModuleList(_Block() for _ in range(6)),
            nn.Linear(8, 4),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for i, block in enumerate(self.blocks):
            if self.mode == "drop" and self.training and torch.rand(()) < 0.1 * i:
                continue
            x = block(x)
        return self.fc(x.mean((2, 3)))


class _Flip(_Tower):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.training and torch.rand(()) < 0.5:
            x = x.flip(3)
        for block in self.blocks:
            x = block(x)
        return self.fc(x.mean((2, 3)))


def plain() -> nn.Module:
    return _Tower()


def layer_drop() -> nn.Module:
    return _Tower("drop")


@pytest.mark.parametrize(("candidate", "reference"), [(_Tower("drop"), "plain"), (_Tower(), "layer_drop")])
def test_blocks_skipped_at_random_by_the_loop_are_stochastic_depth(
    candidate: nn.Module, reference: str
) -> None:
    c = compare(candidate, f"{__file__}:{reference}", input_size=8, num_classes=4)
    assert [f.pattern for f in c.findings] == [Pattern.STOCHASTIC_DEPTH], [f.message for f in c.findings]


def test_a_draw_deciding_an_augmentation_is_not() -> None:
    c = compare(_Flip(), f"{__file__}:plain", input_size=8, num_classes=4)
    assert c.findings and Pattern.STOCHASTIC_DEPTH not in {f.pattern for f in c.findings}
