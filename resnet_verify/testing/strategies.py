"""Hypothesis strategies for residual blocks and ResNets, formulas to check them, and mutations.

Needs hypothesis (``pip install 'resnet-verify[test]'``). Everything generated is tiny by default
(widths 4-32, 1-3 blocks per stage, 1-4 stages) so a property test traces hundreds of models a
minute. Typical use::

    from hypothesis import given, strategies as st
    from resnet_verify.testing import strategies as rs
    from resnet_verify.tracing.tracer import trace

    @given(st.data())
    def test_shapes(data):
        cfg = data.draw(rs.resnet_configs())
        shape = cfg.input_shape(data.draw(rs.input_sizes(cfg)))
        assert trace(cfg.build(), shape).output_shape == rs.expected_output_shape(cfg, shape)

:func:`mutations` draws ``(mutated_cfg, Mutation)``: a single, known deviation from ``cfg`` plus the
mismatch kinds :func:`resnet_verify.verify.comparison.compare_traces` must report and where.
"""

from __future__ import annotations

import enum
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

try:
    from hypothesis import HealthCheck, assume, settings
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "resnet_verify.testing.strategies needs hypothesis: pip install 'resnet-verify[test]'"
    ) from exc

from resnet_verify.models.configurable import BlockConfig, ResNetConfig, StemConfig
from resnet_verify.models.resnet import StagePlan, bottleneck_mid_channels
from resnet_verify.testing.formulas import (
    expected_block_params,
    expected_block_shapes,
    expected_channel_chain,
    expected_output_shape,
    expected_param_count,
    min_input_size,
)
from resnet_verify.verify.records import MismatchKind

BlockKindName = Literal["basic", "bottleneck"]
KINDS: tuple[BlockKindName, ...] = ("basic", "bottleneck")
GROUPS = (1, 2, 4)
BASE_WIDTHS = (16, 32, 64, 128)
KERNELS = (1, 3, 5)
EPS_CHOICES = (1e-3, 1e-4, 1e-6, 0.1)


# ---- profiles -------------------------------------------------------------------------------------


def register_profiles() -> None:
    """Register the ``ci`` (fixed, quick), ``dev`` (random, 50) and ``fuzz`` (random, 500) profiles."""
    quiet = [HealthCheck.too_slow, HealthCheck.data_too_large]
    settings.register_profile(
        "ci",
        derandomize=True,
        max_examples=10,
        deadline=None,
        suppress_health_check=quiet,
        database=None,
        print_blob=True,
    )
    settings.register_profile(
        "dev", max_examples=50, deadline=None, suppress_health_check=quiet, print_blob=True
    )
    settings.register_profile(
        "fuzz", max_examples=500, deadline=None, suppress_health_check=quiet, print_blob=True
    )


def load_profile(default: str = "ci") -> str:
    """Register the profiles and load ``$HYPOTHESIS_PROFILE`` (else ``default``); returns its name."""
    register_profiles()
    name = os.environ.get("HYPOTHESIS_PROFILE", default)
    settings.load_profile(name)
    return name


# ---- blocks ---------------------------------------------------------------------------------------


