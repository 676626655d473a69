"""Drawn configurations of a user's block: the arguments to call it with, the reference config.

:func:`block_cases` is a hypothesis strategy of :class:`BlockCase` s for one
:class:`~resnet_verify.testing.block_signature.BlockSignature`: only what the signature can set is
drawn (a block without a kernel argument is checked at 3x3 only), in an order that makes
hypothesis shrink towards the plainest block: kernel 3, stride 1, groups 1, narrow widths, the
smallest input that keeps every feature map of the reference >= 1 px.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st
from torch import nn

from resnet_verify.models.configs import BlockConfig
from resnet_verify.testing.block_signature import (
    BlockKind,
    BlockSignature,
    Role,
    Shortcut,
    width_sources,
)
from resnet_verify.testing.formulas import min_input_size

KERNELS = (3, 1, 5, 7)  # 3 first: hypothesis shrinks towards it
STRIDES = (1, 2)
BOTTLENECK_GROUPS = (1, 2, 4)
# A basic block refuses groups != 1 and base_width != 64 (torchvision's contract): drawn now and
# then to check that the user's block refuses too, not often enough to starve the real checks.
BASIC_GROUPS = (1, 1, 1, 2)
BOTTLENECK_BASE_WIDTHS = (64, 128, 32)
BASIC_BASE_WIDTHS = (64, 64, 64, 32)
MIN_WIDTH, MAX_WIDTH = 4, 32
DEFAULT_MAX_SIZE = 16
MIN_SIZE = 2

_SHORTCUT_MODE = {Shortcut.AUTO: "auto", Shortcut.PROJECTION: "projection", Shortcut.IDENTITY: "identity"}


@dataclass(frozen=True, slots=True)
class BlockCase:
    """One drawn config: the value of each role the signature sets, and the input side."""

    signature: BlockSignature
    values: tuple[tuple[Role, int], ...]
    size: int

    def value(self, role: Role, default: int) -> int:
        return dict(self.values).get(role, default)

    @property
    def kernel_size(self) -> int:
        return self.value(Role.KERNEL, 3)

    @property
    def stride(self) -> int:
        return 1 if self.signature.identity else self.value(Role.STRIDE, 1)

    @property
    def groups(self) -> int:
        return self.value(Role.GROUPS, 1)

    @property
    def base_width(self) -> int:
        return self.value(Role.BASE_WIDTH, 64)

    def _planes_width(self, last: bool) -> int:
        planes = self.value(Role.PLANES, 0)
        if last:
            return planes * self.signature.expansion
        if self.signature.kind is BlockKind.BASIC:
            return planes
        return int(planes * (self.base_width / 64.0)) * self.groups  # torchvision's formula

    @property
    def filters(self) -> tuple[int, ...]:
        roles, out = self.signature.roles, []
        sources = width_sources(self.signature.kind)
        for slot, options in enumerate(sources):
            role = next(r for r in options if r in roles)
            last = slot == len(sources) - 1
            out.append(self._planes_width(last) if role is Role.PLANES else self.value(role, 0))
        return tuple(out)

    @property
    def out_channels(self) -> int:
        return self.filters[-1]

    @property
    def in_channels(self) -> int:
        if self.signature.identity or Role.IN not in self.signature.roles:
            return self.out_channels
        return self.value(Role.IN, 0)

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        return (1, self.in_channels, self.size, self.size)

    @property
    def refusal(self) -> str | None:
        """Why the reference refuses this config (None: it builds)."""
        if self.signature.kind is BlockKind.BASIC and (self.groups != 1 or self.base_width != 64):
            return (
                f"a basic block takes groups=1 and base_width=64 only, not groups={self.groups}, "
                f"base_width={self.base_width} (torchvision's BasicBlock refuses them)"
            )
        return None

    def config(self) -> BlockConfig:
        """The project's reference block of this config (``cfg.build()``)."""
        k, s, g = self.kernel_size, self.stride, self.groups
        if self.signature.kind is BlockKind.BOTTLENECK:
            v1 = self.signature.stride_in == "1x1"
            cfg = BlockConfig.bottleneck(
                self.in_channels,
                self.filters,
                kernel_size=k,
                stride=s,
                stride_in="1x1" if v1 else "3x3",
                groups=g,
            )
        else:
            cfg = BlockConfig.basic(self.in_channels, self.filters, kernel_size=k, stride=s, groups=g)
        return replace(cfg, shortcut=_SHORTCUT_MODE[self.signature.shortcut])  # type: ignore[arg-type]

    def _argument(self, role: Role) -> Any:
        if role is Role.IN:
            return self.in_channels
        if role is Role.STRIDE:
            return self.stride
        if role is Role.STRIDE_IN:
            return self.signature.stride_in
        if role in (Role.F1, Role.F2, Role.F3):
            return self.filters[int(role.value[1]) - 1]
        if role is Role.DOWNSAMPLE:
            return _projection(self.config())
        defaults = {Role.KERNEL: 3, Role.GROUPS: 1, Role.BASE_WIDTH: 64}
        return self.value(role, defaults.get(role, 0))

    def arguments(self) -> tuple[list[Any], dict[str, Any]]:
        """``(args, kwargs)`` for the factory; a ``downsample`` module is built afresh each call."""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for b in self.signature.bindings:
            if b.role is Role.DEFAULT:
                continue
            value = tuple(self._argument(r) for r in b.roles) if b.is_tuple else self._argument(b.role)
            if b.positional_only:
                args.append(value)
            else:
                kwargs[b.param] = value
        return args, kwargs

    def summary(self) -> str:
        """``in_channel=4, f=5, filters=(4, 4, 16), s=1``: the arguments, as the user names them."""
        parts = []
        for b in self.signature.bindings:
            if b.role in (Role.DEFAULT, Role.STRIDE_IN):
                continue
            if b.role is Role.DOWNSAMPLE:
                has = self.config().has_projection
                parts.append(f"{b.param}={'1x1 conv + BN' if has else 'None'}")
                continue
            value = tuple(self._argument(r) for r in b.roles) if b.is_tuple else self._argument(b.role)
            parts.append(f"{b.param}={value}")
        return ", ".join(parts)

    def call_text(self) -> str:
        return f"{self.signature.name}({self.summary()})"


