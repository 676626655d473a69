"""Hand-written ResNet family whose state dicts match torchvision's key for key.

The stage plan (channels, strides, block counts) is computed as data first by :func:`stage_plans`
and the network is built from it, so other code can read the plan without re-deriving it and the
builder never mutates running state (torchvision's ``_make_layer`` threads ``self.inplanes``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import torch
from torch import Tensor, nn

from resnet_verify.models.keras_resnet import KERAS_BUILDERS

StrideIn = Literal["3x3", "1x1"]
_STRIDE_IN = ("3x3", "1x1")
_STEM_CHANNELS = 64
_STAGE_WIDTHS = (64, 128, 256, 512)
_STAGE_STRIDES = (1, 2, 2, 2)


def _conv3x3(cin: int, cout: int, stride: int = 1, groups: int = 1, dilation: int = 1) -> nn.Conv2d:
    return nn.Conv2d(
        cin, cout, 3, stride=stride, padding=dilation, groups=groups, bias=False, dilation=dilation
    )


def _conv1x1(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 1, stride=stride, bias=False)


def _check_wiring(
    block: str, in_channels: int, out_channels: int, stride: int, downsample: nn.Module | None
) -> None:
    """Reject a block whose shortcut cannot be added to its main path, at construction time."""
    if stride < 1:
        raise ValueError(f"{block}: stride must be >= 1, got {stride}")
    if downsample is None:
        if in_channels != out_channels:
            raise ValueError(
                f"{block}: in_channels {in_channels} != out_channels {out_channels} and no downsample projection"
            )
        if stride != 1:
            raise ValueError(
                f"{block}: stride {stride} shrinks the main path but there is no downsample projection"
            )
        return
    # Only the convolutions of a projection are checked: a custom shortcut (pooling, padding) may be fine.
    convs = [m for m in downsample.modules() if isinstance(m, nn.Conv2d)]
    if convs and convs[0].in_channels != in_channels:
        raise ValueError(
            f"{block}: downsample takes {convs[0].in_channels} channels but the block input has {in_channels}"
        )
    if convs and convs[-1].out_channels != out_channels:
        raise ValueError(
            f"{block}: downsample gives {convs[-1].out_channels} channels but the main path gives {out_channels}"
        )


class BasicBlock(nn.Module):
    """Two 3x3 convolutions plus a shortcut. The stride is always on conv1 (``stride_in`` is ignored)."""

    expansion: int = 1

    def __init__(
        self,
        in_channels: int,
        width: int,
        stride: int = 1,
        *,
        downsample: nn.Module | None = None,
        groups: int = 1,
        base_width: int = 64,
        stride_in: StrideIn = "3x3",
        dilation: int = 1,
    ) -> None:
        super().__init__()
        if groups != 1 or base_width != 64:
            raise ValueError(f"BasicBlock: needs groups=1 and base_width=64, got {groups} and {base_width}")
        if dilation != 1:
            raise ValueError(f"BasicBlock: dilation {dilation} is not supported (only 1)")
        if stride_in not in _STRIDE_IN:
            raise ValueError(f"BasicBlock: stride_in must be '3x3' or '1x1', got {stride_in!r}")
        out_channels = width * self.expansion
        _check_wiring("BasicBlock", in_channels, out_channels, stride, downsample)
        self.conv1 = _conv3x3(in_channels, width, stride)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = _conv3x3(width, out_channels)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = downsample
        self.stride = stride

    @property
    def last_bn(self) -> nn.BatchNorm2d:
        return self.bn2

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += identity
        return self.relu(out)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (grouped) conv, 1x1 expand, plus a shortcut.

    ``width`` is torchvision's ``planes``: the block outputs ``width * 4`` channels and its 3x3 conv
    has ``int(width * base_width / 64) * groups`` channels. ``stride_in="3x3"`` puts the stride on
    conv2 (v1.5, torchvision); ``"1x1"`` puts it on conv1 (v1: the paper, Keras, Caffe).
    """

    expansion: int = 4

    def __init__(
        self,
        in_channels: int,
        width: int,
        stride: int = 1,
        *,
        downsample: nn.Module | None = None,
        groups: int = 1,
        base_width: int = 64,
        stride_in: StrideIn = "3x3",
        dilation: int = 1,
    ) -> None:
        super().__init__()
        if stride_in not in _STRIDE_IN:
            raise ValueError(f"Bottleneck: stride_in must be '3x3' or '1x1', got {stride_in!r}")
        if groups < 1 or base_width < 1 or dilation < 1:
            raise ValueError(
                f"Bottleneck: groups, base_width, dilation must be >= 1, got {groups}, {base_width}, {dilation}"
            )
        mid = bottleneck_mid_channels(width, groups, base_width)
        out_channels = width * self.expansion
        _check_wiring("Bottleneck", in_channels, out_channels, stride, downsample)
        s1, s3 = (stride, 1) if stride_in == "1x1" else (1, stride)
        self.conv1 = _conv1x1(in_channels, mid, s1)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = _conv3x3(mid, mid, s3, groups, dilation)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = _conv1x1(mid, out_channels)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    @property
    def last_bn(self) -> nn.BatchNorm2d:
        return self.bn3

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out += identity
        return self.relu(out)


