"""A training-mode branch the root's own forward runs (manifold mixup between two stages) is placed at the
root: its mismatches carry the root's path "" on both sides, not None (heldout131 mixup_index_forgotten: the
permutation drawn and never read, one mismatch with no path, so nowhere to look; verify/regularizer_diff.py)."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Block(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv, self.bn = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.bn(self.conv(x)))


class _Net(nn.Module):
    def __init__(self, shuffled: bool = True) -> None:
        super().__init__()
        self.shuffled = shuffled
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.layer1, self.layer2 = _Block(8), _Block(8)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer1(self.stem(x))
        if self.training:  # manifold mixup after layer1
            index = torch.randperm(out.shape[0])
            out = 0.7 * out + 0.3 * (out[index] if self.shuffled else out)
        return self.fc(self.layer2(out).mean((2, 3)))


def test_a_root_mixup_computing_otherwise_is_placed_at_the_root() -> None:
    r, c = trace(_Net(), (3, 8, 8)), trace(_Net(shuffled=False), (3, 8, 8))
    comparison = compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)
    calls = [m for m in comparison.mismatches if m.field == "calls"]
    assert calls and all((m.reference_path, m.candidate_path) == ("", "") for m in calls)


def test_the_same_root_mixup_is_clean() -> None:
    """Must not fire: the same branch both sides compares clean."""
    r, c = trace(_Net(), (3, 8, 8)), trace(_Net(), (3, 8, 8))
    assert not compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4).mismatches
