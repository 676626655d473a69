"""A region pooling's scale and window are compared (tracing/move_args.py roi_args; #23 heldout49: a
RoIAlign's spatial_scale typed for a C5 map, 1/32 for 1/16, compared clean): every shape agrees and
other pixels are read. The same arguments spelled by keyword are no difference."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.ops import roi_align

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


class _Pooler(nn.Module):
    def __init__(self, scale: float, keywords: bool = False) -> None:
        super().__init__()
        self.conv, self.scale, self.keywords = nn.Conv2d(3, 8, 3, stride=2, padding=1), scale, keywords
        self.register_buffer("rois", torch.tensor([[0.0, 0.0, 0.0, 8.0, 8.0], [0.0, 4.0, 4.0, 16.0, 16.0]]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.conv(x)
        if self.keywords:
            return roi_align(f, self.rois, output_size=(2, 2), spatial_scale=self.scale, sampling_ratio=2)
        return roi_align(f, self.rois, (2, 2), self.scale, 2)


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 16, 16)), trace(cand, (3, 16, 16)), reference_name="a",
                          candidate_name="b", num_classes=8)  # fmt: skip


def test_a_spatial_scale_typed_for_another_map_is_a_mismatch_either_way() -> None:
    for ref, cand in ((_Pooler(1 / 2), _Pooler(1 / 4)), (_Pooler(1 / 4), _Pooler(1 / 2))):
        found = [m for m in _compare(ref, cand).mismatches if m.field == "spatial_scale"]
        assert len(found) == 1 and {found[0].expected, found[0].actual} == {0.5, 0.25}


def test_the_same_arguments_by_keyword_are_no_difference() -> None:
    assert not _compare(_Pooler(1 / 2), _Pooler(1 / 2, keywords=True)).mismatches
