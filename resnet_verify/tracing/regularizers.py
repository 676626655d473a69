"""The train-mode regularizers a traced forward ran through: dropout, channel dropout, drop path
(stochastic depth), DropBlock, alpha dropout.

The trace runs in eval mode, where all of them are the identity: ``nn.Dropout`` leaves a layout op
that alignment skips, and timm's ``DropPath`` / ``DropBlock2d`` or torchvision's ``StochasticDepth``
return their input before any torch call, leaving no op at all. They are still part of the network
training sees, so they are read from the module calls (the instance says what it is and its ``p``)
and from functional dropout calls outside such modules (``F.dropout(x, p, self.training)``).

Third-party and user classes are recognised by shape, not by a list of libraries: a class named like
drop path / stochastic depth / drop block, owning no parameters, with a probability attribute. A p of
0 is the identity in training too (timm's default ``drop_path_rate=0``), so it is not recorded.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Sequence
from typing import Any

from torch import nn

from resnet_verify.tracing.records import (
    ModuleCall,
    OpKind,
    OpRecord,
    Part,
    Regularizer,
    RegularizerKind,
    Structure,
    attr_dict,
)

# Attribute names a regularizer keeps its probability under, in the order they are tried.
PROB_ATTRS = ("p", "drop_prob", "drop_rate", "prob")
_NAMED = (
    (re.compile(r"drop_?block", re.IGNORECASE), RegularizerKind.DROP_BLOCK),
    (re.compile(r"drop_?path|stochastic_?depth", re.IGNORECASE), RegularizerKind.DROP_PATH),
)
FUNCTIONAL = {
    "dropout": RegularizerKind.DROPOUT,
    "dropout1d": RegularizerKind.CHANNEL_DROPOUT,
    "dropout2d": RegularizerKind.CHANNEL_DROPOUT,
    "dropout3d": RegularizerKind.CHANNEL_DROPOUT,
    "feature_dropout": RegularizerKind.CHANNEL_DROPOUT,
    "alpha_dropout": RegularizerKind.ALPHA_DROPOUT,
    "feature_alpha_dropout": RegularizerKind.ALPHA_DROPOUT,
}


def _probability(module: nn.Module) -> float | None:
    for name in PROB_ATTRS:
        value = getattr(module, name, None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    # any other spelling (``rate``, ``drop_ratio``, ``survival`` ...): the module's one number in [0, 1]
    numbers = [(k, v) for k, v in vars(module).items() if isinstance(v, float) and 0.0 <= v <= 1.0]
    if len(numbers) != 1:
        return None
    name, value = numbers[0]
    # a keep / survival probability is the complement of the drop probability the report states
    return 1.0 - value if re.search(r"keep|surviv", name, re.IGNORECASE) else value


# What a hand-written regularizer's forward does: draws a random mask, only while training.
_RANDOM = re.compile(r"\b(bernoulli_?|rand|rand_like|dropout\w*)\(")
_MASK = re.compile(r"\b(bernoulli_?|rand|rand_like)\(")
_PER_SAMPLE = re.compile(r"shape\[0\]|size\(0\)|\.shape\[:1\]")
# One draw for the whole call (``torch.rand(())``, ``torch.rand(1)``): the branch is kept or dropped whole,
# per batch, or per sample where the forward runs under ``torch.vmap`` (each call sees one sample).
_SCALAR_DRAW = re.compile(
    r"\b(?:bernoulli_?|rand)\(\s*(?:\(\s*\)|\[\s*\]|\(\s*1\s*,?\s*\)|\[\s*1\s*\]|1\s*(?:\)|,\s*\w+\s*=))"
)
# A draw that decides a branch (``if torch.rand(1).item() < self.survival:``): the block runs or is
# skipped whole, as in the original stochastic depth (one draw per mini-batch).
_DECIDES = re.compile(r"\bif\b[^\n]*\b(?:bernoulli_?|rand|random)\(")


def _own_mask(module: nn.Module) -> tuple[RegularizerKind, float] | None:
    """A module with weights whose own forward also draws a random mask while training (a
    squeeze-excitation that drops its branch per sample). Functional dropout calls are found at
    the call instead (``FUNCTIONAL``), so only hand-drawn masks count here."""
    kind = _random_in_training(module, functional=False)
    p = _probability(module) if kind is not None else None
    return None if kind is None or p is None else (kind, p)


def _random_in_training(module: nn.Module, *, functional: bool = True) -> RegularizerKind | None:
    """A parameter-free user class whose forward tests ``self.training`` and draws random numbers is
    a regularizer whatever its name: a per-sample mask (``x.shape[0]``) is a drop path, else dropout."""
    forward = type(module).forward
    if (getattr(forward, "__module__", None) or "").startswith(("torch.", "torchvision.")):  # (fx: None)
        return None
    return _random_kind(forward, functional)


@functools.lru_cache(maxsize=1024)
def _random_kind(forward: Any, functional: bool) -> RegularizerKind | None:
    # Once per class's forward, not per module call: reading source costs ~0.5 ms a time.
    try:
        source = inspect.getsource(forward)
    except (OSError, TypeError):
        return None
    draws = _RANDOM.search(source) if functional else _MASK.search(source)
    if "self.training" not in source or not draws:
        return None
    whole = (
        _PER_SAMPLE.search(source)
        or _DECIDES.search(source)
        or _SCALAR_DRAW.search(source)
        or _decided_later(source)
    )
    return RegularizerKind.DROP_PATH if whole else RegularizerKind.DROPOUT


_DRAWN = re.compile(r"^\s*(\w+)\s*=[^\n]*\b(?:bernoulli_?|rand|random)\(", re.MULTILINE)


def _decided_later(source: str) -> bool:
    """A draw kept in a name that an ``if`` then tests (``keep = bool(torch.bernoulli(...))`` ...
    ``if not keep: return x``, Composer's stochastic depth): the block runs or is skipped whole."""
    return any(re.search(rf"\bif\b[^\n]*\b{name}\b", source) for name in _DRAWN.findall(source))


def _torch_kind(module: nn.Module) -> RegularizerKind | None:
    if isinstance(module, (nn.AlphaDropout, nn.FeatureAlphaDropout)):
        return RegularizerKind.ALPHA_DROPOUT
    if isinstance(module, (nn.Dropout1d, nn.Dropout2d, nn.Dropout3d)):
        return RegularizerKind.CHANNEL_DROPOUT
    if isinstance(module, nn.modules.dropout._DropoutNd):
        return RegularizerKind.DROPOUT
    # Only a model that imported torchvision's StochasticDepth can hold one: looking it up in
    # sys.modules keeps a plain trace from importing torchvision (README: start-up cost).
    sd = sys.modules.get("torchvision.ops.stochastic_depth")
    if sd is not None and isinstance(module, sd.StochasticDepth):
        return RegularizerKind.DROP_PATH
    return None


def _unit(module: nn.Module) -> str:
    """What one draw drops, where the module holds it as a setting (torchvision's ``mode``)."""
    sd = sys.modules.get("torchvision.ops.stochastic_depth")
    if sd is not None and isinstance(module, sd.StochasticDepth) and module.mode == "batch":
        return "batch"
    return ""


def named_kind(module: nn.Module) -> RegularizerKind | None:
    """The regularizer a module's class name says it is (``DropBlock2D``, ``DropPath``), whatever
    its rate: a DropBlock given its rate in forward holds none to read."""
    name = type(module).__name__
    return next((k for pattern, k in _NAMED if pattern.search(name)), None)


def regularizer_of(module: nn.Module) -> tuple[RegularizerKind, float] | None:
    """``(kind, p)`` when ``module`` is a train-mode regularizer, else None (p may be 0 here)."""
    kind = _torch_kind(module)
    if kind is None:
        name = type(module).__name__
        kind = next((k for pattern, k in _NAMED if pattern.search(name)), None)
        # A residual block that merely carries a drop path ("BottleneckDropPath") owns parameters:
        # not one by its name, only if its own forward draws the mask (an SE that drops its branch).
        if any(True for _ in module.parameters()):
            return _own_mask(module)
        kind = kind or _random_in_training(module)
        if kind is None:
            return None
    p = _probability(module)
    return None if p is None else (kind, p)


class Places:
    """Op id -> the part of the network (and block) it belongs to, from the structure finder."""

    def __init__(self, structure: Structure, num_ops: int) -> None:
        self.num_ops = num_ops
        self.where: dict[int, tuple[Part, int | None]] = {}
        self.blocks = structure.blocks
        for o in structure.stem:
            self.where[o] = (Part.STEM, None)
        for o in structure.head:
            self.where[o] = (Part.HEAD, None)
        for b in structure.blocks:
            merge = (b.merge_op,) if b.merge_op is not None else ()
            for o in (*b.main, *b.shortcut, *b.tail, *merge):
                self.where[o] = (Part.BLOCK, b.index)

    def of_op(self, op_id: int) -> tuple[Part, int | None] | None:
        return self.where.get(op_id)

    def of_path(self, path: str) -> tuple[Part, int | None] | None:
        """The innermost block whose module path encloses ``path`` (``layer2.1.drop_path``)."""
        owners = [b for b in self.blocks if b.path and (path == b.path or path.startswith(b.path + "."))]
        best = max(owners, key=lambda b: len(b.path), default=None)
        return (Part.BLOCK, best.index) if best is not None else None

    def between(self, before: int, after: int) -> tuple[Part, int | None]:
        """A regularizer that ran no op sits between op ``before`` and op ``after``.

        The head wins at its border (a Dropout after the last block feeds the pool and classifier),
        the stem at its own (a Dropout after the stem's pool), else the block either neighbour is in.
        """
        prev = self.where.get(before) if before >= 0 else None
        nxt = self.where.get(after) if after < self.num_ops else None
        for place in (nxt, prev):
            if place is not None and place[0] is Part.HEAD:
                return place
        for place in (prev, nxt):
            if place is not None:
                return place
        return (Part.MODEL, None)


def _drops_in_eval(ops: Sequence[OpRecord], call: ModuleCall) -> bool:
    """A regularizer module whose own dropout call drops in the eval forward too (a dropout subclass
    calling F.dropout(x, self.p, training=True): MC dropout kept on at test time)."""
    return any(
        ops[o].kind is OpKind.DROPOUT and attr_dict(ops[o].attrs).get("in_eval")
        for o in range(call.first_op, min(call.end_op, len(ops)))
    )


def _module_regularizers(
    modules: dict[str, nn.Module], calls: Sequence[ModuleCall], places: Places, ops: Sequence[OpRecord]
) -> list[Regularizer]:
    out: list[Regularizer] = []
    outer: list[str] = []
    for call in calls:
        module = modules.get(call.path)
        found = regularizer_of(module) if module is not None else None
        if found is None or any(call.path.startswith(path + ".") for path in outer):
            continue  # not a regularizer, or one inside another (a DropBlock's own dropout)
        outer.append(call.path)
        kind, p = found
        if p == 0:
            continue
        # where its op sits in the dataflow first: a block's module path may not enclose it (blocks that
        # fork inside the previous module share only their container's path, an ECG net's ModuleList)
        place = next(
            (w for o in range(call.first_op, call.end_op) if (w := places.of_op(o)) is not None), None
        ) or places.of_path(call.path)
        part, block = place or places.between(call.first_op - 1, call.end_op)
        out.append(Regularizer(kind, p, call.path, call.type_name, False, part, block, call.first_op,
                               source=call.source, in_eval=_drops_in_eval(ops, call),
                               unit=_unit(modules[call.path])))  # fmt: skip
    return out


def _functional_regularizers(
    ops: Sequence[OpRecord], covered: list[tuple[int, int]], places: Places
) -> list[Regularizer]:
    out: list[Regularizer] = []
    for op in ops:
        if op.kind is not OpKind.DROPOUT or any(a <= op.id < b for a, b in covered):
            continue
        p = attr_dict(op.attrs).get("p")
        if not p or op.name not in FUNCTIONAL:  # p 0 (or unknown): nothing to compare
            continue
        part, block = places.of_op(op.id) or places.between(op.id - 1, op.id + 1)
        out.append(Regularizer(FUNCTIONAL[op.name], float(p), op.module_path, op.name, True, part, block,
                               op.id, op=op.id, source=op.source,
                               in_eval=bool(attr_dict(op.attrs).get("in_eval"))))  # fmt: skip
    return out


def find_regularizers(
    model: nn.Module, calls: Sequence[ModuleCall], ops: Sequence[OpRecord], structure: Structure
) -> tuple[Regularizer, ...]:
    """Every train-mode regularizer the forward of ``model`` (the traced copy) ran, in forward order."""
    places = Places(structure, len(ops))
    modules = dict(model.named_modules())
    found = _module_regularizers(modules, calls, places, ops)
    # A regularizer module's own dropout op is that module, whatever its p (an nn.Dropout(0) too).
    covered = [
        (c.first_op, c.end_op)
        for c in calls
        if c.path in modules and regularizer_of(modules[c.path]) is not None
    ]
    found += _functional_regularizers(ops, covered, places)
    return tuple(sorted(found, key=lambda r: r.position))