BlockType = type[BasicBlock] | type[Bottleneck]


def bottleneck_mid_channels(width: int, groups: int = 1, base_width: int = 64) -> int:
    """Channels of a bottleneck's 3x3 conv; torchvision's formula, truncation included."""
    return int(width * (base_width / 64.0)) * groups


@dataclass(frozen=True, slots=True)
class StagePlan:
    """One stage (``layerN``): its first block takes ``in_channels`` at ``stride``, the rest keep shape.

    ``width`` is the value passed to the block (torchvision's ``planes``), ``mid_channels`` the
    3x3 conv's channels, ``reduction`` the total stride from the input to this stage's output.
    """

    name: str
    blocks: int
    in_channels: int
    width: int
    mid_channels: int
    out_channels: int
    stride: int
    reduction: int

    @property
    def needs_projection(self) -> bool:
        return self.stride != 1 or self.in_channels != self.out_channels


def stage_plans(
    block: BlockType,
    layers: Sequence[int],
    width_per_group: int = 64,
    groups: int = 1,
    stem_channels: int = 64,
) -> tuple[StagePlan, ...]:
    """The four stages of a ResNet as data; stage i's in_channels is stage i-1's out_channels."""
    if len(layers) != len(_STAGE_WIDTHS):
        raise ValueError(
            f"layers must have {len(_STAGE_WIDTHS)} block counts, got {len(layers)}: {list(layers)}"
        )
    if any(n < 1 for n in layers):
        raise ValueError(f"every stage needs at least one block, got {list(layers)}")
    if block is BasicBlock and (groups != 1 or width_per_group != 64):
        raise ValueError(
            f"BasicBlock: needs groups=1 and width_per_group=64, got {groups} and {width_per_group}"
        )
    plans: list[StagePlan] = []
    cin, reduction = stem_channels, 4  # the stem (stride-2 conv, stride-2 max pool) reduces by 4
    for i, (n, width, stride) in enumerate(zip(layers, _STAGE_WIDTHS, _STAGE_STRIDES)):
        mid = width if block is BasicBlock else bottleneck_mid_channels(width, groups, width_per_group)
        reduction *= stride
        out = width * block.expansion
        plans.append(StagePlan(f"layer{i + 1}", int(n), cin, width, mid, out, stride, reduction))
        cin = out
    return tuple(plans)


@dataclass(frozen=True, slots=True)
class FeatureInfo:
    """timm-style description of one feature map the model produces."""

    module: str
    num_chs: int
    reduction: int


