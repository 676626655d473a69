"""Findings a project accepts by design (``allow = ["resnet_v1_stride"]``): which mismatches still
fail a comparison once they are set aside. Shared by ``check`` and the pytest plugin."""

from __future__ import annotations

from collections.abc import Collection

from resnet_verify.verify.records import Comparison, Pattern

PATTERN_NAMES: tuple[str, ...] = tuple(p.value for p in Pattern)


def blocking(comparison: Comparison, allow: Collection[str]) -> tuple[int, ...]:
    """Indices of the mismatches that fail ``comparison``: all but those an allowed finding claims,
    and their consequences. A crash fails whatever is allowed: a model that does not run (or runs
    only once repaired) is never by design."""
    if comparison.candidate.crash is not None or comparison.candidate.repairs:
        return tuple(range(len(comparison.mismatches))) or (0,)
    claimed = {i for f in comparison.findings if f.pattern.value in allow for i in f.mismatches}
    for i, m in enumerate(comparison.mismatches):  # a cause is listed before what follows from it
        if m.cause is not None and m.cause in claimed:
            claimed.add(i)
    return tuple(i for i in range(len(comparison.mismatches)) if i not in claimed)


def passes(comparison: Comparison, allow: Collection[str] = ()) -> bool:
    """Whether ``comparison`` passes once the ``allow``-ed findings are set aside."""
    return not blocking(comparison, allow)


def unknown_patterns(allow: Collection[str]) -> list[str]:
    """The names in ``allow`` that are no finding pattern (a typo would silently allow nothing)."""
    return [name for name in allow if name not in PATTERN_NAMES]


__all__ = ["PATTERN_NAMES", "blocking", "passes", "unknown_patterns"]
