"""What each constructor argument of a user's residual block means, read off its signature.

A block class or builder takes its widths in one of a few well-known spellings: torchvision's
``(inplanes, planes, stride, downsample, groups, base_width, dilation)``, the CIFAR repositories'
``(in_planes, planes, stride)``, a Keras port's ``(in_channel, f, filters=(F1, F2, F3), s)`` or a
builder's ``(cin, mid_channels, cout, stride, kernel_size)``. Each parameter gets a :class:`Role`
from its name; ``--map "f=kernel_size,filters=(width,width,out)"`` names the rest. A parameter
whose meaning is unknown but has a default keeps it; one without a default is a usage error, so a
check never guesses a width.
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from resnet_verify.errors import UsageError


class BlockKind(str, enum.Enum):
    BOTTLENECK = "bottleneck"
    BASIC = "basic"

    @property
    def num_convs(self) -> int:
        return 3 if self is BlockKind.BOTTLENECK else 2


class Role(str, enum.Enum):
    """What one argument (or one element of a tuple argument) sets."""

    IN = "in"  # the block's input channels
    PLANES = (
        "planes"  # torchvision's planes: mid = planes * base_width / 64 * groups, out = planes * expansion
    )
    MID = "mid"  # the inner convs' width (a bottleneck's F1 = F2)
    OUT = "out"  # the block's output channels
    F1 = "f1"
    F2 = "f2"
    F3 = "f3"
    KERNEL = "kernel_size"  # the spatial conv's kernel
    STRIDE = "stride"
    GROUPS = "groups"
    BASE_WIDTH = "base_width"
    DOWNSAMPLE = "downsample"  # a projection module the caller builds (torchvision's _make_layer)
    STRIDE_IN = "stride_in"  # '3x3' / '1x1', passed through from --stride-in
    DEFAULT = "default"  # left at its default value


class Shortcut(str, enum.Enum):
    """When the reference block projects its shortcut."""

    AUTO = "auto"  # when channels or stride change (torchvision, the CIFAR repositories)
    PROJECTION = "projection"  # always (a Keras port's ConvBlock)
    IDENTITY = "identity"  # never: same channels in and out, stride 1


WIDTH_ROLES = frozenset({Role.IN, Role.PLANES, Role.MID, Role.OUT, Role.F1, Role.F2, Role.F3})
DRAWN_ROLES = WIDTH_ROLES | {Role.KERNEL, Role.STRIDE, Role.GROUPS, Role.BASE_WIDTH}

# Spellings met in the wild, lower-cased; "width" is the inner width, as in torchvision's body.
_NAMES: dict[Role, tuple[str, ...]] = {
    Role.IN: (
        "inplanes", "in_planes", "in_channels", "in_channel", "in_ch", "in_chs", "cin", "c_in", "ch_in",
        "chin", "inp", "input_channels", "in_filters", "n_in", "ni", "in_dim", "in_features",
    ),
    Role.PLANES: ("planes",),
    Role.MID: (
        "width", "mid", "mid_channels", "mid_ch", "mid_chs", "mid_planes", "bottleneck_channels",
        "hidden_channels", "inner_channels",
    ),
    Role.OUT: (
        "out_channels", "out_channel", "out_ch", "out_chs", "cout", "c_out", "ch_out", "outplanes",
        "out_planes", "n_out", "nf", "out_dim", "out_features",
    ),
    Role.KERNEL: ("f", "k", "kernel_size", "kernel", "ksize"),
    Role.STRIDE: ("s", "stride", "strides"),
    Role.GROUPS: ("groups", "cardinality"),
    Role.BASE_WIDTH: ("base_width", "width_per_group"),
    Role.DOWNSAMPLE: ("downsample", "down_sample"),
    Role.STRIDE_IN: ("stride_in",),
}  # fmt: skip
_BY_NAME = {name: role for role, names in _NAMES.items() for name in names}
_TUPLE_NAMES = ("filters", "nb_filters", "filter_sizes", "channels", "widths")
_ROLE_WORDS: dict[str, Role] = {
    **{r.value: r for r in Role},
    "width": Role.MID,
    "in_channels": Role.IN,
    "inplanes": Role.IN,
    "out_channels": Role.OUT,
    "kernel": Role.KERNEL,
    "k": Role.KERNEL,
    "mid_channels": Role.MID,
    "-": Role.DEFAULT,
}
_ITEM = re.compile(r"\s*([A-Za-z_]\w*)\s*=\s*(\([^()]*\)|[^,()]+)\s*(?:,|$)")


@dataclass(frozen=True, slots=True)
class Binding:
    """One parameter of the factory: the role it plays, or the roles of its tuple's elements."""

    param: str
    roles: tuple[Role, ...]
    is_tuple: bool = False
    positional_only: bool = False

    @property
    def role(self) -> Role:
        return self.roles[0]

    def spelled(self) -> str:
        words = [r.value for r in self.roles]
        return f"({', '.join(words)})" if self.is_tuple else words[0]


