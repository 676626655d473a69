"""A channel shuffle left out between the same moves is one difference, said once: where a reader's
input is arranged otherwise (verify/arrangement.py) the moves on its way (a chunk, a concatenation,
spelled alike on both sides) do not say it a second time as "moved otherwise"; moves that do differ
(the halves concatenated the other way round, no shuffle after) still do."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.arrangement import FIELD
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Mismatch


def _shuffled(x: torch.Tensor, groups: int) -> torch.Tensor:
    n, c, h, w = x.shape
    return x.view(n, groups, c // groups, h, w).transpose(1, 2).contiguous().view(n, c, h, w)


class _SplitUnit(nn.Module):
    """ShuffleNet-v2-style unit: half the channels pass, half go through a conv; joined, then shuffled."""

    def __init__(self, c: int, shuffle: bool, branch_first: bool) -> None:
        super().__init__()
        self.shuffle, self.branch_first = shuffle, branch_first
        self.branch = nn.Sequential(
            nn.Conv2d(c // 2, c // 2, 3, padding=1, bias=False), nn.BatchNorm2d(c // 2)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        kept, worked = x.chunk(2, dim=1)
        parts = (self.branch(worked), kept) if self.branch_first else (kept, self.branch(worked))
        y = torch.cat(parts, dim=1)
        return _shuffled(y, 2) if self.shuffle else y


class _Net(nn.Module):
    def __init__(self, shuffle: bool = True, branch_first: bool = False) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.unit = _SplitUnit(16, shuffle, branch_first)
        self.fuse = nn.Conv2d(16, 16, 1)
        self.head = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.unit(self.stem(x))
        x = x + self.fuse(x)
        return self.head(x.mean((2, 3)))


def _mismatches(ref: nn.Module, cand: nn.Module) -> list[Mismatch]:
    c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    return list(c.mismatches)


@pytest.mark.parametrize("shuffled_is_reference", [True, False])
def test_a_shuffle_left_out_is_said_once_where_it_is_left_out(shuffled_is_reference: bool) -> None:
    ref, cand = (_Net(True), _Net(False)) if shuffled_is_reference else (_Net(False), _Net(True))
    found = _mismatches(ref, cand)
    assert [(m.field, m.reference_path, m.candidate_path) for m in found] == [(FIELD, "unit", "unit")]


@pytest.mark.parametrize("swap", [False, True])
def test_halves_joined_the_other_way_round_are_still_moved_otherwise(swap: bool) -> None:
    ref, cand = (_Net(shuffle=False, branch_first=False), _Net(shuffle=False, branch_first=True))
    found = _mismatches(*((cand, ref) if swap else (ref, cand)))
    assert any("moved otherwise" in m.message for m in found)
    assert not any(m.field == FIELD and "arranged otherwise" in m.message for m in found)


def test_the_same_unit_is_no_difference() -> None:
    assert _mismatches(_Net(), _Net()) == []
