"""Frozen, hashable configs of configurable blocks and ResNets, each with a ``build()`` method;
:mod:`resnet_verify.testing.formulas` predicts from a config what the tracer should measure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from resnet_verify.models.configurable import (
    DEFAULT_EPS,
    BlockKindName,
    ConfigurableBasic,
    ConfigurableBlock,
    ConfigurableBottleneck,
    ConfigurableResNet,
    ConvSpec,
    Shape,
    ShortcutMode,
    ShortcutSpec,
)
from resnet_verify.models.resnet import StagePlan, bottleneck_mid_channels


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

    def replace_conv(self, index: int, **changes: Any) -> BlockConfig:
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
