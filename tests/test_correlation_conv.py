"""A conv whose kernel is computed in forward (a Siamese tracker correlating its template with the
search map) is no layer: its grouping (depthwise vs full correlation) and the widths that follow are
described where it is, not named ResNeXt cardinality or a network width; a learned conv's grouping
still is."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _Tracker(nn.Module):
    def __init__(self, xcorr: str = "depthwise", groups: int = 1) -> None:
        super().__init__()
        self.xcorr = xcorr
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1, groups=groups), nn.BatchNorm2d(16), nn.ReLU(),
        )  # fmt: skip
        width = 16 if xcorr == "depthwise" else 1
        self.head = nn.Sequential(nn.Conv2d(width, 8, 1), nn.ReLU(), nn.Conv2d(8, 2, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        search = self.backbone(x)
        kernel = self.backbone(x[:, :, 8:24, 8:24])  # the template: the centre of the search image
        n, c, h, w = kernel.shape
        if self.xcorr == "depthwise":
            out = F.conv2d(
                search.reshape(1, n * c, *search.shape[2:]), kernel.reshape(n * c, 1, h, w), groups=n * c
            )
        else:
            out = F.conv2d(search.reshape(1, n * c, *search.shape[2:]), kernel, groups=n)
        return self.head(out.reshape(n, -1, *out.shape[2:]))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 32, 32)), trace(cand, (3, 32, 32)), reference_name="r",
                          candidate_name="c", num_classes=2)  # fmt: skip


@pytest.mark.parametrize("depthwise_is_reference", [True, False])
def test_a_correlation_grouped_otherwise_is_described(depthwise_is_reference: bool) -> None:
    one, other = _Tracker("depthwise"), _Tracker("full")
    c = _compare(*((one, other) if depthwise_is_reference else (other, one)))
    assert c.mismatches
    assert {f.pattern for f in c.findings} == {Pattern.DESCRIBED}
    assert set().union(*(f.mismatches for f in c.findings)) == set(range(len(c.mismatches)))


def test_a_learned_conv_grouped_otherwise_is_still_cardinality() -> None:
    c = _compare(_Tracker(groups=1), _Tracker(groups=4))
    assert Pattern.CARDINALITY in {f.pattern for f in c.findings}
