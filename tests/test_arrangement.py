"""A tensor read arranged otherwise, every shape agreeing, is a difference; two spellings of one
arrangement are not (verify/arrangement.py; #23 heldout49: show-attend-tell's grid returned as
permute(0, 3, 2, 1) for permute(0, 2, 3, 1) on a square map compared clean)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.arrangement import FIELD
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison

Layout = Callable[[torch.Tensor], torch.Tensor]


class _Encoder(nn.Module):
    """A conv grid handed on as a sequence (or returned), arranged by ``layout``."""

    def __init__(self, layout: Layout, head: bool) -> None:
        super().__init__()
        self.conv, self.fc = nn.Conv2d(3, 8, 3, padding=1), nn.Linear(8, 8)
        self.layout, self.head = layout, head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        seq = self.layout(torch.relu(self.conv(x)))
        return self.fc(seq) if self.head else seq


def hwc(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1)


def whc(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 3, 2, 1)


def hwc_by_transposes(x: torch.Tensor) -> torch.Tensor:
    return x.transpose(1, 2).transpose(2, 3).contiguous()


def tokens(x: torch.Tensor) -> torch.Tensor:
    return x.flatten(2).transpose(1, 2)


def tokens_by_permute(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1, x.shape[1])


def tokens_by_view(x: torch.Tensor) -> torch.Tensor:  # the classic slip: a view is no transpose
    return x.reshape(x.shape[0], -1, x.shape[1])


def _compare(ref: Layout, cand: Layout, head: bool) -> Comparison:
    return compare_traces(trace(_Encoder(ref, head), (3, 8, 8)), trace(_Encoder(cand, head), (3, 8, 8)),
                          reference_name="a", candidate_name="b", num_classes=8)  # fmt: skip


def test_a_grid_arranged_otherwise_is_a_mismatch_either_way() -> None:
    for one, other, head in ((hwc, whc, False), (hwc, whc, True), (tokens, tokens_by_view, True)):
        for ref, cand in ((one, other), (other, one)):
            found = [m for m in _compare(ref, cand, head).mismatches if m.field == FIELD]
            assert len(found) == 1, (ref.__name__, cand.__name__, head)
            assert "arranged otherwise" in found[0].message and found[0].actual != found[0].expected


def test_two_spellings_of_one_arrangement_are_no_difference() -> None:
    for one, other, head in ((hwc, hwc_by_transposes, False), (tokens, tokens_by_permute, True)):
        for ref, cand in ((one, other), (other, one)):
            assert not _compare(ref, cand, head).mismatches, (ref.__name__, cand.__name__)


def test_labels_are_made_on_the_cpu_under_a_default_device() -> None:
    """A caller building on meta (``with torch.device("meta"):``) must not move the labels there."""
    with torch.device("meta"):
        found = [m for m in _compare(hwc, whc, False).mismatches if m.field == FIELD]
    assert len(found) == 1


class _Shuffled(nn.Module):
    """A block whose output channels are shuffled in its own forward (ShuffleNet's channel shuffle), read
    by a conv of another module."""

    def __init__(self, shuffle: bool) -> None:
        super().__init__()
        self.block = _ShuffleBlock(shuffle)
        self.fuse = nn.Conv2d(8, 8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fuse(self.block(x))


class _ShuffleBlock(nn.Module):
    def __init__(self, shuffle: bool) -> None:
        super().__init__()
        self.conv, self.shuffle = nn.Conv2d(3, 8, 3, padding=1), shuffle

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.conv(x))
        if self.shuffle:
            n, c, h, w = y.shape
            y = y.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)
        return y


def test_an_arrangement_is_located_where_it_is_made_not_where_it_is_read() -> None:
    """A channel shuffle left out: the block that shuffles (or should), not the conv that reads it."""
    for ref, cand in ((True, False), (False, True)):
        c = compare_traces(trace(_Shuffled(ref), (3, 8, 8)), trace(_Shuffled(cand), (3, 8, 8)),
                           reference_name="a", candidate_name="b", num_classes=8)  # fmt: skip
        found = [m for m in c.mismatches if m.field == FIELD]
        assert len(found) == 1, [m.message for m in c.mismatches]
        assert (found[0].reference_path, found[0].candidate_path) == ("block", "block"), found[0]
        assert "fuse" in found[0].message  # the reader is still named
