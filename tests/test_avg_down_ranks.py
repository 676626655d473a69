"""The ResNet-D average-pool shortcut is the same variant on 1-D signals (``AvgPool1d(2)`` then a
kernel-1 ``Conv1d``): named either way round, with the pool spelled for its rank; a strided kernel-3
projection is not it."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Block1d(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, shortcut: str) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(cin, cout, 3, stride, 1, bias=False)
        self.bn1, self.conv2, self.bn2 = (
            nn.BatchNorm1d(cout),
            nn.Conv1d(cout, cout, 3, 1, 1, bias=False),
            nn.BatchNorm1d(cout),
        )
        self.down: nn.Module = nn.Identity()
        if stride != 1 or cin != cout:
            conv = {"avg": nn.Conv1d(cin, cout, 1, bias=False), "strided": nn.Conv1d(cin, cout, 1, stride, bias=False),
                    "k3": nn.Conv1d(cin, cout, 3, stride, 1, bias=False)}[shortcut]  # fmt: skip
            pool = [nn.AvgPool1d(stride)] if shortcut == "avg" else []
            self.down = nn.Sequential(*pool, conv, nn.BatchNorm1d(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))) + self.down(x))


def _net(shortcut: str) -> nn.Module:
    return nn.Sequential(nn.Conv1d(1, 8, 7, 2, 3), nn.BatchNorm1d(8), nn.ReLU(),
                         _Block1d(8, 8, 1, shortcut), _Block1d(8, 16, 2, shortcut), _Block1d(16, 32, 2, shortcut),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))  # fmt: skip


def _findings(ref: str, cand: str) -> list[Pattern]:
    c = compare_traces(trace(_net(ref), (1, 256)), trace(_net(cand), (1, 256)), reference_name="r",
                       candidate_name="c", num_classes=4)  # fmt: skip
    assert c.mismatches
    named = [f for f in c.findings if f.pattern is Pattern.AVG_DOWN]
    assert all("AvgPool1d(2" in f.message and "1 of every 2" in f.message for f in named)
    return [f.pattern for f in c.findings]


@pytest.mark.parametrize(("ref", "cand"), [("avg", "strided"), ("strided", "avg")])
def test_the_1d_avg_pool_shortcut_is_resnet_d(ref: str, cand: str) -> None:
    assert _findings(ref, cand) == [Pattern.AVG_DOWN]


def test_a_strided_kernel3_projection_is_not_resnet_d() -> None:
    assert Pattern.AVG_DOWN not in _findings("avg", "k3")
