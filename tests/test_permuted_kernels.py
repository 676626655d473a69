"""A kernel permuted and then flattened is another weight order (tracing/recorder.py ``_reordered``; #23
heldout121's unfold_hwio_flatten, a false "no difference"): an im2col conv whose kernel is flattened in
TF's (kh, kw, in) order against F.unfold's (in, kh, kw) columns multiplies each weight with another tap.
``w.view(out, -1)``, a permute of a 1x1 kernel and a kernel stored in another layout and permuted back
for a conv are the same weights laid out otherwise."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


class _Im2col(nn.Module):
    def __init__(self, k: int, order: str) -> None:
        super().__init__()
        self.k, self.order = k, order
        self.weight = nn.Parameter(torch.randn(8, 8, k, k))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        cols = F.unfold(x, self.k, padding=self.k // 2)
        flat = (
            self.weight.view(8, -1)
            if self.order == "oihw"
            else self.weight.permute(0, 2, 3, 1).reshape(8, -1)
        )
        return (flat @ cols).view(n, 8, h, w)


class _Stored(nn.Module):
    """The kernel kept as (kh, kw, in, out), TF's layout, and permuted back for F.conv2d."""

    def __init__(self) -> None:
        super().__init__()
        self.kernel = nn.Parameter(torch.randn(3, 3, 8, 8))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.kernel.permute(3, 2, 0, 1), padding=1)


def _net(conv: nn.Module) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(8, 4))  # fmt: skip


def _compare(reference: nn.Module, candidate: nn.Module) -> Comparison:
    r, c = trace(_net(reference), (3, 8, 8)), trace(_net(candidate), (3, 8, 8))
    return compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)


def test_a_kernel_flattened_in_another_axis_order_is_a_difference_either_way() -> None:
    for ref, cand in ((_Im2col(3, "oihw"), _Im2col(3, "hwio")), (_Im2col(3, "hwio"), _Im2col(3, "oihw"))):
        c = _compare(ref, cand)
        assert any(m.field == "param_ops" and "permute" in str(m.actual or m.expected) for m in c.mismatches)
        assert c.findings


def test_the_same_order_a_1x1_kernel_and_a_stored_layout_are_no_difference() -> None:
    assert not _compare(_Im2col(3, "oihw"), _Im2col(3, "oihw")).mismatches
    assert not _compare(_Im2col(1, "oihw"), _Im2col(1, "hwio")).mismatches
    assert not [m for m in _compare(nn.Conv2d(8, 8, 3, padding=1, bias=False), _Stored()).mismatches
                if m.field == "param_ops"]  # fmt: skip
