"""Positions picked or written along an axis are part of what an index computes: ``x[:, kept]`` with a
kept-channel list off by one keeps every shape and parameter count (#23 heldout125
scatter_kept_one_based, a false "no difference"). A list of positions records them
(``op_args.index_bound``); positions that form a range read as that slice, one spelling either way."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from resnet_verify.tracing.op_args import index_bound
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


class _Picked(nn.Module):
    """A conv to 8 channels written into positions of a 16-channel map, added to the shortcut."""

    def __init__(self, positions: Any) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.conv = nn.Conv2d(16, 8, 3, padding=1, bias=False)
        self.positions = positions
        self.fc = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        out = torch.zeros_like(x)
        out[:, self.positions] = self.conv(x)
        return self.fc(torch.relu(out + x).mean((2, 3)))


def _compare(candidate: object, reference: object) -> Comparison:
    return compare_traces(trace(_Picked(reference), 16), trace(_Picked(candidate), 16), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


KEPT = [0, 2, 3, 5, 8, 9, 12, 14]


def test_positions_off_by_one_are_a_difference() -> None:
    c = _compare([k + 1 for k in KEPT], KEPT)
    (m,) = c.mismatches
    assert m.field == "bounds" and "[1 3 4 6 9 10 13 15]" in str(m.actual)


def test_the_same_positions_compare_clean_however_held() -> None:  # must not fire
    assert not _compare(torch.tensor(KEPT), KEPT).mismatches
    assert not _compare(list(range(0, 16, 2)), slice(0, 16, 2)).mismatches


def test_an_index_without_values_records_nothing() -> None:
    assert index_bound(torch.tensor(KEPT, device="meta"), 16) == "?"  # (no values: buffer_values.UNREAD)
    assert index_bound(torch.tensor([True, False]), 2) is None
    assert index_bound([1, 2, 3], 16) == "1:4"


class _Selected(nn.Module):
    """A channel selection (network slimming's) written as indexing or as ``index_select``."""

    kept: torch.Tensor

    def __init__(self, spelling: str) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.register_buffer("kept", torch.tensor(KEPT))
        self.conv = nn.Conv2d(8, 16, 3, padding=1, bias=False)
        self.spelling = spelling
        self.fc = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        picked = x[:, self.kept] if self.spelling == "index" else x.index_select(1, self.kept)
        return self.fc(torch.relu(self.conv(picked) + x).mean((2, 3)))


def test_index_select_picks_as_indexing_does() -> None:  # must not fire
    c = compare_traces(trace(_Selected("index"), 16), trace(_Selected("index_select"), 16), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    assert not c.mismatches, [m.message for m in c.mismatches[:3]]