class ResNet(nn.Module):
    """ResNet with torchvision's module names; ``stage_plan`` holds the stages it was built from."""

    def __init__(
        self,
        block: BlockType,
        layers: Sequence[int],
        *,
        num_classes: int = 1000,
        zero_init_residual: bool = False,
        groups: int = 1,
        width_per_group: int = 64,
        stride_in: StrideIn = "3x3",
        in_channels: int = 3,
    ) -> None:
        super().__init__()
        if num_classes < 1:
            raise ValueError(f"num_classes must be >= 1, got {num_classes}")
        if in_channels < 1:
            raise ValueError(f"in_channels must be >= 1, got {in_channels}")
        if stride_in not in _STRIDE_IN:
            raise ValueError(f"stride_in must be '3x3' or '1x1', got {stride_in!r}")
        self.stage_plan: tuple[StagePlan, ...] = stage_plans(
            block, layers, width_per_group, groups, _STEM_CHANNELS
        )
        self.stride_in = stride_in
        self.conv1 = nn.Conv2d(in_channels, _STEM_CHANNELS, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(_STEM_CHANNELS)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        for plan in self.stage_plan:
            self.add_module(plan.name, _build_stage(block, plan, groups, width_per_group, stride_in))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(self.stage_plan[-1].out_channels, num_classes)
        self._init_weights(zero_init_residual)

    def _init_weights(self, zero_init_residual: bool) -> None:
        # torchvision's scheme, so a freshly built model has the same statistics as the reference.
        # The Linear layer keeps PyTorch's default init, as torchvision's does.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
        if zero_init_residual:  # each residual branch starts at zero: the block begins as an identity
            for m in self.modules():
                if isinstance(m, (BasicBlock, Bottleneck)):
                    nn.init.constant_(m.last_bn.weight, 0)

    def forward_features(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for plan in self.stage_plan:
            x = getattr(self, plan.name)(x)
        return x

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.forward_features(x))
        return self.fc(torch.flatten(x, 1))


def _build_stage(
    block: BlockType, plan: StagePlan, groups: int, base_width: int, stride_in: StrideIn
) -> nn.Sequential:
    downsample = None
    if plan.needs_projection:
        # The projection always strides on its 1x1 conv, in v1 and v1.5 alike.
        downsample = nn.Sequential(
            _conv1x1(plan.in_channels, plan.out_channels, plan.stride), nn.BatchNorm2d(plan.out_channels)
        )
    first = block(
        plan.in_channels,
        plan.width,
        plan.stride,
        downsample=downsample,
        groups=groups,
        base_width=base_width,
        stride_in=stride_in,
    )
    rest = [
        block(plan.out_channels, plan.width, 1, groups=groups, base_width=base_width, stride_in=stride_in)
        for _ in range(plan.blocks - 1)
    ]
    return nn.Sequential(first, *rest)


def feature_info(model: ResNet) -> tuple[FeatureInfo, ...]:
    """Stem output then each stage's output; channels > 0 and reduction non-decreasing (checked)."""
    infos = [FeatureInfo("relu", _STEM_CHANNELS, 2)]
    infos += [FeatureInfo(p.name, p.out_channels, p.reduction) for p in model.stage_plan]
    for prev, cur in itertools.pairwise(infos):
        if cur.num_chs <= 0 or cur.reduction < prev.reduction:
            raise ValueError(f"feature_info: invalid plan at {cur.module}: {cur}")
    return tuple(infos)


# ---- builders -------------------------------------------------------------------------------------

_BLOCKS: dict[str, tuple[BlockType, tuple[int, int, int, int], int, int]] = {
    # name: (block, layers, groups, width_per_group), as in torchvision
    "resnet18": (BasicBlock, (2, 2, 2, 2), 1, 64),
    "resnet34": (BasicBlock, (3, 4, 6, 3), 1, 64),
    "resnet50": (Bottleneck, (3, 4, 6, 3), 1, 64),
    "resnet101": (Bottleneck, (3, 4, 23, 3), 1, 64),
    "resnet152": (Bottleneck, (3, 8, 36, 3), 1, 64),
    "resnext50_32x4d": (Bottleneck, (3, 4, 6, 3), 32, 4),
    "resnext101_32x8d": (Bottleneck, (3, 4, 23, 3), 32, 8),
    "resnext101_64x4d": (Bottleneck, (3, 4, 23, 3), 64, 4),
    "wide_resnet50_2": (Bottleneck, (3, 4, 6, 3), 1, 128),
    "wide_resnet101_2": (Bottleneck, (3, 4, 23, 3), 1, 128),
}


def _make(
    arch: str, *, num_classes: int, stride_in: StrideIn, zero_init_residual: bool, in_channels: int
) -> ResNet:
    block, layers, groups, width_per_group = _BLOCKS[arch]
    return ResNet(
        block,
        layers,
        num_classes=num_classes,
        zero_init_residual=zero_init_residual,
        groups=groups,
        width_per_group=width_per_group,
        stride_in=stride_in,
        in_channels=in_channels,
    )


def _builder(arch: str) -> Callable[..., ResNet]:
    def build(
        *,
        num_classes: int = 1000,
        stride_in: StrideIn = "3x3",
        zero_init_residual: bool = False,
        in_channels: int = 3,
    ) -> ResNet:
        return _make(
            arch,
            num_classes=num_classes,
            stride_in=stride_in,
            zero_init_residual=zero_init_residual,
            in_channels=in_channels,
        )

    build.__name__ = build.__qualname__ = arch
    build.__doc__ = (
        f"{arch} (v1.5 by default; ``stride_in='1x1'`` gives v1); keys match torchvision.models.{arch}."
    )
    return build


def _v1_builder(arch: str) -> Callable[..., ResNet]:
    def build(*, num_classes: int = 1000, zero_init_residual: bool = False, in_channels: int = 3) -> ResNet:
        return _make(
            arch,
            num_classes=num_classes,
            stride_in="1x1",
            zero_init_residual=zero_init_residual,
            in_channels=in_channels,
        )

    build.__name__ = build.__qualname__ = f"{arch}_v1"
    build.__doc__ = f"{arch} v1: stride on each stage's first 1x1 conv; loads torchvision's {arch} weights."
    return build


resnet18 = _builder("resnet18")
resnet34 = _builder("resnet34")
resnet50 = _builder("resnet50")
resnet101 = _builder("resnet101")
resnet152 = _builder("resnet152")
resnext50_32x4d = _builder("resnext50_32x4d")
resnext101_32x8d = _builder("resnext101_32x8d")
resnext101_64x4d = _builder("resnext101_64x4d")
wide_resnet50_2 = _builder("wide_resnet50_2")
wide_resnet101_2 = _builder("wide_resnet101_2")
resnet50_v1 = _v1_builder("resnet50")
resnet101_v1 = _v1_builder("resnet101")
resnet152_v1 = _v1_builder("resnet152")

MODEL_BUILDERS: dict[str, Callable[..., ResNet]] = {
    f.__name__: f
    for f in (
        resnet18, resnet34, resnet50, resnet101, resnet152,
        resnext50_32x4d, resnext101_32x8d, resnext101_64x4d, wide_resnet50_2, wide_resnet101_2,
        resnet50_v1, resnet101_v1, resnet152_v1,
    )
}  # fmt: skip

MODEL_BUILDERS.update(KERAS_BUILDERS)  # the keras.applications twins (models/keras_resnet.py)

# v1 and Keras variants compare against the v1.5 reference of the same depth.
_REFERENCE_NAMES: dict[str, str] = {
    name: name.removesuffix("_v1").removesuffix("_keras") for name in MODEL_BUILDERS
}


def reference_name_for(name: str) -> str:
    """The torchvision builder a family model is compared against (``resnet50_v1`` -> ``resnet50``)."""
    try:
        return _REFERENCE_NAMES[name]
    except KeyError:
        raise KeyError(f"unknown family model {name!r}; known: {', '.join(MODEL_BUILDERS)}") from None
