"""A pre-activation network with more blocks per stage is one block-count difference: the BN-ReLU that opens
the next stage sits in the tail of each stage's last block and moves with it (patterns/moved_tails.py; #23
heldout114's wrn_22_2 also got "BatchNorm / ReLU missing after the add, in 3 blocks")."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Pre(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.short = nn.Conv2d(cin, cout, 1, stride, bias=False) if stride != 1 or cin != cout else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        o = torch.relu(self.bn1(x))
        y = self.conv2(torch.relu(self.bn2(self.conv1(o))))
        return y + (x if self.short is None else self.short(o))


def _wrn(n: int) -> nn.Module:
    layers: list[nn.Module] = [nn.Conv2d(3, 8, 3, padding=1, bias=False)]
    for cin, cout, stride in ((8, 8, 1), (8, 16, 2)):
        layers += [_Pre(cin, cout, stride), *(_Pre(cout, cout, 1) for _ in range(n - 1))]
    return nn.Sequential(
        *layers, nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4)
    )


@pytest.mark.parametrize(("ref", "cand"), [(2, 3), (3, 2)])
def test_more_preact_blocks_per_stage_are_one_block_count(ref: int, cand: int) -> None:
    c = compare_traces(trace(_wrn(ref), (3, 8, 8)), trace(_wrn(cand), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert [f.pattern for f in c.findings] == [Pattern.BLOCK_COUNTS], [f.message for f in c.findings]
    assert not c.unexplained
