"""``x / x.norm(p=2, dim=1, keepdim=True).clamp_min(eps)`` is ``F.normalize(x, dim=1)``, on the data
path and in a weight computed in forward (ArcFace and CosFace heads write both by hand).

On the data path the division becomes one ``normalize`` op with its ``p`` and axis, the norm and the
clamp its parts (layout); in a weight's recorded steps (``norm(p=2.0, dim=1)``, ``clamp_min``,
``div``) the three read as ``normalize(p=2.0, dim=1)``. A clamp is optional (without it only a zero
vector differs); a norm over another axis, or another ``p``, stays what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.specs.vocabulary import DIV
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers

_CLAMPS = frozenset({"clamp_min", "clamp", "clip", "max", "maximum", "add"})


def _function(op: OpRecord) -> str:
    return str(dict(op.attrs).get("function", op.name))


def _divides_by_its_norm(ops: Sequence[OpRecord], reading: dict[int, list[int]], div: OpRecord) -> list[int]:
    """The norm (and clamp) ids when ``div`` divides a tensor by its own vector norm, else []."""
    if _function(div) not in DIV or len(div.inputs) != 2 or div.inputs[1] < 0:
        return []
    x, at = div.inputs[0], div.inputs[1]
    parts = []
    if _function(ops[at]) in _CLAMPS and len(ops[at].inputs) == 1 and at >= 0:
        parts.append(at)
        at = ops[at].inputs[0]
    if at < 0:
        return []
    norm = ops[at]
    a = dict(norm.attrs)
    if _function(norm) not in ("norm", "vector_norm") or "dim" not in a or norm.inputs != (x,):
        return []
    if any(len(reading.get(i, [])) != 1 for i in (at, *parts)):
        return []
    return [at, *parts]


def join_normalize(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    out = list(ops)
    for div in ops:
        parts = _divides_by_its_norm(ops, reading, div)
        if not parts:
            continue
        a = dict(ops[parts[0]].attrs)
        attrs = {"function": "normalize", "p": a.get("p"), "dim": a.get("dim"), "of": a.get("of")}
        out[div.id] = replace(div, kind=OpKind.OTHER, name="normalize", inputs=div.inputs[:1],
                              in_shapes=div.in_shapes[:1], attrs=make_attrs(attrs))  # fmt: skip
        for i in parts:
            out[i] = replace(ops[i], kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "normalize"}))
    return tuple(out)


def join_steps(steps: Sequence[str]) -> tuple[str, ...]:
    """A weight's recorded steps with ``norm(...)``, an optional clamp and ``div`` read as ``normalize(...)``."""
    out: list[str] = []
    i = 0
    while i < len(steps):
        step = steps[i]
        if step.startswith("norm(") and step.endswith(")"):
            j = i + 1 + (i + 1 < len(steps) and steps[i + 1].split("(")[0] in _CLAMPS)  # clamp(min=1e-12)
            if j < len(steps) and steps[j] in DIV:
                out.append("normalize" + step[len("norm") :])
                i = j + 1
                continue
        out.append(step)
        i += 1
    return tuple(out)


__all__ = ["join_normalize", "join_steps"]