def _projection(cfg: BlockConfig) -> nn.Module | None:
    """The shortcut torchvision's ``_make_layer`` passes as ``downsample``: 1x1 conv + BatchNorm."""
    if not cfg.has_projection:
        return None
    return nn.Sequential(
        nn.Conv2d(cfg.in_channels, cfg.out_channels, 1, stride=cfg.stride, bias=False),
        nn.BatchNorm2d(cfg.out_channels),
    )


def _multiples(step: int, lo: int = MIN_WIDTH, hi: int = MAX_WIDTH) -> st.SearchStrategy[int]:
    first = max(1, math.ceil(lo / step))
    return st.integers(first, max(first, hi // step)).map(lambda n: n * step)


def _width(role: Role, sig: BlockSignature, groups: int, base_width: int) -> st.SearchStrategy[int]:
    if role is Role.PLANES:
        # At least 2 channels inside: a 1-channel tensor broadcasts in the add instead of failing it.
        lo = max(math.ceil(MIN_WIDTH / sig.expansion), math.ceil(2 * 64 / base_width))
        return st.integers(lo, max(lo, MAX_WIDTH // sig.expansion))
    grouped = role in (Role.MID, Role.F1, Role.F2) or sig.kind is BlockKind.BASIC
    return _multiples(groups if grouped else 1)


def _choices(sig: BlockSignature, roles: frozenset[Role]) -> dict[Role, st.SearchStrategy[int]]:
    basic = sig.kind is BlockKind.BASIC
    choices = {
        Role.KERNEL: st.sampled_from(KERNELS),
        Role.STRIDE: st.sampled_from((1,) if sig.identity else STRIDES),
        Role.GROUPS: st.sampled_from(BASIC_GROUPS if basic else BOTTLENECK_GROUPS),
        Role.BASE_WIDTH: st.sampled_from(BASIC_BASE_WIDTHS if basic else BOTTLENECK_BASE_WIDTHS),
    }
    return {role: strategy for role, strategy in choices.items() if role in roles}


@st.composite
def _draw_case(draw: Any, sig: BlockSignature, max_size: int) -> BlockCase:
    roles = sig.roles
    values = {role: draw(strategy) for role, strategy in _choices(sig, roles).items()}
    groups, base_width = values.get(Role.GROUPS, 1), values.get(Role.BASE_WIDTH, 64)
    for role in (Role.PLANES, Role.MID, Role.F1, Role.F2, Role.OUT, Role.F3):
        if role in roles:
            values[role] = draw(_width(role, sig, groups, base_width))
    case = BlockCase(sig, tuple(values.items()), 1)
    if Role.IN in roles and not sig.identity:
        # Both drawn whatever ``same`` is: a choice sequence of fixed length shrinks value by value
        # (a draw that comes and goes makes hypothesis's shrinker stall on a larger example).
        same, other = draw(st.booleans()), draw(st.integers(MIN_WIDTH, MAX_WIDTH))
        values[Role.IN] = case.out_channels if same else other
        case = BlockCase(sig, tuple(values.items()), 1)
    # Down to the smallest side the reference fits, but not 1 px: a 1x1 map broadcasts in the add,
    # so a main path of the wrong size would pass through it and the cause would read worse.
    lo = max(MIN_SIZE, min_input_size(case.config()))
    return replace(case, size=draw(st.integers(lo, max(lo, max_size))))


def block_cases(
    signature: BlockSignature, *, max_size: int = DEFAULT_MAX_SIZE
) -> st.SearchStrategy[BlockCase]:
    """Configs of ``signature``'s block for hypothesis, input sides up to ``max_size``."""
    return _draw_case(signature, max_size)


__all__ = ["DEFAULT_MAX_SIZE", "KERNELS", "BlockCase", "block_cases"]
