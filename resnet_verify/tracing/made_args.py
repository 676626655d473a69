"""The arguments a tensor made inside ``forward`` was made with: ``torch.linspace(-1, 1, w)``'s range,
``torch.meshgrid(..., indexing="xy")``'s order, ``torch.full(shape, v)``'s value. Such a tensor has no
input, so its op is all the trace knows of it; without them a CoordConv's coordinates made in [0, 1] for
[-1, 1], or with their axes swapped, compared clean (heldout116's coord_unit_range, coord_xy_swapped: two
false "no difference"). Where they differ, the numeric check (``verify/same_function``) says whether the
tensors do: ``arange(w) / (w - 1) * 2 - 1`` is ``linspace(-1, 1, w)`` spelled otherwise."""

from __future__ import annotations

from typing import Any

_RANGES = {"linspace": ("start", "end", "steps"), "logspace": ("start", "end", "steps", "base"),
           "arange": ("start", "end", "step")}  # fmt: skip
_FILLS = {"full": 1, "full_like": 1, "new_full": 1}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        item = getattr(value, "item", None)
        try:
            value = item() if callable(item) and getattr(value, "numel", lambda: 0)() == 1 else None
        except Exception:  # a meta tensor has no value to read
            return None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def made_arguments(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    if name in _RANGES:
        names = _RANGES[name]
        values = [_number(a) for a in args[: len(names)]] + [
            _number(kwargs.get(k)) for k in names[len(args) :]
        ]
        return {"range": tuple(v for v in values if v is not None)}
    if name == "meshgrid":
        return {"indexing": str(kwargs.get("indexing", "ij"))}
    if name in _FILLS:
        at = _FILLS[name]
        value = _number(args[at] if len(args) > at else kwargs.get("fill_value"))
        return {"fill_value": value} if value is not None else {}
    return {}


__all__ = ["made_arguments"]
