"""A conv whose every tensor is a small constant buffer is a filter the user wrote down: its taps are
recorded (``values``) and compared, and a filter with a negative tap (pre-emphasis, an edge or detail
filter) is no low-pass blur, whatever else it shares with blur pooling (depthwise, fixed, just before
a strided layer)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Fixed(nn.Module):
    """A depthwise 1x2 filter over the three input channels, its taps a buffer."""

    taps: torch.Tensor

    def __init__(self, taps: tuple[float, float]) -> None:
        super().__init__()
        self.register_buffer("taps", torch.tensor([[[list(taps)]]] * 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(x, (1, 0, 0, 0), mode="reflect"), self.taps, groups=3)


def _filtered(taps: tuple[float, float]) -> nn.Module:
    model = resnet18(num_classes=10)
    model.conv1 = nn.Sequential(_Fixed(taps), model.conv1)
    return model


def _patterns(taps: tuple[float, float]) -> set[Pattern]:
    ref, cand = trace(resnet18(num_classes=10), (3, 64, 64)), trace(_filtered(taps), (3, 64, 64))
    c = compare_traces(ref, cand, reference_name="r", candidate_name="c", num_classes=10)
    assert c.mismatches
    return {f.pattern for f in c.findings}


def test_a_fixed_filter_records_its_taps_and_they_are_compared() -> None:
    conv = next(op for op in trace(_filtered((-0.97, 1.0)), (3, 64, 64)).ops if op.kind is OpKind.CONV)
    assert dict(conv.attrs)["values"] == ", ".join(["-0.97, 1"] * 3)
    a, b = trace(_filtered((-0.97, 1.0)), (3, 64, 64)), trace(_filtered((1.0, -0.97)), (3, 64, 64))
    c = compare_traces(a, b, reference_name="r", candidate_name="c", num_classes=10)
    assert [m.field for m in c.mismatches] == ["values"]


@pytest.mark.parametrize(("taps", "blur"), [((-0.97, 1.0), False), ((0.5, 0.5), True)])
def test_only_a_filter_without_negative_taps_is_blur_pooling(taps: tuple[float, float], blur: bool) -> None:
    assert (Pattern.BLUR_POOL in _patterns(taps)) is blur