@st.composite
def block_configs(
    draw: Any,
    kind: BlockKindName | None = None,
    *,
    in_channels: int | None = None,
    stride: int | None = None,
    min_width: int = 4,
    max_width: int = 32,
    kernel_sizes: Sequence[int] = KERNELS,
) -> BlockConfig:
    """A residual block: torchvision-shaped (width, groups, base width, stride_in) or free filters.

    Free filters draw F1/F2 (and F3 for a bottleneck, up to ``4 * max_width``), the spatial conv's
    kernel and groups, the stride and which conv carries it. ``in_channels`` defaults to either the
    block's output width (an identity block when the stride is 1) or an independent draw.
    """
    kind = kind or draw(st.sampled_from(KINDS))
    stride = stride if stride is not None else draw(st.sampled_from((1, 2)))
    if draw(st.booleans()):  # torchvision's parametrisation
        width = draw(st.integers(min_width, max_width))
        groups, base_width = 1, 64
        if kind == "bottleneck":
            groups = draw(st.sampled_from(GROUPS))
            base_width = draw(st.sampled_from(BASE_WIDTHS))
        cfg = BlockConfig.torchvision(
            kind,
            1,
            width,
            stride,
            groups=groups,
            base_width=base_width,
            stride_in=draw(st.sampled_from(("3x3", "1x1"))),
        )
    else:
        groups = draw(st.sampled_from(GROUPS if kind == "bottleneck" else (1, 1, 2)))
        lo, hi = max(1, math.ceil(min_width / groups)), max(1, max_width // groups)
        f1 = groups * draw(st.integers(lo, hi))
        f2 = groups * draw(st.integers(lo, hi))
        kernel = draw(st.sampled_from(tuple(kernel_sizes)))
        if kind == "bottleneck":
            f3 = draw(st.integers(min_width, 4 * max_width))
            cfg = BlockConfig.bottleneck(1, (f1, f2, f3), kernel_size=kernel, groups=groups)
        else:
            cfg = BlockConfig.basic(1, (f1, f2), kernel_size=kernel, groups=groups)
        if stride != 1:
            cfg = cfg.replace_conv(draw(st.integers(0, len(cfg.convs) - 1)), stride=stride)
    if in_channels is None:
        same = draw(st.booleans())
        g = cfg.convs[0].groups  # a grouped first conv needs a multiple of its groups
        in_channels = (
            cfg.out_channels
            if same
            else g * draw(st.integers(max(1, math.ceil(min_width / g)), max(1, max_width // g)))
        )
    return replace(cfg, in_channels=in_channels)


def bottleneck_configs(**kwargs: Any) -> st.SearchStrategy[BlockConfig]:
    return block_configs("bottleneck", **kwargs)


def basic_configs(**kwargs: Any) -> st.SearchStrategy[BlockConfig]:
    return block_configs("basic", **kwargs)


# ---- networks -------------------------------------------------------------------------------------


@st.composite
def stem_configs(draw: Any, *, min_width: int = 4, max_width: int = 32) -> StemConfig:
    return StemConfig(
        in_channels=draw(st.sampled_from((3, 1))),
        channels=draw(st.integers(min_width, max_width)),
        kernel_size=draw(st.sampled_from((7, 3, 5))),
        stride=draw(st.sampled_from((2, 1))),
        pool=draw(st.booleans()),
    )


@st.composite
def stage_plans(
    draw: Any,
    kind: BlockKindName = "bottleneck",
    *,
    stem_channels: int = 16,
    groups: int = 1,
    base_width: int = 64,
    min_stages: int = 1,
    max_stages: int = 4,
    min_blocks: int = 1,
    max_blocks: int = 3,
    min_width: int = 4,
    max_width: int = 32,
) -> tuple[StagePlan, ...]:
    """Chained :class:`~resnet_verify.models.resnet.StagePlan` s (``layer1`` ...), as torchvision plans them.

    Stage widths are distinct, so consecutive stages never have the same output shape (the tracer
    groups blocks into stages by output shape); the first stage keeps the size, later ones stride 1
    or 2.
    """
    n = draw(st.integers(min_stages, max_stages))
    widths = draw(st.lists(st.integers(min_width, max_width), min_size=n, max_size=n, unique=True))
    expansion = 4 if kind == "bottleneck" else 1
    plans, cin, reduction = [], stem_channels, 1
    for i, width in enumerate(widths):
        stride = 1 if i == 0 else draw(st.sampled_from((2, 1)))
        reduction *= stride
        mid = width if kind == "basic" else bottleneck_mid_channels(width, groups, base_width)
        out = width * expansion
        plans.append(
            StagePlan(
                f"layer{i + 1}",
                draw(st.integers(min_blocks, max_blocks)),
                cin,
                width,
                mid,
                out,
                stride,
                reduction,
            )
        )
        cin = out
    return tuple(plans)


@st.composite
def resnet_configs(
    draw: Any,
    kind: BlockKindName | None = None,
    *,
    min_stages: int = 1,
    max_stages: int = 4,
    min_blocks: int = 1,
    max_blocks: int = 3,
    min_width: int = 4,
    max_width: int = 32,
    num_classes: st.SearchStrategy[int] | None = None,
) -> ResNetConfig:
    """A whole tiny ResNet: block type, stem, stage plans, groups/base width, stride placement."""
    kind = kind or draw(st.sampled_from(KINDS))
    stem = draw(stem_configs(min_width=min_width, max_width=max_width))
    groups, base_width, stride_in = 1, 64, "3x3"
    if kind == "bottleneck":
        groups = draw(st.sampled_from(GROUPS))
        base_width = draw(st.sampled_from(BASE_WIDTHS))
        stride_in = draw(st.sampled_from(("3x3", "1x1")))
    plans = draw(
        stage_plans(
            kind,
            stem_channels=stem.channels,
            groups=groups,
            base_width=base_width,
            min_stages=min_stages,
            max_stages=max_stages,
            min_blocks=min_blocks,
            max_blocks=max_blocks,
            min_width=min_width,
            max_width=max_width,
        )
    )
    kernel = draw(st.sampled_from((3, 3, 1, 5)))
    classes = draw(num_classes if num_classes is not None else st.integers(1, 10))
    return ResNetConfig.from_plans(
        kind, plans, stem=stem, groups=groups, stride_in=stride_in, kernel_size=kernel, num_classes=classes
    )


def input_sizes(
    cfg: BlockConfig | ResNetConfig, *, min_size: int = 1, max_size: int = 64
) -> st.SearchStrategy[int]:
    """Square input sides from the smallest that keeps every feature map >= 1 px up to ``max_size``."""
    lo = max(min_size, min_input_size(cfg))
    return st.integers(lo, max(lo, max_size))


def input_shape_of(cfg: BlockConfig | ResNetConfig, size: int) -> tuple[int, int, int, int]:
    channels = cfg.in_channels if isinstance(cfg, BlockConfig) else cfg.stem.in_channels
    return (1, channels, size, size)


# ---- mutations ------------------------------------------------------------------------------------


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


def _blocks(cfg: ResNetConfig) -> list[tuple[int, int, BlockConfig]]:
    return [(i, j, b) for i, stage in enumerate(cfg.stages) for j, b in enumerate(stage)]


def _divisors(n: int) -> list[int]:
    return [d for d in range(2, n + 1) if n % d == 0]


def mutation_sites(cfg: ResNetConfig, kind: MutationKind) -> list[tuple[Any, ...]]:
    """Every place ``kind`` can be applied, with the variants it can take there.

    Sites are tuples for :func:`mutate`: ``(stage,)`` for block-count kinds, else
    ``(stage, block, ...)`` plus the conv index and new value where the kind needs them.
    """
    K = MutationKind
    sites: list[tuple[Any, ...]] = []
    for i, j, b in _blocks(cfg):
        n = len(b.convs)
        if kind is K.STRIDE_PLACEMENT and b.stride != 1 and b.stride_at is not None:
            sites += [(i, j, k) for k in range(n) if k != b.stride_at]
        elif kind is K.KERNEL:
            sites += [(i, j, k, kern) for k in range(n) for kern in KERNELS if kern != b.convs[k].kernel_size]
        elif kind is K.WIDTH:
            for k in range(n - 1):
                step = math.lcm(b.convs[k].groups, b.convs[k + 1].groups)
                f = b.convs[k].out_channels
                sites += [(i, j, k, f + step)] + ([(i, j, k, f - step)] if f > step else [])
        elif kind is K.DROP_RELU:
            sites += [(i, j, f"conv{k + 1}") for k in range(n) if b.convs[k].relu]
            sites += [(i, j, "add")] if b.relu_after_add else []
        elif kind is K.DROP_SHORTCUT and b.residual:
            sites.append((i, j))
        elif kind is K.BN_EPS:
            sites += [(i, j, k, eps) for k in range(n) for eps in EPS_CHOICES if eps != b.convs[k].bn_eps]
        elif kind is K.CONV_BIAS:
            sites += [(i, j, k) for k in range(n) if not b.convs[k].bias]
        elif kind is K.GROUPS_1X1:
            specs = b.conv_specs()
            sites += [
                (i, j, k, g)
                for k, s in enumerate(specs)
                if s.kernel_size == 1 and s.groups == 1
                for g in _divisors(math.gcd(s.in_channels, s.out_channels))[:3]
            ]
    if kind is K.DROP_BLOCK:
        sites = [(i,) for i, stage in enumerate(cfg.stages) if len(stage) >= 2]
    elif kind is K.ADD_BLOCK:
        sites = [(i,) for i in range(len(cfg.stages))]
    return sites


def applicable_kinds(cfg: ResNetConfig) -> tuple[MutationKind, ...]:
    return tuple(k for k in MutationKind if mutation_sites(cfg, k))


def mutate(cfg: ResNetConfig, kind: MutationKind, site: tuple[Any, ...]) -> tuple[ResNetConfig, Mutation]:
    """Apply ``kind`` at ``site`` (one of :func:`_sites`); pure and deterministic."""
    K = MutationKind
    expected = EXPECTED_KINDS[kind]
    if kind is K.DROP_BLOCK:
        (i,) = site
        j = len(cfg.stages[i]) - 1
        return cfg.replace_block(i, j, None), Mutation(
            kind, Location(i), expected, f"drop the last block of {Location(i).path}"
        )
    if kind is K.ADD_BLOCK:
        (i,) = site
        last = cfg.stages[i][-1]
        convs = tuple(replace(c, stride=1) for c in last.convs)
        new = BlockConfig(last.out_channels, convs)
        return cfg.insert_block(i, len(cfg.stages[i]), new), Mutation(
            kind, Location(i), expected, f"append an identity block to {Location(i).path}"
        )
    i, j = site[0], site[1]
    b = cfg.stages[i][j]
    if kind is K.STRIDE_PLACEMENT:
        k = site[2]
        old = b.stride_at
        assert old is not None
        new_b = b.replace_conv(old, stride=1).replace_conv(k, stride=b.convs[old].stride)
        loc, what = Location(i, j, f"conv{k + 1}"), f"move the stride from conv{old + 1} to conv{k + 1}"
    elif kind is K.KERNEL:
        k, kern = site[2], site[3]
        new_b = b.replace_conv(k, kernel_size=kern)
        loc, what = Location(i, j, f"conv{k + 1}"), f"conv{k + 1} kernel {b.convs[k].kernel_size} -> {kern}"
    elif kind is K.WIDTH:
        k, width = site[2], site[3]
        new_b = b.replace_conv(k, out_channels=width)
        loc, what = Location(i, j, f"conv{k + 1}"), f"F{k + 1} {b.convs[k].out_channels} -> {width}"
    elif kind is K.DROP_RELU:
        layer = site[2]
        if layer == "add":
            new_b = replace(b, relu_after_add=False)
            what = "drop the ReLU after the add"
        else:
            new_b = b.replace_conv(int(layer[4:]) - 1, relu=False)
            what = f"drop the ReLU after {layer}"
        loc = Location(i, j, "relu")
    elif kind is K.DROP_SHORTCUT:
        new_b = replace(b, residual=False)
        first = (i, j) == (0, 0)
        # The first block without its add is indistinguishable from more stem (its ops are reported
        # as extra stem layers / a missing block); any later one becomes a "plain" unit (OP).
        expected = frozenset({_M.MISSING}) if first else frozenset({_M.OP})
        loc, what = Location(i, j, None), "drop the residual add"
    elif kind is K.BN_EPS:
        k, eps = site[2], site[3]
        new_b = b.replace_conv(k, bn_eps=eps)
        loc, what = Location(i, j, f"bn{k + 1}"), f"bn{k + 1} eps {b.convs[k].bn_eps} -> {eps}"
    elif kind is K.CONV_BIAS:
        k = site[2]
        new_b = b.replace_conv(k, bias=True)
        loc, what = Location(i, j, f"conv{k + 1}"), f"conv{k + 1} gets a bias"
    elif kind is K.GROUPS_1X1:
        k, g = site[2], site[3]
        new_b = b.replace_conv(k, groups=g)
        loc, what = Location(i, j, f"conv{k + 1}"), f"1x1 conv{k + 1} groups 1 -> {g}"
    else:  # pragma: no cover
        raise ValueError(f"unknown mutation kind {kind!r}")
    return cfg.replace_block(i, j, new_b), Mutation(kind, loc, expected, f"{loc.path}: {what}")


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


__all__ = [
    "EXPECTED_KINDS",
    "Location",
    "Mutation",
    "MutationKind",
    "applicable_kinds",
    "basic_configs",
    "block_configs",
    "bottleneck_configs",
    "expected_block_params",
    "expected_block_shapes",
    "expected_channel_chain",
    "expected_output_shape",
    "expected_param_count",
    "input_shape_of",
    "input_sizes",
    "load_profile",
    "min_input_size",
    "mutate",
    "mutation_sites",
    "mutations",
    "register_profiles",
    "resnet_configs",
    "stage_plans",
    "stem_configs",
]
