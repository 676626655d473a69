"""Small constant tensors a forward makes from Python numbers, and their values as text.

torchvision's ``transforms.Normalize`` inside a model turns its mean and std lists into tensors on
every call (``torch.as_tensor(mean)``) where a hand-written normalization keeps them as buffers. Both
are constants the op computes with: read as such (the values written the way ``buffer_values`` writes
a buffer's), ``(x - mean) / std`` is one computation whichever way the constants were held, and a
mean and std swapped is still seen.
"""

from __future__ import annotations

from typing import Any

CONSTRUCTORS = frozenset({"as_tensor", "tensor", "scalar_tensor"})


def _flat(value: Any) -> list[float] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, list | tuple):
        out: list[float] = []
        for v in value:
            inner = _flat(v)
            if inner is None:
                return None
            out.extend(inner)
        return out
    return None


def constant_text(name: str, args: tuple[Any, ...]) -> str:
    """``0.485, 0.456, 0.406`` for ``torch.as_tensor([0.485, 0.456, 0.406])``; "" when not read."""
    if name not in CONSTRUCTORS or not args:
        return ""
    values = _flat(args[0])
    return ", ".join(f"{v:.6g}" for v in values) if values else ""


__all__ = ["CONSTRUCTORS", "constant_text"]
