"""Single known bugs applied to a :class:`ResNetConfig`, with the mismatch kinds a comparison must
report and where (hypothesis strategy :func:`mutations`)."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from resnet_verify.models.configs import BlockConfig, ResNetConfig
from resnet_verify.verify.records import MismatchKind

KERNELS = (1, 3, 5)
EPS_CHOICES = (1e-3, 1e-4, 1e-6, 0.1)


class MutationKind(str, enum.Enum):
    STRIDE_PLACEMENT = "stride_placement"  # move a block's stride to another conv
    KERNEL = "kernel"  # change a main-path conv's kernel (padding follows: k // 2)
    WIDTH = "width"  # change an inner width (F1 or F2) of a block
    DROP_BLOCK = "drop_block"
    ADD_BLOCK = "add_block"
    DROP_RELU = "drop_relu"
    DROP_SHORTCUT = "drop_shortcut"  # no residual add
    BN_EPS = "bn_eps"
    CONV_BIAS = "conv_bias"
    GROUPS_1X1 = "groups_1x1"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a mutation sits: stage index, block index in the stage (None: the stage), layer name."""

    stage: int
    block: int | None = None
    layer: str | None = None

    @property
    def stage_path(self) -> str:
        return ResNetConfig.stage_path(self.stage)

    @property
    def path(self) -> str:
        """The block's module path (``layer2.1``), or the stage's for block-count mutations."""
        if self.block is None:
            return self.stage_path
        return ResNetConfig.block_path(self.stage, self.block)

    @property
    def layer_path(self) -> str:
        return f"{self.path}.{self.layer}" if self.layer else self.path


@dataclass(frozen=True, slots=True)
class Mutation:
    """One deviation: ``kinds`` are the mismatch kinds a comparison must report (all of them)."""

    kind: MutationKind
    location: Location
    kinds: frozenset[MismatchKind]
    description: str


_M = MismatchKind
# Mismatch kinds each mutation must produce, whatever the input size (a stride on a 1 px map does
# not change any shape, so STRIDE_PLACEMENT only promises the attribute).
EXPECTED_KINDS: dict[MutationKind, frozenset[MismatchKind]] = {
    MutationKind.STRIDE_PLACEMENT: frozenset({_M.ATTRIBUTE}),
    MutationKind.KERNEL: frozenset({_M.ATTRIBUTE, _M.PARAMS}),
    MutationKind.WIDTH: frozenset({_M.SHAPE, _M.PARAMS}),
    MutationKind.DROP_BLOCK: frozenset({_M.MISSING}),
    MutationKind.ADD_BLOCK: frozenset({_M.EXTRA}),
    MutationKind.DROP_RELU: frozenset({_M.OP}),
    MutationKind.DROP_SHORTCUT: frozenset({_M.OP}),  # MISSING instead for the first block: see mutate
    MutationKind.BN_EPS: frozenset({_M.ATTRIBUTE}),
    MutationKind.CONV_BIAS: frozenset({_M.ATTRIBUTE, _M.PARAMS}),
    MutationKind.GROUPS_1X1: frozenset({_M.ATTRIBUTE, _M.PARAMS}),
}


@dataclass(frozen=True, slots=True)
class MutationSite:
    """Where :func:`mutate` applies a kind: a stage (block-count kinds), else a block, with the conv
    index and the new value (kernel, width, eps, groups) or the ReLU's layer where the kind needs them."""

    stage: int
    block: int = 0
    conv: int = 0
    value: Any = None
    layer: str | None = None


def _divisors(n: int) -> list[int]:
    return [d for d in range(2, n + 1) if n % d == 0]


