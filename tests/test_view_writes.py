"""An in-place op on a view writes into its base (tracing/recorder.py), and a slice that keeps every
element is layout (tracing/opkinds.py): ``out[:, :c] += identity`` over all c channels is the add."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare


class _IntoSlice(BasicBlock):
    half = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        c = identity.size(1) // 2 if self.half else identity.size(1)
        out[:, :c] += identity[:, :c]
        return self.relu(out)


def _model(half: bool) -> nn.Module:
    model = resnet18(num_classes=10)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for i, b in enumerate(layer):
            block = _IntoSlice(b.conv1.in_channels, b.conv2.out_channels, b.stride, b.downsample)
            block.half = half
            layer[i] = block
    return model


def test_an_add_into_the_whole_slice_is_the_residual_add() -> None:
    with torch.device("meta"):
        model = _model(half=False)
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert c.ok, [m.message for m in c.mismatches][:5]
    t = trace(model, 64)
    add = next(o for o in t.ops if o.kind is OpKind.ADD)
    assert any(add.id in o.inputs for o in t.ops), "what reads the base reads the in-place add"


def test_an_add_into_half_the_channels_still_differs() -> None:
    with torch.device("meta"):
        model = _model(half=True)
    assert not compare(model, "resnet18", input_size=64, num_classes=10).ok
