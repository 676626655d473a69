"""Modernized ResNets read by structure (#23, heldout21): linear branches summed are one layer, not
a residual merge (RepVGG / ACNet training form); one strided conv between stages is the stage's
downsampling layer, not a block; a norm written as ops says which axes its statistics reduce;
depthwise blocks on the reference's skeleton are a variant, not another family."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock

from resnet_verify.tracing.records import BlockKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Pattern


class _Branches(nn.Module):
    """A 3x3 conv in training form: 3x3-BN + 1x3-BN + 3x1-BN summed (ACNet), all linear."""

    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.square = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout))
        self.hor = nn.Sequential(
            nn.Conv2d(cin, cout, (1, 3), stride, (0, 1), bias=False), nn.BatchNorm2d(cout)
        )
        self.ver = nn.Sequential(
            nn.Conv2d(cin, cout, (3, 1), stride, (1, 0), bias=False), nn.BatchNorm2d(cout)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.square(x) + self.hor(x) + self.ver(x)


def _acnet18() -> nn.Module:
    model = resnet18(num_classes=10)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for b in layer:
            assert isinstance(b, BasicBlock)
            b.conv1 = _Branches(b.conv1.in_channels, b.conv1.out_channels, b.conv1.stride[0])
            b.bn1 = nn.Identity()
    return model


def test_linear_branches_summed_are_no_residual_merge() -> None:
    with torch.device("meta"):
        model = _acnet18()
    blocks = trace(model, 64).structure.blocks
    assert [b.kind for b in blocks] == [BlockKind.RESIDUAL] * 8
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert Pattern.BLOCK_COUNTS not in {f.pattern for f in c.findings}


def test_a_single_conv_residual_keeps_its_add() -> None:
    class OneConv(nn.Module):  # conv-BN + x, then ReLU: a residual unit, linear main path
        def __init__(self) -> None:
            super().__init__()
            self.conv, self.bn = nn.Conv2d(8, 8, 3, 1, 1), nn.BatchNorm2d(8)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.relu(self.bn(self.conv(x)) + x)

    net = nn.Sequential(nn.Conv2d(3, 8, 3), OneConv(), OneConv())
    assert [b.kind for b in trace(net, 32).structure.blocks] == [BlockKind.RESIDUAL] * 2


class _Downsampled(nn.Module):
    """ResNet-18 with each stage's stride taken by a BN + 2x2 stride-2 conv before it (ConvNeXt)."""

    def __init__(self) -> None:
        super().__init__()
        self.net = resnet18(num_classes=10)
        self.down = nn.ModuleList()
        for layer, cin in ((self.net.layer2, 64), (self.net.layer3, 128), (self.net.layer4, 256)):
            first = layer[0]
            self.down.append(nn.Sequential(nn.BatchNorm2d(cin), nn.Conv2d(cin, cin, 2, 2)))
            first.conv1.stride = (1, 1)
            assert first.downsample is not None
            first.downsample[0].stride = (1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = self.net
        x = n.layer1(n.maxpool(n.relu(n.bn1(n.conv1(x)))))
        for down, layer in zip(self.down, (n.layer2, n.layer3, n.layer4), strict=True):
            x = layer(down(x))
        return n.fc(torch.flatten(n.avgpool(x), 1))


def test_a_downsampling_layer_between_stages_is_no_block() -> None:
    with torch.device("meta"):
        model = _Downsampled()
    s = trace(model, 64).structure
    assert sum(b.kind is BlockKind.TRANSITION for b in s.blocks) == 3
    residual = [[b for b in st.blocks if s.blocks[b].kind is BlockKind.RESIDUAL] for st in s.stages]
    assert [len(r) for r in residual] == [2, 2, 2, 2]
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert Pattern.BLOCK_COUNTS not in {f.pattern for f in c.findings}, [f.title for f in c.findings]


class _Norm(nn.Module):
    def __init__(self, channels: int, axis: int) -> None:
        super().__init__()
        self.weight, self.bias, self.axis = (
            nn.Parameter(torch.ones(channels)),
            nn.Parameter(torch.zeros(channels)),
            axis,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u = x.mean(self.axis, keepdim=True)
        s = (x - u).pow(2).mean(self.axis, keepdim=True)
        return self.weight[:, None, None] * (x - u) / torch.sqrt(s + 1e-6) + self.bias[:, None, None]


def test_a_norm_over_another_axis_is_a_difference() -> None:
    """The same ops, shapes and parameters over W instead of C (a channels-last formula on a
    channels-first map): the joined norm says which axes, so the two no longer read the same."""

    def over(axis: int) -> set[object]:
        with torch.device("meta"):
            model = resnet18(num_classes=10, norm_layer=lambda c: _Norm(c, axis))
        return {dict(o.attrs).get("over") for o in trace(model, 64).ops} - {None}

    assert over(1) == {"dims (1,) of 4"}
    assert over(-1) == {"dims (3,) of 4"}


def test_depthwise_blocks_on_the_references_skeleton_are_a_variant() -> None:
    with torch.device("meta"):
        model = resnet18(num_classes=10)
        for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
            for b in layer:
                c = b.conv2.in_channels
                b.conv2 = nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False)
    names = {f.pattern for f in compare(model, "resnet18", input_size=64, num_classes=10).findings}
    assert Pattern.NOT_RESIDUAL not in names and Pattern.CARDINALITY in names, names


def test_a_norm_over_another_axis_everywhere_is_one_described_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    with torch.device("meta"):
        model = resnet18(num_classes=10, norm_layer=lambda c: _Norm(c, -1))
    c = compare(model, "tests/fixtures/quirky/norm_axes.py:over_channels", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED], [f.title for f in c.findings]
    assert c.findings[0].title == "Normalization over other axes (20 norms)"
    with torch.device("meta"):
        same = resnet18(num_classes=10, norm_layer=lambda c: _Norm(c, 1))
    assert compare(same, "tests/fixtures/quirky/norm_axes.py:over_channels", input_size=64, num_classes=10).ok


def test_a_relu_computed_for_a_feature_list_only_is_no_tail_of_the_last_block() -> None:
    """Distillation code returns each stage's pre-ReLU sum and computes the ReLU into a feature list
    only (RepDistiller's ``preact``): the head reads the add, so the pool and classifier stay the head's."""

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem, self.conv = nn.Conv2d(3, 8, 3, padding=1), nn.Conv2d(8, 8, 3, padding=1)
            self.fc = nn.Linear(8, 10)

        def forward(self, x: torch.Tensor) -> tuple[list[torch.Tensor], torch.Tensor]:
            x = self.stem(x)
            pre = x + self.conv(torch.relu(x))
            feature = torch.relu(pre)  # the feature list's, not the network's
            return [feature], self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(pre, 1), 1))

    t = trace(Net(), 16)
    kinds = [t.ops[o].kind.value for o in t.structure.head]
    assert "linear" in kinds and t.structure.blocks[-1].tail == ()