def _block_sites(i: int, j: int, b: BlockConfig, kind: MutationKind) -> list[MutationSite]:
    K, n = MutationKind, len(b.convs)
    if kind is K.STRIDE_PLACEMENT and b.stride != 1 and b.stride_at is not None:
        return [MutationSite(i, j, k) for k in range(n) if k != b.stride_at]
    if kind is K.KERNEL:
        return [
            MutationSite(i, j, k, kern)
            for k in range(n)
            for kern in KERNELS
            if kern != b.convs[k].kernel_size
        ]
    if kind is K.WIDTH:
        out = []
        for k in range(n - 1):
            step, f = math.lcm(b.convs[k].groups, b.convs[k + 1].groups), b.convs[k].out_channels
            out += [MutationSite(i, j, k, f + step)] + ([MutationSite(i, j, k, f - step)] if f > step else [])
        return out
    if kind is K.DROP_RELU:
        relus = [MutationSite(i, j, k, layer=f"conv{k + 1}") for k in range(n) if b.convs[k].relu]
        return relus + ([MutationSite(i, j, layer="add")] if b.relu_after_add else [])
    if kind is K.DROP_SHORTCUT:
        return [MutationSite(i, j)] if b.residual else []
    if kind is K.BN_EPS:
        return [
            MutationSite(i, j, k, eps) for k in range(n) for eps in EPS_CHOICES if eps != b.convs[k].bn_eps
        ]
    if kind is K.CONV_BIAS:
        return [MutationSite(i, j, k) for k in range(n) if not b.convs[k].bias]
    if kind is K.GROUPS_1X1:
        return [
            MutationSite(i, j, k, g)
            for k, s in enumerate(b.conv_specs())
            if s.kernel_size == 1 and s.groups == 1
            for g in _divisors(math.gcd(s.in_channels, s.out_channels))[:3]
        ]
    return []


def mutation_sites(cfg: ResNetConfig, kind: MutationKind) -> list[MutationSite]:
    """Every place ``kind`` can be applied, with the variants it can take there."""
    if kind is MutationKind.DROP_BLOCK:
        return [MutationSite(i) for i, stage in enumerate(cfg.stages) if len(stage) >= 2]
    if kind is MutationKind.ADD_BLOCK:
        return [MutationSite(i) for i in range(len(cfg.stages))]
    return [
        s
        for i, stage in enumerate(cfg.stages)
        for j, b in enumerate(stage)
        for s in _block_sites(i, j, b, kind)
    ]


def applicable_kinds(cfg: ResNetConfig) -> tuple[MutationKind, ...]:
    return tuple(k for k in MutationKind if mutation_sites(cfg, k))


_Change = tuple[BlockConfig, Location, str]


def _stride(b: BlockConfig, s: MutationSite) -> _Change:
    old = b.stride_at
    assert old is not None
    new_b = b.replace_conv(old, stride=1).replace_conv(s.conv, stride=b.convs[old].stride)
    return (
        new_b,
        Location(s.stage, s.block, f"conv{s.conv + 1}"),
        f"move the stride from conv{old + 1} to conv{s.conv + 1}",
    )


def _kernel(b: BlockConfig, s: MutationSite) -> _Change:
    what = f"conv{s.conv + 1} kernel {b.convs[s.conv].kernel_size} -> {s.value}"
    return b.replace_conv(s.conv, kernel_size=s.value), Location(s.stage, s.block, f"conv{s.conv + 1}"), what


def _width(b: BlockConfig, s: MutationSite) -> _Change:
    what = f"F{s.conv + 1} {b.convs[s.conv].out_channels} -> {s.value}"
    return b.replace_conv(s.conv, out_channels=s.value), Location(s.stage, s.block, f"conv{s.conv + 1}"), what


def _drop_relu(b: BlockConfig, s: MutationSite) -> _Change:
    loc = Location(s.stage, s.block, "relu")
    if s.layer == "add":
        return replace(b, relu_after_add=False), loc, "drop the ReLU after the add"
    assert s.layer is not None
    return b.replace_conv(int(s.layer[4:]) - 1, relu=False), loc, f"drop the ReLU after {s.layer}"


