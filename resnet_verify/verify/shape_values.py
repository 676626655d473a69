"""Values a forward computes from a feature map's size (bilinear pooling's ``/ (h * w)``, a covariance
pooling's ``eye(h * w)`` and ``1 / n``): where a stride earlier makes the map another size, they differ
only because the map does. Each such difference is marked as following from the map's first changed
size, so that whatever explains the stride explains it too and it is located with it, rather than read
as a second change in the head that nothing else touched.

A value follows from the size only where it is the same function of the map on both sides: the
reference's value of the reference's map and the candidate's of the candidate's (``n``, ``n - 1``,
``h``, ``w``, or one of them squared, rooted or inverted, ``n`` the positions ``h * w``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from resnet_verify.verify.records import Mismatch, MismatchKind, Region

_TRANSFORMS: tuple[Callable[[float], float], ...] = (
    lambda v: v,
    lambda v: 1.0 / v,
    lambda v: math.sqrt(v),
    lambda v: 1.0 / math.sqrt(v),
    lambda v: v * v,
    lambda v: 1.0 / (v * v),
)
_REGIONS = (Region.HEAD, Region.MODEL)


def _sizes(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The counts a forward reads off a ``N x C x *spatial`` map: each side, the positions and one less."""
    spatial = shape[2:]
    n = math.prod(spatial)
    return tuple(dict.fromkeys((n, n - 1, *spatial)))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=2e-4)


def _number_follows(exp: float, act: float, ref: tuple[int, ...], cand: tuple[int, ...]) -> bool:
    if exp <= 0 or act <= 0 or _close(exp, act) or _close(exp, 1.0) or _close(act, 1.0):
        return False
    for t in _TRANSFORMS:
        e, a = t(exp), t(act)
        for r, c in zip(ref, cand, strict=True):
            if r > 1 and c > 1 and r != c and _close(e, r) and _close(a, c):
                return True
    return False


def _shape_follows(
    exp: tuple[int, ...], act: tuple[int, ...], ref: tuple[int, ...], cand: tuple[int, ...]
) -> bool:
    """Each dimension that differs is a size of the map, the same one on both sides."""
    if len(exp) != len(act) or exp == act:
        return False
    changed = [(e, a) for e, a in zip(exp, act, strict=True) if e != a]
    return all(
        any(e == r and a == c for r, c in zip(ref, cand, strict=True) if r > 1 and c > 1) for e, a in changed
    )


def _follows(m: Mismatch, ref: tuple[int, ...], cand: tuple[int, ...]) -> bool:
    exp, act = m.expected, m.actual
    if isinstance(exp, bool) or isinstance(act, bool):
        return False
    if isinstance(exp, int | float) and isinstance(act, int | float):
        return _number_follows(float(exp), float(act), ref, cand)
    if (
        isinstance(exp, tuple)
        and isinstance(act, tuple)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in (*exp, *act))
    ):
        return _shape_follows(exp, act, ref, cand)
    return False


def _map_changes(mismatches: Sequence[Mismatch]) -> list[tuple[int, tuple[int, ...], tuple[int, ...]]]:
    out = []
    for i, m in enumerate(mismatches):
        if m.kind is not MismatchKind.SHAPE or m.field != "output_shape" or m.region in _REGIONS:
            continue
        exp, act = m.expected, m.actual
        if isinstance(exp, tuple) and isinstance(act, tuple) and len(exp) == len(act) >= 3:
            ref, cand = _sizes(exp), _sizes(act)
            if ref[0] != cand[0] and len(ref) == len(cand):
                out.append((i, ref, cand))
    return out


def map_size_values(mismatches: Sequence[Mismatch]) -> list[Mismatch]:
    """``mismatches`` with each head value that follows from a changed map size marked as caused by the
    last change of the map's size before the head (the map the head reads)."""
    changes = _map_changes(mismatches)
    if not changes:
        return list(mismatches)
    out = list(mismatches)
    for i, m in enumerate(out):
        if (
            m.cause is not None
            or m.region not in _REGIONS
            or m.kind not in (MismatchKind.ATTRIBUTE, MismatchKind.SHAPE)
        ):
            continue
        before = [c for c in changes if c[0] < i]
        if before and _follows(m, before[-1][1], before[-1][2]):
            out[i] = replace(m, cause=before[-1][0])
    return out