def test_frames_folded_into_the_batch_keep_their_blocks() -> None:
    """TSN: N x T x 3 x H x W read as (N T) x 3 x H x W into a 2-D ResNet: its 4-D sums are maps,
    not pooled vectors of a 5-D input (they were: 'not a residual network')."""

    class Frames(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.base = resnet18(num_classes=10)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            n, t = x.shape[:2]
            return self.base(x.reshape(n * t, *x.shape[2:])).view(n, t, -1).mean(1)

    with torch.device("meta"):
        model = Frames()
    assert [len(s.blocks) for s in trace(model, torch.Size([1, 4, 3, 32, 32])).structure.stages] == [
        2,
        2,
        2,
        2,
    ]


class _PointBlock(nn.Module):
    """A residual point MLP block: channels-first 1x1 Conv1d + BN, or channels-last Linear + a BN
    given the points axis by mistake (BatchNorm1d(num_points) on N x P x C)."""

    def __init__(self, last: bool, points: int = 20) -> None:
        super().__init__()
        self.last = last
        self.fc = nn.Linear(16, 16) if last else nn.Conv1d(16, 16, 1)
        self.bn = nn.BatchNorm1d(points if last else 16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.last:
            y = x.transpose(1, 2)
            return x + torch.relu(self.bn(self.fc(y))).transpose(1, 2)
        return x + torch.relu(self.bn(self.fc(x)))


def test_a_batch_norm_over_the_points_of_a_channels_last_map_is_one_described_cause() -> None:
    def net(last: bool) -> nn.Module:
        return nn.Sequential(nn.Conv1d(3, 16, 1), *[_PointBlock(last) for _ in range(3)], nn.AdaptiveMaxPool1d(1),
                             nn.Flatten(), nn.Linear(16, 10))  # fmt: skip

    shape = torch.Size([1, 3, 20])
    c = compare_traces(trace(net(False), shape), trace(net(True), shape), reference_name="a", candidate_name="b",
                       num_classes=10)  # fmt: skip
    assert [f.title for f in c.findings] == ["Normalization over other axes (3 norms)"], [
        f.title for f in c.findings
    ]
    assert not c.unexplained