def _drop_shortcut(b: BlockConfig, s: MutationSite) -> _Change:
    return replace(b, residual=False), Location(s.stage, s.block, None), "drop the residual add"


def _bn_eps(b: BlockConfig, s: MutationSite) -> _Change:
    what = f"bn{s.conv + 1} eps {b.convs[s.conv].bn_eps} -> {s.value}"
    return b.replace_conv(s.conv, bn_eps=s.value), Location(s.stage, s.block, f"bn{s.conv + 1}"), what


def _conv_bias(b: BlockConfig, s: MutationSite) -> _Change:
    return (
        b.replace_conv(s.conv, bias=True),
        Location(s.stage, s.block, f"conv{s.conv + 1}"),
        f"conv{s.conv + 1} gets a bias",
    )


def _groups(b: BlockConfig, s: MutationSite) -> _Change:
    what = f"1x1 conv{s.conv + 1} groups 1 -> {s.value}"
    return b.replace_conv(s.conv, groups=s.value), Location(s.stage, s.block, f"conv{s.conv + 1}"), what


_BLOCK_MUTATIONS: dict[MutationKind, Callable[[BlockConfig, MutationSite], _Change]] = {
    MutationKind.STRIDE_PLACEMENT: _stride,
    MutationKind.KERNEL: _kernel,
    MutationKind.WIDTH: _width,
    MutationKind.DROP_RELU: _drop_relu,
    MutationKind.DROP_SHORTCUT: _drop_shortcut,
    MutationKind.BN_EPS: _bn_eps,
    MutationKind.CONV_BIAS: _conv_bias,
    MutationKind.GROUPS_1X1: _groups,
}


def mutate(cfg: ResNetConfig, kind: MutationKind, site: MutationSite) -> tuple[ResNetConfig, Mutation]:
    """Apply ``kind`` at ``site`` (one of :func:`mutation_sites`); pure and deterministic."""
    expected = EXPECTED_KINDS[kind]
    i = site.stage
    if kind is MutationKind.DROP_BLOCK:
        loc = Location(i)
        return cfg.replace_block(i, len(cfg.stages[i]) - 1, None), Mutation(
            kind, loc, expected, f"drop the last block of {loc.path}"
        )
    if kind is MutationKind.ADD_BLOCK:
        last = cfg.stages[i][-1]
        new = BlockConfig(last.out_channels, tuple(replace(c, stride=1) for c in last.convs))
        return cfg.insert_block(i, len(cfg.stages[i]), new), Mutation(
            kind, Location(i), expected, f"append an identity block to {Location(i).path}"
        )
    new_b, loc, what = _BLOCK_MUTATIONS[kind](cfg.stages[i][site.block], site)
    if kind is MutationKind.DROP_SHORTCUT and (i, site.block) == (0, 0):
        # The first block without its add is indistinguishable from more stem (its ops are reported
        # as extra stem layers / a missing block); any later one becomes a "plain" unit (OP).
        expected = frozenset({_M.MISSING})
    return cfg.replace_block(i, site.block, new_b), Mutation(kind, loc, expected, f"{loc.path}: {what}")


@st.composite
def mutations(
    draw: Any, cfg: ResNetConfig, kinds: Sequence[MutationKind | str] | None = None
) -> tuple[ResNetConfig, Mutation]:
    """``(mutated_cfg, Mutation)``: one randomly chosen applicable mutation of ``cfg``.

    ``kinds`` restricts the choice; when none of them applies to ``cfg`` the example is rejected
    (hypothesis ``assume``), so pair a restricted choice with configs where it usually applies.
    """
    allowed = [MutationKind(k) for k in kinds] if kinds is not None else list(MutationKind)
    usable = [k for k in allowed if mutation_sites(cfg, k)]
    assume(bool(usable))
    kind = draw(st.sampled_from(usable))
    site = draw(st.sampled_from(mutation_sites(cfg, kind)))
    return mutate(cfg, kind, site)
