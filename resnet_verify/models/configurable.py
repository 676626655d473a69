"""Configurable residual blocks and ResNets: the modules (their configs are in ``configs.py``).

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import torch
from torch import Tensor, nn

if TYPE_CHECKING:
    from resnet_verify.models.configs import StemConfig

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


def _check_chain(name: str, in_channels: int, convs: Sequence[ConvSpec], spatial: int | None) -> int:
    """Check that each conv takes what the previous one gives; returns the last width."""
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
    return prev_out


def _check_shortcut(
    name: str, in_channels: int, convs: Sequence[ConvSpec], out: int, shortcut: ShortcutSpec | None
) -> None:
    last, fn = f"conv{len(convs)}", f"F{len(convs)}"
    stride = math.prod(c.stride for c in convs)
    if shortcut is None:
        if out != in_channels:
            raise ValueError(
                f"{name}: {last} gives {out} channels but the identity shortcut "
                f"carries {in_channels} ({fn} must equal the shortcut's width)"
            )
        if stride != 1:
            raise ValueError(
                f"{name}: the main path has stride {stride} but the identity shortcut has stride 1 (add a projection)"
            )
        return
    if shortcut.in_channels != in_channels:
        raise ValueError(
            f"{name}: the projection takes {shortcut.in_channels} channels but the block input has {in_channels}"
        )
    if shortcut.out_channels != out:
        raise ValueError(
            f"{name}: {last} gives {out} channels but the projection shortcut "
            f"gives {shortcut.out_channels} ({fn} must equal the shortcut's width)"
        )
    if shortcut.stride != stride:
        raise ValueError(
            f"{name}: the main path has stride {stride} but the projection shortcut has stride {shortcut.stride}"
        )


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
    out = _check_chain(name, in_channels, convs, spatial)
    if not residual:
        if shortcut is not None:
            raise ValueError(f"{name}: a projection shortcut without the residual add is never used")
        return
    _check_shortcut(name, in_channels, convs, out, shortcut)


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
