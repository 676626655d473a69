"""Padding whose far side no window reads is the symmetric padding (tracing/padfold.py ``even_padding``;
#23 heldout122's flax_same_pad_swapped): one row before a stride-2 3x3 conv on an even map is
``padding=1`` (so TF's 'SAME', the row after, is named against it: the held-out test); on an odd map, or
with the row after, the windows move and it stays a difference."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


class _Padded(nn.Module):
    def __init__(self, pad: tuple[int, int, int, int] | None) -> None:
        super().__init__()
        self.pad = pad
        self.conv = nn.Conv2d(8, 8, 3, 2, 1 if pad is None else 0, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x if self.pad is None else F.pad(x, self.pad))


def _net(pad: tuple[int, int, int, int] | None) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), _Padded(pad), nn.ReLU(), _Padded(pad),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


def _compare(reference: nn.Module, candidate: nn.Module, side: int) -> Comparison:
    r, c = trace(reference, (3, side, side)), trace(candidate, (3, side, side))
    return compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)


def test_one_row_before_a_stride_2_conv_on_an_even_map_is_padding_1() -> None:
    for ref, cand in ((_net(None), _net((1, 0, 1, 0))), (_net((1, 0, 1, 0)), _net(None))):
        c = _compare(ref, cand, 32)
        assert not c.mismatches, [m.message for m in c.mismatches]


def test_the_row_after_and_an_odd_map_stay_differences() -> None:
    for ref, cand in ((_net((1, 0, 1, 0)), _net((0, 1, 0, 1))), (_net((0, 1, 0, 1)), _net((1, 0, 1, 0)))):
        assert any(m.field == "padding" for m in _compare(ref, cand, 32).mismatches)
    assert _compare(_net(None), _net((1, 0, 1, 0)), 34).mismatches
