"""Configurable residual blocks and ResNets described by frozen configs.

Two layers:

- *Modules* (:class:`ConfigurableBlock`, :class:`ConfigurableBottleneck`, :class:`ConfigurableBasic`,
  :class:`ConfigurableResNet`) take explicit per-convolution specs (:class:`ConvSpec`, each with its own
  ``in_channels``) and reject, at construction, a block whose filters do not chain, with a one-line
  ``ValueError`` naming the mismatch ("conv2 takes 4 channels but conv1 gives 8 ...").
- *Configs* (:class:`BlockConfig`, :class:`StemConfig`, :class:`ResNetConfig`) are hashable data with a
  ``build()`` method; :mod:`resnet_verify.testing.formulas` predicts from a config what the tracer should
  measure on the built model.

Built networks use torchvision's module names (``conv1``, ``bn1``, ``layer1.0.conv2``,
``layer2.0.downsample.0``, ``fc``), one ``nn.Sequential`` per stage. No hypothesis dependency here:
the strategies live in :mod:`resnet_verify.testing.strategies`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import torch
from torch import Tensor, nn

from resnet_verify.models.resnet import StagePlan, bottleneck_mid_channels

Shape = tuple[int, ...]
BlockKindName = Literal["basic", "bottleneck"]
ShortcutMode = Literal["auto", "identity", "projection"]
DEFAULT_EPS = 1e-5
POOL = (3, 2, 1)  # the stem's max pool: kernel, stride, padding (torchvision's)


# ---- module specs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConvSpec:
    """One conv -> BatchNorm (-> ReLU) step of a block's main path; ``padding=None`` means ``k // 2``."""

    in_channels: int
    out_channels: int
    kernel_size: int = 1
    stride: int = 1
    groups: int = 1
    bias: bool = False
    padding: int | None = None
    bn_eps: float = DEFAULT_EPS
    relu: bool = True

    @property
    def pad(self) -> int:
        return self.kernel_size // 2 if self.padding is None else self.padding


@dataclass(frozen=True, slots=True)
class ShortcutSpec:
    """A projection shortcut: 1x1 conv (stride ``stride``, no bias) then BatchNorm."""

    in_channels: int
    out_channels: int
    stride: int = 1


def _check_specs(
    name: str,
    in_channels: int,
    convs: Sequence[ConvSpec],
    shortcut: ShortcutSpec | None,
    residual: bool,
    spatial: int | None,
) -> None:
    """Raise a one-line ValueError naming the first place where the filters do not chain."""
    if in_channels < 1:
        raise ValueError(f"{name}: in_channels must be >= 1, got {in_channels}")
    if not convs:
        raise ValueError(f"{name}: needs at least one convolution")
    prev_name, prev_out = "the block input", in_channels
    for i, c in enumerate(convs):
        conv = f"conv{i + 1}"
        if c.out_channels < 1 or c.kernel_size < 1 or c.stride < 1 or c.groups < 1 or c.pad < 0:
            raise ValueError(
                f"{name}: {conv} needs positive channels/kernel/stride/groups and padding >= 0, got {c}"
            )
        if c.in_channels != prev_out:
            gives = "has" if i == 0 else "gives"
            hint = ""
            if spatial is not None and i == spatial and i > 0:
                hint = f" (F{i} must equal the {c.kernel_size}x{c.kernel_size} conv's input)"
            elif spatial is not None and i > 0:
                hint = f" (F{i} must equal conv{i + 1}'s input)"
            raise ValueError(
                f"{name}: {conv} takes {c.in_channels} channels but {prev_name} {gives} {prev_out}{hint}"
            )
        if c.in_channels % c.groups or c.out_channels % c.groups:
            raise ValueError(
                f"{name}: {conv} groups={c.groups} must divide its in_channels "
                f"{c.in_channels} and out_channels {c.out_channels}"
            )
        prev_name, prev_out = conv, c.out_channels
    if not residual:
        if shortcut is not None:
            raise ValueError(f"{name}: a projection shortcut without the residual add is never used")
        return
    last = f"conv{len(convs)}"
    fn = f"F{len(convs)}"
    stride = math.prod(c.stride for c in convs)
    if shortcut is None:
        if prev_out != in_channels:
            raise ValueError(
                f"{name}: {last} gives {prev_out} channels but the identity shortcut "
                f"carries {in_channels} ({fn} must equal the shortcut's width)"
            )
        if stride != 1:
            raise ValueError(
                f"{name}: the main path has stride {stride} but the identity shortcut "
                f"has stride 1 (add a projection)"
            )
        return
    if shortcut.in_channels != in_channels:
        raise ValueError(
            f"{name}: the projection takes {shortcut.in_channels} channels but the "
            f"block input has {in_channels}"
        )
    if shortcut.out_channels != prev_out:
        raise ValueError(
            f"{name}: {last} gives {prev_out} channels but the projection shortcut "
            f"gives {shortcut.out_channels} ({fn} must equal the shortcut's width)"
        )
    if shortcut.stride != stride:
        raise ValueError(
            f"{name}: the main path has stride {stride} but the projection shortcut "
            f"has stride {shortcut.stride}"
        )