@dataclass(frozen=True, slots=True)
class BlockSignature:
    """How to call ``factory`` for a drawn config, and which reference contract it is held to."""

    name: str
    kind: BlockKind
    bindings: tuple[Binding, ...]
    expansion: int
    shortcut: Shortcut
    stride_in: str
    factory: Callable[..., Any] = field(compare=False, repr=False)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r for b in self.bindings for r in b.roles)

    @property
    def identity(self) -> bool:
        return self.shortcut is Shortcut.IDENTITY

    def describe(self) -> str:
        """``inplanes=in, planes=planes (x4), ...``: the mapping, as ``--map`` would spell it."""
        parts = [f"{b.param}={b.spelled()}" for b in self.bindings]
        if Role.PLANES in self.roles:
            parts.append(f"expansion {self.expansion}")
        return ", ".join(parts) or "(no arguments)"


def parse_map(text: str | Mapping[str, str] | None) -> dict[str, tuple[tuple[Role, ...], bool]]:
    """``"f=kernel_size,filters=(width,width,out)"`` -> ``{param: (roles, is_tuple)}``."""
    if text is None:
        return {}
    items = list(text.items()) if isinstance(text, Mapping) else _split_map(text)
    out: dict[str, tuple[tuple[Role, ...], bool]] = {}
    for param, meaning in items:
        meaning = meaning.strip()
        is_tuple = meaning.startswith("(")
        words = [w.strip() for w in meaning.strip("()").split(",")] if is_tuple else [meaning]
        roles = tuple(_role_word(w, param) for w in words)
        if is_tuple and (not roles or any(r not in WIDTH_ROLES for r in roles)):
            raise UsageError(
                f"--map {param}={meaning}: a tuple holds widths only (in, planes, mid, out, f1-f3)"
            )
        out[param] = (roles, is_tuple)
    return out


def _split_map(text: str) -> list[tuple[str, str]]:
    items, pos = [], 0
    while pos < len(text.rstrip()):
        match = _ITEM.match(text, pos)
        if match is None:
            raise UsageError(f"malformed --map {text!r}: use PARAM=ROLE[,PARAM=(ROLE,ROLE,...)]")
        items.append((match.group(1), match.group(2)))
        pos = match.end()
    return items


def _role_word(word: str, param: str) -> Role:
    role = _ROLE_WORDS.get(word.lower())
    if role is None:
        known = ", ".join(sorted({r.value for r in Role} | {"width"}))
        raise UsageError(f"--map {param}={word}: unknown role {word!r} (roles: {known})")
    return role


def _parameters(factory: Callable[..., Any], name: str) -> list[inspect.Parameter]:
    try:
        params = list(inspect.signature(factory).parameters.values())
    except (TypeError, ValueError):
        raise UsageError(f"{name}: cannot read its signature (pass a class or a Python function)") from None
    return [p for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _guess(param: inspect.Parameter, kind: BlockKind) -> tuple[tuple[Role, ...], bool] | None:
    lower = param.name.lower()
    if lower in _TUPLE_NAMES:
        return (Role.F1, Role.F2, Role.F3)[: kind.num_convs], True
    role = _BY_NAME.get(lower)
    return ((role,), False) if role is not None else None


def _bindings(factory: Callable[..., Any], name: str, kind: BlockKind, mapping: Any) -> tuple[Binding, ...]:
    given = parse_map(mapping)
    params = _parameters(factory, name)
    names = [p.name for p in params]
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in _safe_signature(factory).parameters.values())
    unknown = sorted(set(given) - set(names))
    if unknown and not takes_kwargs:
        raise UsageError(
            f"--map names {unknown[0]!r}, which {name} does not take (it takes {', '.join(names)})"
        )
    bindings = []
    for p in params:
        found = given.get(p.name) or _guess(p, kind)
        if found is None:
            if p.default is p.empty:
                raise UsageError(
                    f"{name}: cannot tell what its argument {p.name!r} sets: pass --map {p.name}=ROLE "
                    "(in, planes, mid, out, f1-f3, kernel_size, stride, groups, base_width, downsample)"
                )
            found = ((Role.DEFAULT,), False)
        if found[0] == (Role.DEFAULT,) and p.default is p.empty:
            raise UsageError(f"--map {p.name}=default: {name} has no default for {p.name!r}")
        bindings.append(Binding(p.name, found[0], found[1], p.kind is p.POSITIONAL_ONLY))
    bindings += [Binding(k, roles, is_tuple) for k, (roles, is_tuple) in given.items() if k not in names]
    return tuple(bindings)


