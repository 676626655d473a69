"""The output stride a dilated backbone is reported with is counted from the map its first conv reads:
a tracker that crops its template from the search image before the backbone (or a model that resizes
its input first) divides the crop, not the image it was given."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torchvision.models.resnet import Bottleneck, ResNet

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Template(nn.Module):
    """A Siamese tracker's template branch: the centre of the search image through a ResNet cut
    after layer3."""

    def __init__(self, dilated: bool) -> None:
        super().__init__()
        with torch.device("meta"):
            net = ResNet(Bottleneck, [1, 1, 2, 1], replace_stride_with_dilation=[False, dilated, False])
        self.backbone = nn.Sequential(*list(net.children())[:7])  # conv1 ... layer3

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.backbone(x[:, :, 16:48, 16:48])


@pytest.mark.parametrize("dilated_is_reference", [True, False])
def test_the_stride_is_counted_from_the_crop(dilated_is_reference: bool) -> None:
    ref, cand = (
        (_Template(True), _Template(False)) if dilated_is_reference else (_Template(False), _Template(True))
    )
    c = compare_traces(trace(ref, (3, 64, 64)), trace(cand, (3, 64, 64)), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    (finding,) = [f for f in c.findings if f.pattern is Pattern.OUTPUT_STRIDE]
    assert "output stride is 8 where the" in finding.message
    assert finding.message.split("output stride is 8 where the ")[1].split(" is ")[1].startswith("16")
    assert finding.title == "Dilated ResNet (output stride 8)"
