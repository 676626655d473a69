"""FLOPs counted with torch's own formulas (``torch.utils.flop_counter.flop_registry``), in a
dispatch mode of our own rather than ``FlopCounterMode``.

Why not ``FlopCounterMode`` itself: torch wraps its dispatch handler in ``torch._disable_dynamo``,
whose first call imports ``torch._dynamo`` -- 1.3 s of a 3.5 s warm ``compare`` on this machine,
paid for a guard that only matters under ``torch.compile``, which a meta-tensor trace never runs.
It also tracks the module hierarchy with global hooks, which the tracer does not need (it
attributes FLOPs to the op that caused them). This mode keeps ``FlopCounterMode``'s dispatch rule
(metadata queries pass through, an op is decomposed where it can be, what remains is run and
counted with the registry's formula), so the totals are the same (tests pin torchvision's
published figures), and one running total instead of per-module tables.
"""

from __future__ import annotations

from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import flop_registry, shape_wrapper

_aten = torch.ops.aten
# Queries about a tensor's layout, not computations: FlopCounterMode lets them through untouched.
_METADATA = frozenset(
    getattr(getattr(_aten, op), overload)
    for op, overload in (
        ("sym_is_contiguous", "default"), ("is_contiguous", "default"), ("is_contiguous", "memory_format"),
        ("is_strides_like_format", "default"), ("is_non_overlapping_and_dense", "default"),
        ("size", "default"), ("sym_size", "default"), ("stride", "default"), ("sym_stride", "default"),
        ("storage_offset", "default"), ("sym_storage_offset", "default"), ("numel", "default"),
        ("sym_numel", "default"), ("dim", "default"),
    )
    if hasattr(_aten, op) and hasattr(getattr(_aten, op), overload)
)  # fmt: skip


# Allocations with no arithmetic in them, whatever they decompose into: run as they are. The tracer's
# shape-only batch norm makes one ``empty_like`` per call, and decomposing it (to ``empty_permuted``
# through torch's Python refs) cost ~40 us each: ~2 ms of a resnet50 trace, for no FLOPs.
_NO_FLOPS = frozenset(
    getattr(getattr(_aten, op), overload)
    for op, overload in (("empty_like", "default"), ("empty", "memory_format"))
    if hasattr(_aten, op) and hasattr(getattr(_aten, op), overload)
)


# torch's formulas take shapes: ``shape_wrapper`` maps every tensor in the arguments to its shape
# with pytree, ~50 us a call (~3 ms of a resnet50 trace). The same map for what aten ops take and
# return (tensors in plain tuples, lists and dicts; anything else as is) is done here, then the
# formula ``shape_wrapper`` wrapped is called as it would; any other container: torch's own wrapper.
_SHAPE_WRAPPED = shape_wrapper(lambda: 0).__code__


class _Unusual(Exception):
    """An argument pytree might see into and we do not (a named tuple, a dict subclass ...)."""


def _shapes(obj: Any) -> Any:
    cls = type(obj)
    if isinstance(obj, torch.Tensor):
        return obj.shape
    if cls is tuple or cls is list:
        return cls(_shapes(item) for item in obj)
    if cls is dict:
        return {k: _shapes(v) for k, v in obj.items()}
    if isinstance(obj, (tuple, list, dict)):
        raise _Unusual
    return obj


def _flops(formula: Any, args: tuple[Any, ...], kwargs: dict[str, Any], out: Any) -> int:
    """``formula(*args, **kwargs, out_val=out)``, without pytree for a shape-wrapped formula."""
    inner = getattr(formula, "__wrapped__", None)
    if inner is not None and getattr(formula, "__code__", None) is _SHAPE_WRAPPED:
        try:
            shaped = _shapes(args), _shapes(kwargs), _shapes(out)
        except _Unusual:
            pass
        else:
            return int(inner(*shaped[0], out_shape=shaped[2], **shaped[1]))
    return int(formula(*args, **kwargs, out_val=out))


class FlopCount(TorchDispatchMode):
    """``with FlopCount() as f: ...`` then ``f.total``: the FLOPs of every aten op run inside."""

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # False: no torch._disable_dynamo wrapper around __torch_dispatch__ (see the module doc).
        return False

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def __torch_dispatch__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None
    ) -> Any:
        kwargs = kwargs or {}
        if func in _METADATA or func is torch.ops.prim.layout.default:
            return NotImplemented
        if not isinstance(func, torch._ops.OpOverload):  # higher-order ops: eager models have none
            return NotImplemented
        # As FlopCounterMode does (its registry test compares an overload with packet keys, so it is
        # always true): try the op's decomposition first, and count only what does not decompose.
        if func in _NO_FLOPS:
            return func(*args, **kwargs)
        if func is not torch.ops.prim.device.default:
            with self:
                decomposed = func.decompose(*args, **kwargs)
            if decomposed is not NotImplemented:
                return decomposed
        out = func(*args, **kwargs)
        formula = flop_registry.get(func.overloadpacket)
        if formula is not None:
            self.total += _flops(formula, args, kwargs, out)
        return out
