"""Stage metrics: MACs from torch's FLOP formulas, receptive field and stride from the dataflow graph."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.specs.builders import build_model, build_reference
from resnet_verify.tracing.metrics import geometry, total_macs, trace_metrics
from resnet_verify.tracing.tracer import trace

# torchvision's published `_ops` (GMACs at 224x224) for its ResNet weights.
PUBLISHED_GMACS = {
    "resnet18": 1.814,
    "resnet34": 3.664,
    "resnet50": 4.089,
    "resnet101": 7.801,
    "resnet152": 11.514,
}


@pytest.mark.parametrize("name", sorted(PUBLISHED_GMACS))
def test_macs_equal_torchvisions_published_ops(name: str) -> None:
    tr = trace(build_reference(name, num_classes=1000), 224, owned=True)
    m = trace_metrics(tr)
    assert round(m.total_macs / 1e9, 3) == PUBLISHED_GMACS[name]
    # The parts add up to the whole: every MAC of a ResNet sits in the stem, a block or the head.
    assert m.stem.macs + sum(s.macs for s in m.stages) + m.head.macs == m.total_macs
    assert sum(b.macs for b in m.blocks) == sum(s.macs for s in m.stages)


def test_macs_follow_the_input_size() -> None:
    small = trace(build_reference("resnet18", num_classes=10), 128, owned=True)
    large = trace(build_reference("resnet18", num_classes=10), 256, owned=True)
    convs = total_macs(large) - 512 * 10  # the fc's MACs do not scale with the image
    assert total_macs(small) - 512 * 10 == convs // 4


@pytest.mark.parametrize(("spec", "layer4"), [("torchvision:resnet50", 427), ("resnet50_v1", 483)])
def test_receptive_field_and_stride_per_stage(spec: str, layer4: int) -> None:
    model, _ = build_model(spec, num_classes=1000, device="meta")
    m = trace_metrics(trace(model, 224))
    assert [p.stride for p in (m.stem, *m.stages)] == [4, 4, 8, 16, 32]
    assert m.stages[-1].receptive_field == layer4
    assert m.stem.receptive_field == 11  # 7x7/2 conv then 3x3/2 max pool
    assert m.head.receptive_field is None  # a global pool sees everything: no stage number


def test_stride_does_not_depend_on_the_input_size() -> None:
    model = build_reference("resnet18", num_classes=10)
    m = trace_metrics(trace(model, 64, owned=True))
    assert [p.stride for p in (m.stem, *m.stages)] == [4, 4, 8, 16, 32]


class _OnlyPointwise(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a, self.b = nn.Conv2d(3, 8, 1), nn.Conv2d(8, 8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.a(x)
        return F.relu(self.b(y) + y)


def test_pointwise_network_sees_one_pixel() -> None:
    m = trace_metrics(trace(_OnlyPointwise(), (3, 32, 32)))
    assert m.blocks[0].receptive_field == 1
    assert m.blocks[0].stride == 1


class _WideShortcut(nn.Module):
    """The shortcut (a 5x5 conv) sees more than the main path (two 1x1 convs)."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 1)
        self.main = nn.Sequential(nn.Conv2d(8, 8, 1), nn.ReLU(), nn.Conv2d(8, 8, 1))
        self.short = nn.Conv2d(8, 8, 5, padding=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        return F.relu(self.main(x) + self.short(x))


def test_receptive_field_is_the_largest_over_all_paths_including_the_shortcut() -> None:
    tr = trace(_WideShortcut(), (3, 32, 32))
    assert trace_metrics(tr).blocks[0].receptive_field == 5


class _Resizes(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        down = x[:, :, ::2, ::2] + 1  # a strided slice: stride 2, no kernel
        return F.interpolate(down, scale_factor=3.0)


def test_kernel_free_resizes() -> None:
    tr = trace(_Resizes(), (3, 32, 32))
    geos = geometry(tr)
    sliced = next(g for op, g in zip(tr.ops, geos) if op.name == "__getitem__")
    assert sliced == ((1, 1), (2, 2))  # the view is unchanged, the grid is twice as coarse
    assert geos[-1] is None  # upsampling: no integer stride, so nothing rather than a wrong number


class _SqueezeExcite(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8, 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        gate = torch.sigmoid(self.fc(y.mean((2, 3)))).view(-1, 8, 1, 1)
        return y * gate


def test_a_global_gate_sees_the_whole_image_but_keeps_the_grid() -> None:
    tr = trace(_SqueezeExcite(), (3, 32, 32))
    rf, jump = geometry(tr)[-1] or ((0,), (0,))
    assert rf == (34, 34)  # 3x3 conv (3 px), then a window over all 32 positions
    assert jump == (1, 1)  # the broadcast 1x1 gate does not coarsen the output grid


def test_macs_are_recorded_per_op() -> None:
    tr = trace(_OnlyPointwise(), (3, 32, 32))
    convs = [op.macs for op in tr.ops if op.kind.value == "conv"]
    assert convs == [3 * 8 * 32 * 32, 8 * 8 * 32 * 32]
    assert all(op.macs == 0 for op in tr.ops if op.kind.value != "conv")