# ---- modules --------------------------------------------------------------------------------------


class ConfigurableBlock(nn.Module):
    """A residual block: ``conv_i -> bn_i (-> relu)`` for each :class:`ConvSpec`, plus a shortcut.

    Modules are named ``conv1``/``bn1`` ..., ``relu`` (one shared ReLU, as torchvision) and
    ``downsample`` (``Sequential(conv1x1, BatchNorm)``) for a projection. ``residual=False`` drops the
    addition (and needs ``shortcut=None``); ``relu_after_add=False`` drops the final ReLU.
    """

    spatial_index: int | None = None  # which conv is "the 3x3" in error messages
    num_convs: int | None = None

    def __init__(
        self,
        in_channels: int,
        convs: Sequence[ConvSpec],
        *,
        shortcut: ShortcutSpec | None = None,
        residual: bool = True,
        relu_after_add: bool = True,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        convs = tuple(convs)
        if self.num_convs is not None and len(convs) != self.num_convs:
            raise ValueError(f"{name}: needs {self.num_convs} convolutions, got {len(convs)}")
        _check_specs(name, in_channels, convs, shortcut, residual, self.spatial_index)
        self.in_channels = in_channels
        self.out_channels = convs[-1].out_channels
        self.specs = convs
        self.residual = residual
        self.relu_after_add = relu_after_add
        for i, c in enumerate(convs, start=1):
            self.add_module(
                f"conv{i}",
                nn.Conv2d(
                    c.in_channels,
                    c.out_channels,
                    c.kernel_size,
                    stride=c.stride,
                    padding=c.pad,
                    groups=c.groups,
                    bias=c.bias,
                ),
            )
            self.add_module(f"bn{i}", nn.BatchNorm2d(c.out_channels, eps=c.bn_eps))
        self.relu = nn.ReLU(inplace=True)
        self.downsample: nn.Module | None = None
        if shortcut is not None:
            self.downsample = nn.Sequential(
                nn.Conv2d(shortcut.in_channels, shortcut.out_channels, 1, stride=shortcut.stride, bias=False),
                nn.BatchNorm2d(shortcut.out_channels),
            )

    def forward(self, x: Tensor) -> Tensor:
        out = x
        for i, spec in enumerate(self.specs, start=1):
            out = getattr(self, f"bn{i}")(getattr(self, f"conv{i}")(out))
            if spec.relu:
                out = self.relu(out)
        if self.residual:
            out += x if self.downsample is None else self.downsample(x)
        return self.relu(out) if self.relu_after_add else out


class ConfigurableBottleneck(ConfigurableBlock):
    """Three convolutions (1x1 reduce F1, kxk F2, 1x1 expand F3); F3 must match the shortcut."""

    spatial_index = 1
    num_convs = 3


class ConfigurableBasic(ConfigurableBlock):
    """Two kxk convolutions (F1, F2); F2 must match the shortcut."""

    spatial_index = 1
    num_convs = 2


class ConfigurableResNet(nn.Module):
    """Stem (``conv1``, ``bn1``, ``relu``, optional ``maxpool``), ``layer1..N``, ``avgpool``, ``fc``."""

    def __init__(
        self, stem: StemConfig, stages: Sequence[Sequence[nn.Module]], out_channels: int, num_classes: int
    ) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(
            stem.in_channels,
            stem.channels,
            stem.kernel_size,
            stride=stem.stride,
            padding=stem.kernel_size // 2,
            bias=False,
        )
        self.bn1 = nn.BatchNorm2d(stem.channels)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(*POOL) if stem.pool else None
        self.num_stages = len(stages)
        for i, blocks in enumerate(stages):
            self.add_module(f"layer{i + 1}", nn.Sequential(*blocks))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(out_channels, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = self.relu(self.bn1(self.conv1(x)))
        if self.maxpool is not None:
            x = self.maxpool(x)
        for i in range(self.num_stages):
            x = getattr(self, f"layer{i + 1}")(x)
        return self.fc(torch.flatten(self.avgpool(x), 1))


# ---- configs --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConvConfig:
    """One main-path conv of a :class:`BlockConfig`; its input channels follow from the chain."""

    out_channels: int
    kernel_size: int = 1
    stride: int = 1
    groups: int = 1
    bias: bool = False
    bn_eps: float = DEFAULT_EPS
    relu: bool = True  # ReLU after this conv's BatchNorm (False for the last conv of a block)


@dataclass(frozen=True, slots=True)
class BlockConfig:
    """A residual block as data: input channels and the main path's convs (F1, F2[, F3]).

    ``shortcut="auto"`` uses a projection exactly when the block changes channels or strides.
    Build the common shapes with :meth:`bottleneck`, :meth:`basic` or :meth:`torchvision`.
    """

    in_channels: int
    convs: tuple[ConvConfig, ...]
    shortcut: ShortcutMode = "auto"
    residual: bool = True
    relu_after_add: bool = True

    # -- constructors
    @classmethod
    def bottleneck(
        cls,
        in_channels: int,
        filters: Sequence[int],
        *,
        kernel_size: int = 3,
        stride: int = 1,
        stride_in: Literal["3x3", "1x1"] = "3x3",
        groups: int = 1,
    ) -> BlockConfig:
        """1x1 -> kxk (``groups``) -> 1x1; ``stride_in`` puts the stride on the kxk (v1.5) or first 1x1."""
        f1, f2, f3 = (int(f) for f in filters)
        s1, s2 = (stride, 1) if stride_in == "1x1" else (1, stride)
        return cls(
            in_channels,
            (
                ConvConfig(f1, 1, s1),
                ConvConfig(f2, kernel_size, s2, groups),
                ConvConfig(f3, 1, 1, relu=False),
            ),
        )

    @classmethod
    def basic(
        cls,
        in_channels: int,
        filters: Sequence[int],
        *,
        kernel_size: int = 3,
        stride: int = 1,
        groups: int = 1,
    ) -> BlockConfig:
        """kxk (stride) -> kxk, as torchvision's BasicBlock."""
        f1, f2 = (int(f) for f in filters)
        return cls(
            in_channels,
            (ConvConfig(f1, kernel_size, stride, groups), ConvConfig(f2, kernel_size, 1, groups, relu=False)),
        )

    @classmethod
    def torchvision(
        cls,
        kind: BlockKindName,
        in_channels: int,
        width: int,
        stride: int = 1,
        *,
        groups: int = 1,
        base_width: int = 64,
        stride_in: Literal["3x3", "1x1"] = "3x3",
    ) -> BlockConfig:
        """The block ``models.Bottleneck``/``BasicBlock(in_channels, width, stride, ...)`` builds."""
        if kind == "basic":
            return cls.basic(in_channels, (width, width), stride=stride)
        mid = bottleneck_mid_channels(width, groups, base_width)
        return cls.bottleneck(
            in_channels, (mid, mid, width * 4), stride=stride, stride_in=stride_in, groups=groups
        )

    # -- derived
    @property
    def kind(self) -> BlockKindName:
        return "bottleneck" if len(self.convs) == 3 else "basic"

    @property
    def filters(self) -> tuple[int, ...]:
        return tuple(c.out_channels for c in self.convs)

    @property
    def out_channels(self) -> int:
        return self.convs[-1].out_channels

    @property
    def stride(self) -> int:
        return math.prod(c.stride for c in self.convs)

    @property
    def stride_at(self) -> int | None:
        """Index of the main-path conv that carries the stride (None when the block keeps the size)."""
        return next((i for i, c in enumerate(self.convs) if c.stride != 1), None)

    @property
    def spatial_index(self) -> int:
        """Index of the conv with the largest kernel (the 3x3 of a bottleneck)."""
        return max(range(len(self.convs)), key=lambda i: (self.convs[i].kernel_size, -i))

    @property
    def has_projection(self) -> bool:
        if not self.residual or self.shortcut == "identity":
            return False
        return self.shortcut == "projection" or self.stride != 1 or self.in_channels != self.out_channels

    def conv_specs(self) -> tuple[ConvSpec, ...]:
        specs, cin = [], self.in_channels
        for c in self.convs:
            specs.append(
                ConvSpec(
                    cin, c.out_channels, c.kernel_size, c.stride, c.groups, c.bias, None, c.bn_eps, c.relu
                )
            )
            cin = c.out_channels
        return tuple(specs)

    def build(self) -> ConfigurableBlock:
        cls = {3: ConfigurableBottleneck, 2: ConfigurableBasic}.get(len(self.convs), ConfigurableBlock)
        shortcut = (
            ShortcutSpec(self.in_channels, self.out_channels, self.stride) if self.has_projection else None
        )
        return cls(
            self.in_channels,
            self.conv_specs(),
            shortcut=shortcut,
            residual=self.residual,
            relu_after_add=self.relu_after_add,
        )

    def replace_conv(self, index: int, **changes: object) -> BlockConfig:
        convs = list(self.convs)
        convs[index] = replace(convs[index], **changes)
        return replace(self, convs=tuple(convs))


@dataclass(frozen=True, slots=True)
class StemConfig:
    """``conv1`` (k x k, stride, padding k // 2) -> ``bn1`` -> ``relu`` (-> 3x3/2 ``maxpool``)."""

    in_channels: int = 3
    channels: int = 64
    kernel_size: int = 7
    stride: int = 2
    pool: bool = True


@dataclass(frozen=True, slots=True)
class ResNetConfig:
    """A whole network: stem, stages of blocks (``layer1`` ...), global average pool and ``fc``."""

    stem: StemConfig
    stages: tuple[tuple[BlockConfig, ...], ...]
    num_classes: int = 10

    def __post_init__(self) -> None:
        if not self.stages or any(not s for s in self.stages):
            raise ValueError("ResNetConfig: needs at least one stage and one block per stage")
        if self.num_classes < 1:
            raise ValueError(f"ResNetConfig: num_classes must be >= 1, got {self.num_classes}")
        prev, where = self.stem.channels, "the stem"
        for si, stage in enumerate(self.stages):
            for bi, block in enumerate(stage):
                if block.in_channels != prev:
                    raise ValueError(
                        f"ResNetConfig: layer{si + 1}.{bi} takes {block.in_channels} "
                        f"channels but {where} gives {prev}"
                    )
                prev, where = block.out_channels, f"layer{si + 1}.{bi}"

    @classmethod
    def from_plans(
        cls,
        kind: BlockKindName,
        plans: Sequence[StagePlan],
        *,
        stem: StemConfig | None = None,
        groups: int = 1,
        stride_in: Literal["3x3", "1x1"] = "3x3",
        kernel_size: int = 3,
        num_classes: int = 10,
    ) -> ResNetConfig:
        """Blocks as :mod:`resnet_verify.models.resnet` builds them from ``plans`` (mid/out channels as given)."""
        stem = stem or StemConfig(channels=plans[0].in_channels)
        stages = []
        for p in plans:
            blocks = []
            for j in range(p.blocks):
                cin, stride = (p.in_channels, p.stride) if j == 0 else (p.out_channels, 1)
                if kind == "basic":
                    blocks.append(
                        BlockConfig.basic(
                            cin, (p.mid_channels, p.out_channels), kernel_size=kernel_size, stride=stride
                        )
                    )
                else:
                    blocks.append(
                        BlockConfig.bottleneck(
                            cin,
                            (p.mid_channels, p.mid_channels, p.out_channels),
                            kernel_size=kernel_size,
                            stride=stride,
                            stride_in=stride_in,
                            groups=groups,
                        )
                    )
            stages.append(tuple(blocks))
        return cls(stem, tuple(stages), num_classes)

    @property
    def blocks(self) -> tuple[BlockConfig, ...]:
        return tuple(b for stage in self.stages for b in stage)

    @property
    def out_channels(self) -> int:
        return self.stages[-1][-1].out_channels

    @staticmethod
    def stage_path(stage: int) -> str:
        return f"layer{stage + 1}"

    @staticmethod
    def block_path(stage: int, block: int) -> str:
        return f"layer{stage + 1}.{block}"

    def block_paths(self) -> tuple[str, ...]:
        return tuple(self.block_path(i, j) for i, s in enumerate(self.stages) for j in range(len(s)))

    def input_shape(self, size: int | tuple[int, int], batch: int = 1) -> Shape:
        h, w = (size, size) if isinstance(size, int) else size
        return (batch, self.stem.in_channels, h, w)

    def build(self, num_classes: int | None = None) -> ConfigurableResNet:
        stages = [[b.build() for b in stage] for stage in self.stages]
        return ConfigurableResNet(
            self.stem, stages, self.out_channels, self.num_classes if num_classes is None else num_classes
        )

    def replace_block(self, stage: int, block: int, new: BlockConfig | None) -> ResNetConfig:
        """A copy with block ``(stage, block)`` replaced (or removed when ``new`` is None)."""
        blocks = list(self.stages[stage])
        if new is None:
            del blocks[block]
        else:
            blocks[block] = new
        stages = list(self.stages)
        stages[stage] = tuple(blocks)
        return replace(self, stages=tuple(stages))

    def insert_block(self, stage: int, index: int, new: BlockConfig) -> ResNetConfig:
        blocks = list(self.stages[stage])
        blocks.insert(index, new)
        stages = list(self.stages)
        stages[stage] = tuple(blocks)
        return replace(self, stages=tuple(stages))


__all__ = [
    "BlockConfig",
    "ConfigurableBasic",
    "ConfigurableBlock",
    "ConfigurableBottleneck",
    "ConfigurableResNet",
    "ConvConfig",
    "ConvSpec",
    "ResNetConfig",
    "ShortcutSpec",
    "StemConfig",
]
