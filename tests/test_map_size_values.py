"""A head that computes from the feature map's size (bilinear pooling divided by ``h * w``, a covariance
pooling's ``eye(n)`` centring matrix and its ``1 / n``) holds other values when a stride earlier makes
the map another size. They follow from the stride: one change, claimed and located with it, either way
round. A head value changed on its own, or one that is not the map's size on both sides, stays a
difference of its own."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Region


class _Bilinear(nn.Module):
    """A stem, three residual units (the last one strided or not) and a head that pools second-order
    statistics of the last map, scaled by its positions as bilinear-CNN code writes it."""

    def __init__(self, last_stride: int = 2, head: str = "bilinear", scale: float | None = None) -> None:
        super().__init__()
        self.head, self.scale = head, scale
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.first = self._unit(8, 8, 1)
        self.mid, self.mid_down = self._unit(8, 12, 2), self._down(8, 12, 2)
        self.last, self.last_down = self._unit(12, 16, last_stride), self._down(12, 16, last_stride)
        self.fc = nn.Linear(16 * 16, 5)

    @staticmethod
    def _down(cin: int, cout: int, stride: int) -> nn.Sequential:
        return nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    @staticmethod
    def _unit(cin: int, cout: int, stride: int) -> nn.Sequential:
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout),
        )  # fmt: skip

    def pool(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        flat = x.reshape(n, c, h * w)
        if self.head == "covariance":  # centred with I - 1/n, as covariance pooling builds it
            centre = (torch.eye(h * w) - torch.ones(h * w, h * w) / (h * w)) / (h * w)
            return flat.bmm(centre.expand(n, -1, -1)).bmm(flat.transpose(1, 2)).reshape(n, c * c)
        scale = self.scale if self.scale is not None else 1.0 / (h * w)
        return (torch.bmm(flat, flat.transpose(1, 2)) * scale).reshape(n, c * c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = torch.relu(self.first(x) + x)
        x = torch.relu(self.mid(x) + self.mid_down(x))
        x = torch.relu(self.last(x) + self.last_down(x))
        return self.fc(self.pool(x))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 32), trace(cand, 32), reference_name="ref", candidate_name="cand", num_classes=5
    )


def _head(c: Comparison) -> list[int]:
    return [i for i, m in enumerate(c.mismatches) if m.region is Region.HEAD]


def _claimed(c: Comparison) -> set[int]:
    return {i for f in c.findings for i in f.mismatches}


def test_the_heads_size_values_follow_the_stride() -> None:
    for head in ("bilinear", "covariance"):
        for cand, ref in ((_Bilinear(1, head), _Bilinear(2, head)), (_Bilinear(2, head), _Bilinear(1, head))):
            c = _compare(cand, ref)
            head_values = _head(c)
            assert head_values, "the head's scale or centring matrix differs with the map"
            strides = [i for i, m in enumerate(c.mismatches) if m.field == "stride"]
            assert strides and _claimed(c) == set(range(len(c.mismatches)))
            (finding,) = [f for f in c.findings if set(head_values) <= set(f.mismatches)]
            assert set(strides) <= set(finding.mismatches), "the head's values are claimed with the stride"
            for i in head_values:
                cause = c.mismatches[i].cause
                assert cause is not None and c.mismatches[cause].field == "output_shape"
                assert c.mismatches[cause].region is not Region.HEAD


def test_a_head_scale_changed_on_its_own_is_its_own_difference() -> None:
    c = _compare(_Bilinear(2, scale=0.5), _Bilinear(2, scale=0.25))
    (i,) = _head(c)
    assert c.mismatches[i].cause is None


def test_a_scale_that_is_not_the_maps_size_stays_apart_from_the_stride() -> None:
    # 1/7 is no function of the 8x8 or 4x4 map: a second change beside the stride, not a consequence
    c = _compare(_Bilinear(1, scale=1 / 7), _Bilinear(2))
    (i,) = _head(c)
    assert c.mismatches[i].cause is None
