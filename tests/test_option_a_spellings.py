"""Option-A shortcuts as public CIFAR code writes their zero channels (#23, heldout29 / heldout30):
``torch.zeros(...)`` made inside the shortcut, ``x.mul(0)`` (iCaRL's DownsampleA), ``F.pad`` on the
channels. Each is named option A against a 1x1-conv projection, and nothing else: a tensor made from
nothing belongs to the path that reads it (not the head), and zeros stand in for no BatchNorm. In a
half-width network the shortcut's slice and channel pad follow the width: widths, nothing more."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing import opkinds
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern, Region

Zeros = Callable[[torch.Tensor, int], torch.Tensor]


def _made(x: torch.Tensor, c: int) -> torch.Tensor:
    return torch.zeros(x.shape[0], c, x.shape[2], x.shape[3])


def _mul0(x: torch.Tensor, c: int) -> torch.Tensor:
    return x[:, :c].mul(0)


class _Block(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, zeros: Zeros | None) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1, self.bn2 = nn.BatchNorm2d(cout), nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.zeros, self.extra = zeros, cout - cin
        self.shortcut: nn.Module = nn.Identity()
        if self.extra and zeros is None:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = self.shortcut(x)
        if self.extra and self.zeros is not None:
            sub = x[:, :, ::2, ::2]
            skip = torch.cat((sub, self.zeros(sub, self.extra)), 1)
        return F.relu(skip + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


def _net(zeros: Zeros | None, w: int = 8) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, w, 3, padding=1), _Block(w, w, 1, zeros), _Block(w, 2 * w, 2, zeros),
        _Block(2 * w, 2 * w, 1, zeros), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * w, 10),
    )  # fmt: skip


def test_a_multiply_by_zero_is_a_zero_fill() -> None:
    x = torch.zeros(1, 4, 2, 2)
    assert opkinds.classify("mul", (x, 0), {}, 1) == (opkinds.OpKind.OTHER, {"function": "zeros_like"})
    assert opkinds.classify("mul", (x, 2.0), {}, 1)[1]["scalar"] == 2.0


@pytest.mark.parametrize("zeros", [_made, _mul0], ids=["torch_zeros", "mul_0"])
def test_option_a_zeros_are_named_option_a_only(zeros: Zeros) -> None:
    ref, cand = trace(_net(None), 16), trace(_net(zeros), 16)
    c = compare_traces(ref, cand, reference_name="ref", candidate_name="cand", num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.OPTION_A_SHORTCUT], [f.title for f in c.findings]
    assert not c.unexplained and all(m.region is Region.SHORTCUT for m in c.mismatches)


class _PadBlock(_Block):
    """Option A by a channel pad (no shortcut module: ``zeros`` only switches the projection off)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = x
        if self.extra:
            skip = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.extra // 2, self.extra // 2))
        return F.relu(skip + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


def _pad_net(w: int) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, w, 3, padding=1), _PadBlock(w, w, 1, _made), _PadBlock(w, 2 * w, 2, _made),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * w, 10),
    )  # fmt: skip


def test_an_option_a_pad_follows_the_width() -> None:
    ref, cand = trace(_pad_net(16), 16), trace(_pad_net(8), 16)
    c = compare_traces(ref, cand, reference_name="ref", candidate_name="cand", num_classes=10)
    assert {m.field for m in c.mismatches} >= {"pad"}
    assert [f.pattern for f in c.findings] == [Pattern.WIDTHS] and not c.unexplained
