"""``torch.vmap`` run as the loop it stands for while a forward is traced.

Under vmap every tensor the function sees is a batched wrapper made for the call: its id is none the
recorder knows, so the data path breaks at the vmap (a vmapped ensemble of residual networks read as
ops of unknown inputs: "no residual additions") and stacked parameters read as constants. vmap
computes ``stack([f(args sliced at i) for i in range(B)], out_dims)``; the trace runs exactly that,
so what it records is the function the model computes, one mapped slice after another, on tensors it
can follow. Each slice's run is recorded as a call of its own (``vmap.0``, ``vmap.1`` ...), so a
vmapped ensemble's members read as an ensemble's members do (``parallel_passes``). A parameter
stacked along the mapped dim (``torch.func.stack_module_state``) is each slice's own parameter: slice
``i`` of ``w`` is read as the parameter ``w.i``, with its own size, not as ``w`` computed by a select.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
import torch._functorch.apis as functorch_apis
from torch import nn
from torch.utils._pytree import _broadcast_to_and_flatten, tree_flatten, tree_unflatten

from resnet_verify.tracing.module_hooks import ModuleHooks
from resnet_verify.tracing.recorder import Recorder
from resnet_verify.tracing.records import ParamInfo

# What a slice's run is called in the trace (its type name in messages): the vmapped function's run.
_STAND_IN = type("vmap", (nn.Module,), {})()


class VmapLoop:
    def __init__(self, recorder: Recorder, hooks: ModuleHooks) -> None:
        self.recorder = recorder
        self.hooks = hooks
        self.slices: dict[str, dict[int, tuple[str, int]]] = {}  # stacked name -> index -> (name, dim)

    def _slice(self, a: Any, dim: int | None, i: int) -> Any:
        if dim is None or not isinstance(a, torch.Tensor):
            return a
        name = self.recorder.param_names.get(id(a))
        if name is None:  # data: a slice op like any other; the one slice of a size-1 axis drops it
            return a.squeeze(dim) if a.shape[dim] == 1 else a.select(dim, i)
        with torch._C.DisableTorchFunction():  # a parameter's slice is a parameter, not an op
            s = a.select(dim, i)
        self.recorder.param_names[id(s)] = f"{name}.{i}"
        self.recorder.keep.append(s)
        self.slices.setdefault(name, {})[i] = (f"{name}.{i}", dim % a.dim())
        return s

    def run(
        self, func: Callable[..., Any], in_dims: Any, out_dims: Any, randomness: str, chunk_size: int | None,
        *args: Any, **kwargs: Any,
    ) -> Any:  # fmt: skip
        """What ``torch.vmap(func, in_dims, out_dims)(*args, **kwargs)`` returns, as a Python loop."""
        flat, spec = tree_flatten(args)
        dims = _broadcast_to_and_flatten(in_dims, spec)
        if dims is None:
            raise ValueError(f"vmap: in_dims {in_dims!r} does not match the function's arguments")
        stack = self.recorder.stack
        base = f"{stack[-1]}.vmap" if stack else "vmap"
        outs = []
        for i in range(_batch_size(flat, dims)):
            sliced = [self._slice(a, d, i) for a, d in zip(flat, dims, strict=True)]
            self.hooks.pre_hook(f"{base}.{i}")(_STAND_IN, tuple(sliced), {})
            outs.append(func(*tree_unflatten(sliced, spec), **kwargs))
            self.hooks.post_hook(_STAND_IN, (), {}, outs[-1])
        return _stacked(outs, out_dims)

    @contextmanager
    def patched(self) -> Iterator[None]:
        """Every ``torch.vmap`` / ``torch.func.vmap`` call (made before or during the forward) runs as its loop."""
        original = functorch_apis.vmap_impl
        functorch_apis.vmap_impl = self.run
        try:
            yield
        finally:
            functorch_apis.vmap_impl = original


def _batch_size(flat: list[Any], dims: list[Any]) -> int:
    sizes = {
        int(a.shape[d])
        for a, d in zip(flat, dims, strict=True)
        if d is not None and isinstance(a, torch.Tensor)
    }
    if len(sizes) != 1:  # vmap's own error, in its words
        raise ValueError(
            f"vmap: Expected all tensors to have the same size in the mapped dimension, got sizes {sorted(sizes)}"
        )
    return sizes.pop()


def _stacked(outs: list[Any], out_dims: Any) -> Any:
    flat0, spec = tree_flatten(outs[0])
    dims = _broadcast_to_and_flatten(out_dims, spec)
    if dims is None:
        raise ValueError(f"vmap: out_dims {out_dims!r} does not match the function's output")
    columns = [tree_flatten(o)[0] for o in outs]
    stacked = [
        flat0[k]
        if d is None
        else flat0[k].unsqueeze(d)
        if len(outs) == 1
        else torch.stack([c[k] for c in columns], d)
        for k, d in enumerate(dims)
    ]
    return tree_unflatten(stacked, spec)


def member_params(
    params: tuple[ParamInfo, ...], slices: dict[str, dict[int, tuple[str, int]]]
) -> tuple[ParamInfo, ...]:
    """The model's parameters with each one the vmap read slice by slice as its slices (``w.0``,
    ``w.1`` ...: every slice read, the stacked tensor is no parameter of its own any more)."""
    if not slices:
        return params
    out: list[ParamInfo] = []
    for p in params:
        taken = slices.get(p.name)
        if not taken:
            out.append(p)
            continue
        dim = next(iter(taken.values()))[1]
        shape = tuple(s for k, s in enumerate(p.shape) if k != dim)
        numel = p.numel // max(p.shape[dim], 1)
        out += [ParamInfo(name, shape, numel, p.trainable, p.is_buffer) for name, _ in sorted(taken.values())]
        if len(taken) < p.shape[dim]:
            out.append(p)
    return tuple(out)


__all__ = ["VmapLoop", "member_params"]
