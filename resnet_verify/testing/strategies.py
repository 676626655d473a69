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

import math
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

try:
    from hypothesis import HealthCheck, settings
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "resnet_verify.testing.strategies needs hypothesis: pip install 'resnet-verify[test]'"
    ) from exc

from resnet_verify.models.configs import BlockConfig, ResNetConfig, StemConfig
from resnet_verify.models.resnet import StagePlan, StrideIn, bottleneck_mid_channels
from resnet_verify.testing.formulas import (
    expected_block_params,
    expected_block_shapes,
    expected_channel_chain,
    expected_output_shape,
    expected_param_count,
    min_input_size,
)
from resnet_verify.testing.mutations import (
    EXPECTED_KINDS,
    KERNELS,
    Location,
    Mutation,
    MutationKind,
    MutationSite,
    applicable_kinds,
    mutate,
    mutation_sites,
    mutations,
)

BlockKindName = Literal["basic", "bottleneck"]
KINDS: tuple[BlockKindName, ...] = ("basic", "bottleneck")
GROUPS = (1, 2, 4)
BASE_WIDTHS = (16, 32, 64, 128)


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
    groups, base_width = 1, 64
    stride_in: StrideIn = "3x3"
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


__all__ = [
    "EXPECTED_KINDS",
    "Location",
    "Mutation",
    "MutationKind",
    "MutationSite",
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
