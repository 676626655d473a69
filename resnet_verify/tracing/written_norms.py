"""Which normalization a norm written as tensor ops computes, in the words its module would record.

A hand-written LayerNorm (``(x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, unbiased=False,
keepdim=True) + eps)``) and a hand-written GroupNorm (``x.view(N, G, -1)``, the mean and variance over
the last axis, ``x.view(N, C, H, W) * w + b``) are the layers public code copies them from. Recorded
with ``F.layer_norm`` / ``F.group_norm``'s arguments, they compare equal to the modules and a real
difference between them is one attribute: the variance divided by n - 1 (``x.var``'s unbiased default,
``unbiased``) where the modules divide by n, or the epsilon added to the root (``eps_at``) where the
modules add it under the root. A norm that fits neither stays "written as ops".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from resnet_verify.tracing.records import OpKind, OpRecord

STATISTICS = frozenset({"mean", "var", "std", "sum", "var_mean", "std_mean", "norm", "amax"})
_ROOT_OPS = frozenset({"sqrt", "rsqrt", "std"})


def _fn(op: OpRecord) -> str:
    return str(dict(op.attrs).get("function", op.name))


def eps_at(run: Sequence[OpRecord]) -> str | None:
    """Where a norm written as ops adds its epsilon: to the variance under the root (``(var + eps).sqrt()``,
    ``rsqrt(var + eps)``) or to the root (``var.sqrt() + eps``, ``x.std() + eps``): two norms that differ
    there compute otherwise with the same ops, shapes and parameters."""
    roots = {op.id for op in run if _fn(op) in _ROOT_OPS}
    for op in run:
        if _fn(op) == "add" and isinstance(dict(op.attrs).get("scalar"), float) and len(op.inputs) == 1:
            if op.inputs[0] in roots:
                return "outside the root"
            if any(r.inputs[:1] == (op.id,) for r in run if r.id in roots):
                return "inside the root"
    return None


def _unbiased(run: Sequence[OpRecord], stats: Sequence[OpRecord], count: int) -> bool | None:
    """Whether the variance divides by n - 1: ``x.var`` / ``x.std`` record their correction; a sum of
    squares divided by a constant is biased when the constant is the ``count`` it sums, unbiased when it
    is one less; None when it is neither (another statistic, not a variance)."""
    corrections = [dict(op.attrs).get("correction") for op in stats if _fn(op) in ("var", "std", "var_mean")]
    if any(c not in (None, 0) for c in corrections):
        return True
    for s in stats:
        if _fn(s) != "sum":
            continue
        divisor = next(
            (dict(op.attrs).get("scalar") for op in run if _fn(op) == "div" and op.inputs == (s.id,)), None
        )
        if divisor == count - 1:
            return True
        if divisor != count:
            return None
    return False


def _trailing_axes(stat: OpRecord) -> int:
    """How many trailing axes a keepdim statistic reduces (0: not a trailing reduction)."""
    if not stat.in_shapes or stat.out_shape is None or len(stat.out_shape) != len(stat.in_shapes[0]):
        return 0
    shape, out = stat.in_shapes[0], stat.out_shape
    k = 0
    while k < len(shape) - 1 and out[len(out) - 1 - k] == 1:
        k += 1
    kept = len(shape) - k
    return k if out[:kept] == shape[:kept] and any(s != 1 for s in shape[kept:]) else 0


def _standardized(run: Sequence[OpRecord], source: int) -> tuple[OpRecord, float, bool | None] | None:
    """The mean of ``source`` subtracted from it and a single epsilon added: its first statistic, the
    epsilon and whether the variance is unbiased; None when the run is not that."""
    stats = [op for op in run if op.kind is OpKind.GLOBAL_POOL or _fn(op) in STATISTICS]
    first = stats[0] if stats else None
    if first is None or first.inputs[:1] != (source,) or _fn(first) != "mean":
        return None
    if not any(_fn(op) == "sub" and op.inputs == (source, first.id) for op in run):
        return None
    eps = [dict(op.attrs).get("scalar") for op in run if _fn(op) == "add" and op.out_shape == first.out_shape]
    if len(eps) != 1 or not isinstance(eps[0], float):
        return None
    k = _trailing_axes(first)
    count = math.prod(first.in_shapes[0][-k:]) if k else 0
    return first, eps[0], _unbiased(run, stats, count)


def _settled(attrs: dict[str, object], unbiased: bool, run: Sequence[OpRecord]) -> dict[str, object]:
    """The module's words, with what the copy does otherwise than the module."""
    where = eps_at(run)
    return {
        **attrs,
        **({"unbiased": True} if unbiased else {}),
        **({"eps_at": where} if where == "outside the root" else {}),
    }


def layer_norm(run: Sequence[OpRecord], x: int, shape: tuple[int, ...]) -> dict[str, object] | None:
    """``nn.LayerNorm`` written out (what ResMLP / Mixer / ConvNeXt ports write): the mean over the
    trailing features subtracted, eps added to the variance, a scale and shift."""
    found = _standardized(run, x)
    if found is None or found[2] is None:
        return None
    first, eps, unbiased = found
    k = _trailing_axes(first)
    # the features of a vector or of tokens (N, T, C), or all but the batch: a row of a map (W of
    # N x C x H x W) is another norm over another axis, whatever its ops
    k = k if len(shape) == 2 or (len(shape) == 3 and k == 1) or k == len(shape) - 1 else 0
    if not k:
        return None
    affine = any(op.params for op in run)
    attrs = {"norm": "layer_norm", "normalized_shape": tuple(shape[-k:]), "eps": eps, "affine": affine}
    return _settled(attrs, bool(unbiased), run)


def group_norm(run: Sequence[OpRecord], x: int, shape: tuple[int, ...]) -> dict[str, object] | None:
    """``nn.GroupNorm(G, C)`` written out: the map viewed as (N, G, ...), each group's mean subtracted
    and its variance (plus eps) divided out over every axis after the group axis, viewed back."""
    view = next((op for op in run if op.kind is OpKind.RESHAPE and op.inputs[:1] == (x,)), None)
    grouped = view.out_shape if view is not None else None
    if view is None or grouped is None or len(shape) < 3 or len(grouped) < 3:
        return None
    if grouped[0] != shape[0] or shape[1] % grouped[1] or math.prod(grouped) != math.prod(shape):
        return None
    found = _standardized(run, view.id)
    if found is None or found[2] is None or _trailing_axes(found[0]) != len(grouped) - 2:
        return None
    _, eps, unbiased = found
    affine = any(op.params for op in run)
    return _settled(
        {"norm": "group_norm", "num_groups": grouped[1], "eps": eps, "affine": affine}, bool(unbiased), run
    )


def module_norm(run: Sequence[OpRecord], x: int, shape: tuple[int, ...]) -> dict[str, object] | None:
    """The attributes of the norm module a written-out norm is, or None."""
    return layer_norm(run, x, shape) or group_norm(run, x, shape)


__all__ = ["STATISTICS", "eps_at", "group_norm", "layer_norm", "module_norm"]
