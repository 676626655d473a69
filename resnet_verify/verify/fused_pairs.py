"""Layers fused into one on one side and kept apart on the other: a ``qkv`` Linear against three
Linears, a gate conv to 2C split into its tanh and sigmoid halves against two convs, a FiLM generator's
gammas and betas from one Linear against two. The fused layer's tensors are the others' stacked along
their first axis (out channels / out features), so the numeric check can copy one side into the other
and let the numbers decide whether the split and the separate layers compute the same function.

Modules are walked in the order they were built, on both sides at once. A module pairs with one whose
tensors have the same names and shapes, or with a run of consecutive modules whose tensors, with the
same names, stack along the first axis into its own (two or more of them). Anything else and there is
no pairing: nothing is claimed. A wrong stacking order (a generator that emits betas first) only makes
the numbers differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

Entry = tuple[str, tuple[int, ...]]  # a tensor's qualified name and shape
_Module = tuple[str, list[Entry]]  # a module's path and its (leaf name, shape) tensors


@dataclass(frozen=True, slots=True)
class Stacked:
    """One side's tensor is the other's tensors stacked along the first axis, in this order."""

    reference: tuple[str, ...]
    candidate: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FusedPairing:
    pairs: tuple[tuple[str, str], ...]  # one to one
    stacked: tuple[Stacked, ...]


def _name(path: str, leaf: str) -> str:
    return f"{path}.{leaf}" if path else leaf


def _modules(entries: Sequence[Entry]) -> list[_Module]:
    out: list[_Module] = []
    for name, shape in entries:
        path, _, leaf = name.rpartition(".")
        if out and out[-1][0] == path:
            out[-1][1].append((leaf, shape))
        else:
            out.append((path, [(leaf, shape)]))
    return out


def _same(a: list[Entry], b: list[Entry]) -> bool:
    return a == b


def _stacks(run: Sequence[_Module], into: list[Entry]) -> int:
    """How many modules from the start of ``run`` stack into ``into`` (0: none do). A 0-d tensor (a
    BatchNorm's batch count) is one number on every side: it stacks into its own kind."""
    leaves = [leaf for leaf, _ in into]
    sized = [t for t, (_, shape) in enumerate(into) if shape]
    if not sized:
        return 0
    total = [0] * len(into)
    for k, (_, tensors) in enumerate(run, start=1):
        if [leaf for leaf, _ in tensors] != leaves:
            return 0
        for t, ((_, shape), (_, whole)) in enumerate(zip(tensors, into, strict=True)):
            if len(shape) != len(whole) or shape[1:] != whole[1:]:
                return 0
            total[t] += shape[0] if shape else 0
        if any(total[t] > into[t][1][0] for t in sized):
            return 0
        if all(total[t] == into[t][1][0] for t in sized):
            return k if k >= 2 else 0
    return 0


def join(parts: Sequence[torch.Tensor]) -> torch.Tensor:
    """The stacked tensor of ``parts`` (a 0-d one: the first's)."""
    return torch.cat(list(parts)) if parts[0].dim() else parts[0]


def copy_stacked(stacked: Stacked, source: dict[str, torch.Tensor], target: dict[str, torch.Tensor]) -> None:
    """The reference's values (``source``) into the candidate's tensors (``target``), either way fused."""
    whole = join([source[n] for n in stacked.reference])
    if not whole.dim():
        for n in stacked.candidate:
            target[n].copy_(whole)
        return
    sizes = [target[n].shape[0] for n in stacked.candidate]
    for n, part in zip(stacked.candidate, torch.split(whole, sizes), strict=True):
        target[n].copy_(part)


def _stacked(run: Sequence[_Module], into: _Module, *, run_is_reference: bool) -> list[Stacked]:
    path, tensors = into
    out = []
    for t, (leaf, _) in enumerate(tensors):
        parts = tuple(_name(p, ts[t][0]) for p, ts in run)
        whole = (_name(path, leaf),)
        out.append(Stacked(parts, whole) if run_is_reference else Stacked(whole, parts))
    return out


def fused_pairing(reference: Sequence[Entry], candidate: Sequence[Entry]) -> FusedPairing | None:
    """The pairing of two sides' learned tensors with some layers fused on either side, or None where
    there is none (or none is fused: the plain pairing is another module's)."""
    rm, cm = _modules(reference), _modules(candidate)
    i = j = 0
    pairs: list[tuple[str, str]] = []
    stacked: list[Stacked] = []
    while i < len(rm) and j < len(cm):
        if _same(rm[i][1], cm[j][1]):
            pairs += [(_name(rm[i][0], leaf), _name(cm[j][0], leaf)) for leaf, _ in rm[i][1]]
            i, j = i + 1, j + 1
        elif k := _stacks(rm[i:], cm[j][1]):
            stacked += _stacked(rm[i : i + k], cm[j], run_is_reference=True)
            i, j = i + k, j + 1
        elif k := _stacks(cm[j:], rm[i][1]):
            stacked += _stacked(cm[j : j + k], rm[i], run_is_reference=False)
            i, j = i + 1, j + k
        else:
            return None
    if i != len(rm) or j != len(cm) or not stacked:
        return None
    return FusedPairing(tuple(pairs), tuple(stacked))
