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
from torch.utils.flop_counter import flop_registry

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
        if func is not torch.ops.prim.device.default:
            with self:
                decomposed = func.decompose(*args, **kwargs)
            if decomposed is not NotImplemented:
                return decomposed
        out = func(*args, **kwargs)
        formula = flop_registry.get(func.overloadpacket)
        if formula is not None:
            self.total += int(formula(*args, **kwargs, out_val=out))
        return out
