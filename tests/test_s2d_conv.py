"""A space-to-depth by s read by a 1x1 conv is the s x s stride-s patch conv (tracing/s2d_conv.py), in any
channel order of the patch: a patchify stem written as view/permute/view + 1x1 conv or pixel_unshuffle +
1x1 conv compares clean with Conv2d(3, 16, 4, stride=4) (heldout144 hs_s2d_stem). Not for a
rearrangement that mixes patches, nor for a space-to-depth read by a 3x3 conv (TResNet's stem)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


class _S2D(nn.Module):
    def __init__(self, s: int, order: tuple[int, ...] = (0, 3, 5, 1, 2, 4), mixed: bool = False) -> None:
        super().__init__()
        self.s, self.order, self.mixed = s, order, mixed

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        s = self.s
        if self.mixed:  # the patch grid's rows read as the patch's: each position sees other patches' values
            x = x.view(n, c, s, h // s, s, w // s).permute(0, 2, 4, 1, 3, 5)
        else:
            x = x.view(n, c, h // s, s, w // s, s).permute(*self.order)
        return x.contiguous().view(n, c * s * s, h // s, w // s)


class _Unshuffle(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pixel_unshuffle(x, 4)


def _net(stem: nn.Module) -> nn.Module:
    return nn.Sequential(
        stem, nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10)
    )


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref.eval(), 32), trace(cand.eval(), 32), reference_name="r", candidate_name="c", num_classes=10
    )


PATCH = _net(nn.Conv2d(3, 16, 4, stride=4, bias=False))


def test_space_to_depth_then_1x1_is_the_patch_conv() -> None:
    for s2d in (_S2D(4), _S2D(4, order=(0, 1, 3, 5, 2, 4)), _Unshuffle()):
        c = _compare(_net(nn.Sequential(s2d, nn.Conv2d(48, 16, 1, bias=False))), PATCH)
        assert not c.mismatches, (type(s2d).__name__, [m.message for m in c.mismatches])
        swapped = _compare(PATCH, _net(nn.Sequential(s2d, nn.Conv2d(48, 16, 1, bias=False))))
        assert not swapped.mismatches


def test_a_rearrangement_that_mixes_patches_is_not_one() -> None:
    c = _compare(_net(nn.Sequential(_S2D(4, mixed=True), nn.Conv2d(48, 16, 1, bias=False))), PATCH)
    assert c.mismatches


def test_space_to_depth_read_by_a_3x3_conv_stays_what_it_is() -> None:
    tresnet = _net(nn.Sequential(_S2D(4), nn.Conv2d(48, 16, 3, padding=1, bias=False)))
    c = _compare(tresnet, PATCH)
    assert c.mismatches


def test_the_premise_the_two_compute_the_same_function() -> None:
    conv = nn.Conv2d(3, 16, 4, stride=4, bias=False)
    point = nn.Conv2d(48, 16, 1, bias=False)
    with torch.no_grad():  # pixel_unshuffle's channel order is (c, dy, dx): the kernel flattened as it is
        point.weight.copy_(conv.weight.reshape(16, 48, 1, 1))
    x = torch.randn(2, 3, 32, 32)
    assert torch.allclose(conv(x), point(F.pixel_unshuffle(x, 4)), atol=1e-5)
