"""A projection shortcut whose BatchNorm is computed but not assigned (``self.bn_sc(shortcut)`` on a line of
its own, a Keras port's slip; #23 heldout112's keras_shortcut_bn_dropped) projects without it: the model as
built is projection_without_bn, either way round. A main-path BN left unread is not that variant."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self, cin: int, cout: int, slip: str = "") -> None:
        super().__init__()
        self.slip = slip
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, 2, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv_sc, self.bn_sc = nn.Conv2d(cin, cout, 1, 2, bias=False), nn.BatchNorm2d(cout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.conv2(out)
        if self.slip == "main":
            self.bn2(out)
        else:
            out = self.bn2(out)
        shortcut = self.conv_sc(x)
        if self.slip == "shortcut":
            self.bn_sc(shortcut)
        else:
            shortcut = self.bn_sc(shortcut)
        return torch.relu(out + shortcut)


def _net(slip: str = "") -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(), _Block(8, 16, slip),
                         _Block(16, 32, slip), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))  # fmt: skip


def _findings(ref: nn.Module, cand: nn.Module) -> list[Pattern]:
    c = compare_traces(trace(ref, (3, 16, 16)), trace(cand, (3, 16, 16)), reference_name="a", candidate_name="b",
                       num_classes=4)  # fmt: skip
    assert not c.unexplained
    return [f.pattern for f in c.findings]


@pytest.mark.parametrize("swap", [False, True])
def test_an_unread_projection_bn_is_a_projection_without_bn(swap: bool) -> None:
    ref, cand = (_net("shortcut"), _net()) if swap else (_net(), _net("shortcut"))
    assert _findings(ref, cand) == [Pattern.PROJECTION_WITHOUT_BN]


def test_an_unread_main_path_bn_is_not() -> None:
    assert Pattern.PROJECTION_WITHOUT_BN not in _findings(_net(), _net("main"))
