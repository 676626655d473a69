"""Crops as SiamDW's cropping-inside-residual units write them (#23, heldout33): a negative pad is the
slice it takes, a crop commutes with the ReLU before it, and a one-pixel crop reads ``1:-1`` on any
map, so a crop left out upstream is one difference, not one per block."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.op_args import axis_bound
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison

Unit = Callable[[torch.Tensor, nn.Module], torch.Tensor]


def _sliced(x: torch.Tensor, conv: nn.Module) -> torch.Tensor:
    return torch.relu(x + conv(x))[:, :, 1:-1, 1:-1]


def _padded(x: torch.Tensor, conv: nn.Module) -> torch.Tensor:
    return F.pad(torch.relu(x + conv(x)), (-1, -1, -1, -1))


def _crop_first(x: torch.Tensor, conv: nn.Module) -> torch.Tensor:
    return torch.relu((x + conv(x))[:, :, 1:-1, 1:-1])


class _Net(nn.Module):
    def __init__(self, unit: Unit, stem_crop: bool = True) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.convs = nn.ModuleList(nn.Conv2d(8, 8, 3, padding=1) for _ in range(3))
        self.unit, self.stem_crop = unit, stem_crop
        self.fc = nn.Linear(8, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = x[:, :, 2:-2, 2:-2] if self.stem_crop else x
        for conv in self.convs:
            x = self.unit(x, conv)
        return self.fc(x.mean((2, 3)))


def _compare(reference: nn.Module, candidate: nn.Module) -> Comparison:
    return compare_traces(trace(reference, 32), trace(candidate, 32), reference_name="a", candidate_name="b",
                          num_classes=10)  # fmt: skip


@pytest.mark.parametrize("unit", [_padded, _crop_first], ids=["negative_pad", "crop_before_relu"])
def test_one_crop_however_written(unit: Unit) -> None:
    c = _compare(_Net(_sliced), _Net(unit))
    assert not c.mismatches, [m.message for m in c.mismatches[:4]]


def test_a_crop_left_out_upstream_is_not_a_crop_changed_in_every_block() -> None:
    c = _compare(_Net(_sliced), _Net(_sliced, stem_crop=False))
    assert c.mismatches and "bounds" not in {m.field for m in c.mismatches}, [m.message for m in c.mismatches]


def test_bounds_are_written_from_the_nearer_end() -> None:
    assert axis_bound(1, 31, 1, 32) == axis_bound(1, 29, 1, 30) == "1:-1"
    assert axis_bound(12, 16, 1, 16) == "-4:" and axis_bound(0, 4, 1, 16) == "0:4"
    assert axis_bound(0, 8, 2, 8) == "::2"
