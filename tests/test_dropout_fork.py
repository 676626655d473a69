"""An eval-mode dropout returns its input object, so later reads of that tensor read the dropout; the
block's fork is read through it where an op of the block read its input first (tracing/forks.py; #23
heldout52's adapters_dropout2d: a dropout on a parallel adapter's input became every block's fork, and
the block's 3x3 conv read as missing)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Adapted(nn.Module):
    def __init__(self, dropout: bool) -> None:
        super().__init__()
        self.conv, self.conv2 = nn.Conv2d(8, 8, 3, padding=1), nn.Conv2d(8, 8, 3, padding=1)
        self.adapter, self.bn, self.dropout = nn.Conv2d(8, 8, 1), nn.BatchNorm2d(8), dropout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        a = F.dropout2d(x, 0.5, self.training) if self.dropout else x
        out = self.conv2(torch.relu(self.bn(y + self.adapter(a))))
        return torch.relu(out + x)


def _net(dropout: bool) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Adapted(dropout), _Adapted(dropout),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


def test_a_dropout_on_an_adapters_input_leaves_the_blocks_fork_alone() -> None:
    with_dropout, without = trace(_net(True), (3, 8, 8)), trace(_net(False), (3, 8, 8))
    forks = [[b.fork_op for b in t.structure.blocks] for t in (with_dropout, without)]
    assert [with_dropout.ops[f].name for f in forks[0]] == [without.ops[f].name for f in forks[1]]
    for ref, cand in ((without, with_dropout), (with_dropout, without)):
        c = compare_traces(ref, cand, reference_name="a", candidate_name="b", num_classes=4)
        assert {f.pattern for f in c.findings} == {Pattern.DROPOUT}, [f.pattern for f in c.findings]
        assert not c.unexplained
