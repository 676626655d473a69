"""A 3-D conv or pool that sees one frame at a time is the 2-D one run over frames.

A C2D network (mmaction2's ResNet3d with every temporal kernel 1, or a 2-D ResNet inflated to
Conv3d) and a 2-D ResNet run over frames folded into the batch (TSN) compute the same function: a
kernel of 1 frame, stride 1 in time and no temporal padding touches each frame alone. Compared with a
2-D counterpart, such an op's attributes are read without their time entry, so ``(1, 3, 3)`` pairs
with ``(3, 3)``; a temporal kernel, stride or padding of its own (I3D's 3x1x1, a time stride of 2)
keeps all three entries and stays a difference.
"""

from __future__ import annotations

from typing import Any

_AXES = ("kernel_size", "stride", "padding", "dilation")


def _triple(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 3


def _per_frame(attrs: dict[str, Any]) -> bool:
    k, s, p = (attrs.get(n) for n in _AXES[:3])
    if not isinstance(k, tuple) or len(k) != 3 or k[0] != 1:
        return False
    return (not isinstance(s, tuple) or s[0] == 1) and (not isinstance(p, tuple) or p[0] == 0)


def _pair(attrs: dict[str, Any]) -> bool:
    k = attrs.get("kernel_size")
    return isinstance(k, tuple) and len(k) == 2


def _as_2d(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: (v[1:] if k in _AXES and _triple(v) else v) for k, v in attrs.items()}


def per_frame(ref: dict[str, Any], cand: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two ops' attributes, a per-frame 3-D side read as 2-D where the other side is 2-D."""
    if _per_frame(ref) and _pair(cand):
        return _as_2d(ref), cand
    if _per_frame(cand) and _pair(ref):
        return ref, _as_2d(cand)
    return ref, cand


__all__ = ["per_frame"]