def _safe_signature(factory: Callable[..., Any]) -> inspect.Signature:
    try:
        return inspect.signature(factory)
    except (TypeError, ValueError):
        return inspect.Signature()


def _check_roles(name: str, kind: BlockKind, bindings: tuple[Binding, ...]) -> None:
    """Each scalar role set by one parameter; every conv width settable."""
    seen: dict[Role, str] = {}
    for b in bindings:
        for role in set(b.roles) - {Role.DEFAULT}:
            if role in seen:
                raise UsageError(
                    f"{name}: both {seen[role]!r} and {b.param!r} set {role.value}: --map one of them to default"
                )
            seen[role] = b.param
    for slot, sources in enumerate(width_sources(kind), start=1):
        present = [r for r in sources if r in seen]
        if not present:
            raise UsageError(
                f"{name}: no argument sets F{slot} (the {_conv_word(kind, slot)}'s width): "
                "pass --map NAME=ROLE (in, planes, mid, out, f1-f3)"
            )


def width_sources(kind: BlockKind) -> tuple[tuple[Role, ...], ...]:
    """For each conv of the main path, the roles that can set its width, most specific first."""
    if kind is BlockKind.BOTTLENECK:
        return (
            (Role.F1, Role.MID, Role.PLANES),
            (Role.F2, Role.MID, Role.PLANES),
            (Role.F3, Role.OUT, Role.PLANES),
        )
    # A basic block's two convs have one width unless told otherwise.
    return ((Role.F1, Role.MID, Role.PLANES, Role.OUT), (Role.F2, Role.OUT, Role.PLANES, Role.MID))


def _conv_word(kind: BlockKind, slot: int) -> str:
    if kind is BlockKind.BASIC:
        return "first conv" if slot == 1 else "second conv"
    return ("first 1x1 conv", "spatial conv", "last 1x1 conv")[slot - 1]


def _shortcut(given: str | None, identity: bool | None, roles: frozenset[Role], tuples: bool) -> Shortcut:
    if identity:
        return Shortcut.IDENTITY
    if given is not None:
        try:
            return Shortcut(given)
        except ValueError:
            raise UsageError(f"shortcut must be auto or projection, got {given!r}") from None
    if identity is None and not roles & {Role.STRIDE, Role.DOWNSAMPLE}:
        return Shortcut.IDENTITY  # nothing to stride with and no shortcut module: an identity block
    if tuples and Role.DOWNSAMPLE not in roles:
        return Shortcut.PROJECTION  # a Keras conv block projects whatever its stride
    return Shortcut.AUTO


def map_signature(
    factory: Callable[..., Any],
    kind: str | BlockKind,
    *,
    mapping: str | Mapping[str, str] | None = None,
    identity: bool | None = None,
    shortcut: str | None = None,
    stride_in: str = "3x3",
    name: str | None = None,
) -> BlockSignature:
    """Read ``factory``'s signature; raise :class:`UsageError` (one line) where it is unclear."""
    name = name or getattr(factory, "__name__", None) or type(factory).__name__
    if not callable(factory):
        raise UsageError(f"{name} is not callable (it is a {type(factory).__name__})")
    try:
        block_kind = BlockKind(kind)
    except ValueError:
        raise UsageError(f"kind must be bottleneck or basic, got {kind!r}") from None
    if stride_in not in ("3x3", "1x1"):
        raise UsageError(f"stride_in must be 3x3 or 1x1, got {stride_in!r}")
    bindings = _bindings(factory, name, block_kind, mapping)
    _check_roles(name, block_kind, bindings)
    roles = frozenset(r for b in bindings for r in b.roles)
    policy = _shortcut(shortcut, identity, roles, any(b.is_tuple for b in bindings))
    expansion = getattr(factory, "expansion", None)
    if not isinstance(expansion, int) or isinstance(expansion, bool) or expansion < 1:
        expansion = 4 if block_kind is BlockKind.BOTTLENECK else 1
    return BlockSignature(name, block_kind, bindings, expansion, policy, stride_in, factory)


__all__ = [
    "DRAWN_ROLES",
    "WIDTH_ROLES",
    "Binding",
    "BlockKind",
    "BlockSignature",
    "Role",
    "Shortcut",
    "map_signature",
    "parse_map",
    "width_sources",
]
