"""A width in the ratio of a window that changed in the same block follows from the window
(verify/patterns/widths.py; #23 heldout65's rednet_kernel3: an involution's kernel generator makes
K x K x groups channels, so 3x3 involutions for 7x7 were named "bottleneck widths 0.184x")."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Involution(nn.Module):
    """A kernel generated per pixel (K x K per group of channels), applied to the unfolded input."""

    def __init__(self, width: int, k: int, groups: int = 2) -> None:
        super().__init__()
        self.k, self.groups = k, groups
        self.reduce = nn.Conv2d(width, width // 2, 1)
        self.span = nn.Conv2d(width // 2, k * k * groups, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        kernel = self.span(torch.relu(self.reduce(x))).view(n, self.groups, 1, self.k * self.k, h, w)
        cols = F.unfold(x, self.k, padding=self.k // 2).view(
            n, self.groups, c // self.groups, self.k * self.k, h, w
        )
        return (kernel * cols).sum(dim=3).view(n, c, h, w)


class _Net(nn.Module):
    def __init__(self, k: int, width: int = 8) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        self.blocks = nn.ModuleList([_Involution(width, k) for _ in range(2)])
        self.fc = nn.Linear(width, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        for block in self.blocks:
            x = torch.relu(x + block(x))
        return self.fc(x.mean((2, 3)))


def _patterns(ref: nn.Module, cand: nn.Module) -> set[Pattern]:
    c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                       num_classes=4)  # fmt: skip
    assert c.mismatches
    return {f.pattern for f in c.findings}


def test_a_kernel_generators_width_follows_from_its_window_either_way() -> None:
    assert Pattern.WIDTHS not in _patterns(_Net(7), _Net(3))
    assert Pattern.WIDTHS not in _patterns(_Net(3), _Net(7))
    # must not fire: the network made wider is the widths, the window the same
    assert Pattern.WIDTHS in _patterns(_Net(3), _Net(3, width=16))
