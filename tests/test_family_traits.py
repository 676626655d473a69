"""The "not a residual network" verdict says what the candidate does instead only where it is so: a
channel concat of feature maps (DenseNet's) is "concatenates feature maps instead"; a stack over a
new leading axis (a spiking network's time steps) is no concatenation of feature maps."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Unit(nn.Module):
    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.how = how
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.conv2 = nn.Conv2d(2 * c if how == "dense" else c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.conv1(x))
        if self.how == "residual":
            return torch.relu(x + self.conv2(y))
        if self.how == "dense":
            return torch.relu(self.conv2(torch.cat([x, y], dim=1)))
        assert self.how == "stacked"  # two steps stacked on a new axis, then multiplied: no skip, no concat
        steps = torch.stack([y, torch.sigmoid(y)], dim=0)
        return torch.relu(self.conv2(steps[1] * steps[0]))


def _net(how: str) -> nn.Module:
    # the candidates are other networks, not the reference with its adds removed: other widths and depth
    c, n = (16, 3) if how == "residual" else (24, 5)
    return nn.Sequential(
        nn.Conv2d(3, c, 3, padding=1), nn.ReLU(), *(_Unit(c, how) for _ in range(n)),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10),
    )  # fmt: skip


@pytest.mark.parametrize(("how", "concat"), [("dense", True), ("stacked", False)])
def test_the_verdict_says_concatenation_only_for_a_channel_concat(how: str, concat: bool) -> None:
    c = compare_traces(trace(_net("residual"), (3, 16, 16)), trace(_net(how), (3, 16, 16)), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    verdict = [f.message for f in c.findings if f.pattern is Pattern.NOT_RESIDUAL]
    assert verdict, [f.title for f in c.findings]
    assert ("concatenates feature maps" in verdict[0]) is concat, verdict[0]
