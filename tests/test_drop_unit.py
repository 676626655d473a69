"""A drop path drawn once for the whole batch (torchvision's ``StochasticDepth(p, "batch")``) against one
drawn per sample (``"row"``, timm's ``DropPath``): the same rate at the same place, and eval forwards
identical, but training skips a block for every sample at once. One difference per block, said as the
unit of the draw, never claimed as stochastic depth added or re-rated (#23 heldout124 sd_tvops_batch,
a false "no difference")."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.ops import StochasticDepth

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Block(nn.Module):
    def __init__(self, mode: str) -> None:
        super().__init__()
        self.conv = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        self.drop = StochasticDepth(0.2, mode)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.drop(self.bn(self.conv(x))))


class _Net(nn.Module):
    def __init__(self, mode: str) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.blocks = nn.Sequential(_Block(mode), _Block(mode))
        self.fc = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.blocks(self.stem(x)).mean((2, 3)))


def _compare(candidate: str, reference: str) -> Comparison:
    return compare_traces(trace(_Net(reference), 32), trace(_Net(candidate), 32), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


def test_a_drop_drawn_per_batch_is_a_difference_either_way() -> None:
    for candidate, reference in (("batch", "row"), ("row", "batch")):
        c = _compare(candidate, reference)
        assert [m.field for m in c.mismatches] == ["unit", "unit"]
        assert Pattern.STOCHASTIC_DEPTH not in {f.pattern for f in c.findings}
        text = " ".join(f.message for f in c.findings)
        assert "the whole batch at once" in text and "each sample on its own" in text, text


def test_the_same_unit_compares_clean() -> None:  # must not fire
    for mode in ("row", "batch"):
        assert not _compare(mode, mode).mismatches
