"""Split attention whose softmax weights are split into their radix parts before they multiply the branches
(ResNeSt's official SplAtConv2d: ``attens = torch.split(atten, rchannel // radix, dim=1)``) is the branch
attention it is, either way round (heldout140 rs_radix0: read as "a SplAtConv2d in place of conv2", unnamed;
verify/patterns/branch_attention.py); a softmax whose split parts gate nothing stays unnamed."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _SplitAttention(nn.Module):
    def __init__(self, c: int, radix: int = 2, gates: bool = True) -> None:
        super().__init__()
        self.c, self.radix, self.gates = c, radix, gates
        self.conv = nn.Conv2d(c, c * radix, 3, padding=1, groups=radix, bias=False)
        self.bn, self.fc1, self.fc2 = (
            nn.BatchNorm2d(c * radix),
            nn.Conv2d(c, 8, 1),
            nn.Conv2d(8, c * radix, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn(self.conv(x)))
        splits = torch.split(x, self.c, dim=1)
        gap = torch.relu(self.fc1(sum(splits).mean((2, 3), keepdim=True)))  # type: ignore[union-attr]
        atten = self.fc2(gap).view(x.shape[0], self.radix, -1).softmax(dim=1).reshape(x.shape[0], -1, 1, 1)
        attens = torch.split(atten, self.c, dim=1)
        if not self.gates:
            return sum(splits) + sum(a.mean() for a in attens)  # type: ignore[return-value]
        return sum(a * s for a, s in zip(attens, splits, strict=True))  # type: ignore[return-value]


class _Block(nn.Module):
    def __init__(self, attention: bool, gates: bool = True) -> None:
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(16, 8, 1, bias=False), nn.BatchNorm2d(8)
        self.conv2: nn.Module = (
            _SplitAttention(8, gates=gates) if attention else nn.Conv2d(8, 8, 3, padding=1)
        )
        self.conv3, self.bn3 = nn.Conv2d(8, 16, 1, bias=False), nn.BatchNorm2d(16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv2(torch.relu(self.bn1(self.conv1(x))))
        return torch.relu(x + self.bn3(self.conv3(out)))


def _net(attention: bool, gates: bool = True) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         _Block(attention, gates), _Block(attention, gates), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(16, 4))  # fmt: skip


def _patterns(reference: nn.Module, candidate: nn.Module) -> set[Pattern]:
    r, c = trace(reference, (3, 8, 8)), trace(candidate, (3, 8, 8))
    return {
        f.pattern
        for f in compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4).findings
    }


def test_split_attention_weights_split_before_the_multiply_are_named_either_way() -> None:
    assert Pattern.BRANCH_ATTENTION in _patterns(_net(False), _net(True))
    assert Pattern.BRANCH_ATTENTION in _patterns(_net(True), _net(False))


def test_split_softmax_parts_that_gate_nothing_are_no_branch_attention() -> None:
    """Must not fire: the same softmax's parts only summed into the output multiply no branch."""
    assert Pattern.BRANCH_ATTENTION not in _patterns(_net(False), _net(True, gates=False))
