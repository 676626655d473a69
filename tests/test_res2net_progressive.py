"""Res2Net's official block concatenates as it goes (``out = torch.cat((out, sp), 1)`` per group, then the
last group passed through): the multi-scale unit ends at the last concat of that chain and takes the ReLU
feeding its split, so the whole hierarchy is one finding (heldout140 r2_scale1: multi_scale_block claimed 63 of
105 mismatches, the rest split into five findings of their own; verify/patterns/multi_scale.py)."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self, scale: int) -> None:
        super().__init__()
        self.scale, self.width = scale, 16 // scale
        self.conv1, self.bn1 = nn.Conv2d(32, 16, 1, bias=False), nn.BatchNorm2d(16)
        n = max(scale - 1, 1)
        self.convs = nn.ModuleList(
            nn.Conv2d(self.width, self.width, 3, padding=1, bias=False) for _ in range(n)
        )
        self.bns = nn.ModuleList(nn.BatchNorm2d(self.width) for _ in range(n))
        self.conv3, self.bn3 = nn.Conv2d(16, 32, 1, bias=False), nn.BatchNorm2d(32)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        pieces = torch.split(out, self.width, 1)
        sp = pieces[0]
        for i, (conv, bn) in enumerate(zip(self.convs, self.bns, strict=True)):
            sp = self.relu(bn(conv(sp if i == 0 else sp + pieces[i])))
            out = sp if i == 0 else torch.cat((out, sp), 1)
        if self.scale > 1:
            out = torch.cat((out, pieces[-1]), 1)
        return self.relu(x + self.bn3(self.conv3(out)))


def _net(scale: int) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                         _Block(scale), _Block(scale), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(32, 4))  # fmt: skip


def test_a_progressive_hierarchy_is_one_multi_scale_finding_either_way() -> None:
    for ref, cand in ((1, 4), (4, 1)):
        r, c = trace(_net(ref), (3, 8, 8)), trace(_net(cand), (3, 8, 8))
        comparison = compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)
        (finding,) = comparison.findings
        assert finding.pattern is Pattern.MULTI_SCALE and finding.title.startswith("Hierarchical multi-scale")
        assert set(finding.mismatches) == set(range(len(comparison.mismatches)))


def test_the_same_hierarchy_is_clean() -> None:
    """Must not fire: the same scale both sides."""
    r, c = trace(_net(4), (3, 8, 8)), trace(_net(4), (3, 8, 8))
    assert not compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4).mismatches
