"""Index positions in words: what a kept-channel list or a gather picks, short enough to read.

``op_args.index_bound`` records every position an index list picks (``[0 2 3 5 ...]``), so that a list
off by one is a difference where every shape agrees. Printed whole, a 64-channel list fills a report;
a reader needs how the two lists differ: every position shifted by the same amount (a one-based list),
or which positions one side picks and the other does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_POSITIONS = re.compile(r"\[([\d ]+)\]")
_KEEP = 6  # a list this long or shorter reads whole


def positions(item: str) -> list[int] | None:
    """The positions of one axis's bounds written as a list (``[1 3 6]``), None for a range."""
    m = _POSITIONS.fullmatch(item.strip())
    return [int(v) for v in m.group(1).split()] if m else None


def shorten(items: Sequence[str], keep: int = 4, sep: str = ", ") -> str:
    """``a, b, c, d ... z``: the first ``keep`` and the last, for lists a reader scans, not reads."""
    if len(items) <= keep + 1:
        return sep.join(items)
    return sep.join(items[:keep]) + f" ... {items[-1]}"


def short_positions(values: list[int]) -> str:
    """``[1 3 6]`` whole, ``43 positions [0 2 3 5 ... 63]``: a long list counted and shortened."""
    words = [str(v) for v in values]
    if len(values) <= _KEEP:
        return "[" + " ".join(words) + "]"
    return f"{len(values)} positions [" + shorten(words, sep=" ") + "]"


def short_bounds(bounds: object) -> str:
    """``:, 43 positions [0 2 3 5 ... 63], :, :``: each long position list shortened."""
    items = str(bounds).split(", ")
    return ", ".join(short_positions(p) if (p := positions(i)) is not None else i for i in items)


def _axis_delta(ref: list[int], cand: list[int]) -> str:
    if len(ref) == len(cand) and len({c - r for r, c in zip(ref, cand, strict=True)}) == 1:
        shift = cand[0] - ref[0]
        return f"picks every position shifted by {shift:+d}"
    extra = [v for v in cand if v not in set(ref)]
    missing = [v for v in ref if v not in set(cand)]
    parts = []
    if extra:
        parts.append(f"picks {short_positions(extra)} the reference does not")
    if missing:
        parts.append(f"leaves out {short_positions(missing)} it picks")
    if not parts:
        return "picks the same positions in another order"
    return " and ".join(parts)


def bounds_delta(expected: object, actual: object) -> str | None:
    """How two bounds differ on the axes both write as position lists, in words; None where no axis
    does (plain slices read whole)."""
    ref, cand = str(expected).split(", "), str(actual).split(", ")
    if len(ref) != len(cand):
        return None
    said = []
    for axis, (r, c) in enumerate(zip(ref, cand, strict=True)):
        rp, cp = positions(r), positions(c)
        if r == c or (rp is None and cp is None):
            continue
        if rp is None or cp is None:
            return None
        axis_name = "the channels" if axis == 1 and len(ref) >= 3 else f"axis {axis}"
        said.append(f"along {axis_name} the candidate {_axis_delta(rp, cp)}")
    return ", ".join(said) or None


def setting_differs(field: object, expected: object, actual: object) -> str:
    """``stride (2, 2) where the reference has (1, 1)``; bounds with their position lists shortened and
    how the lists differ."""
    if field != "bounds":
        return f"{field} {actual} where the reference has {expected}"
    delta = bounds_delta(expected, actual)
    said = f", that is, {delta}" if delta else ""
    return f"bounds {short_bounds(actual)} where the reference has {short_bounds(expected)}{said}"


def short_lists(text: str) -> str:
    """``text`` with each long position list in it shortened (a raw mismatch's message)."""
    return _POSITIONS.sub(lambda m: short_positions([int(v) for v in m.group(1).split()]), text)


__all__ = ["bounds_delta", "positions", "setting_differs", "short_bounds", "short_lists", "short_positions"]
