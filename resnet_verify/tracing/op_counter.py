"""The one rule that numbers ops: a ``TorchFunctionMode`` both the tracer and the numeric checks use.

An op is the outermost torch call seen by the mode (``F.relu``, ``Tensor.add_``, ``conv2d``) whose
name is not in :data:`opkinds.IGNORED` and whose output holds at least one tensor; ops are numbered
in call order. The tracer records each op on meta tensors and the equivalence checks keep real
outputs by the same ids, so the two must count identically: hence one base class, not two copies.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from resnet_verify.tracing import opkinds
from resnet_verify.tracing.attention_steps import attention_steps


def tensors_in(obj: Any) -> list[torch.Tensor]:
    """Tensors in nested tuples / lists / dicts, in order (torch's pytree is 5x slower here)."""
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for item in obj for t in tensors_in(item)]
    if isinstance(obj, dict):
        return [t for item in obj.values() for t in tensors_in(item)]
    return []


def _written_back(args: tuple[Any, ...]) -> bool:
    """``out[idx] = v`` where v is a view of out itself (Python's ``out[idx] += x`` ends so)."""
    target, value = args[0], args[2] if len(args) > 2 else None
    if not isinstance(value, torch.Tensor) or value._base is None:
        return False
    return value._base is target or (target._base is not None and value._base is target._base)


class OpCounter(TorchFunctionMode):
    """Calls every torch function through :meth:`call` and hands each counted op to :meth:`record`.

    ``caller`` is the frame that made the torch call (the user's code, or torch's own), for sources.
    """

    def __torch_function__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None
    ) -> Any:
        kwargs = kwargs or {}
        name = getattr(func, "__name__", str(func))
        if name == "__get__":  # a property: ``x.data`` is the same values, the dataflow goes on
            name = getattr(getattr(func, "__self__", None), "__name__", name)
            if name not in opkinds.TRACKED_PROPERTIES:
                return func(*args, **kwargs)
        if name in opkinds.IGNORED:
            return func(*args, **kwargs)
        if name == "scaled_dot_product_attention" and (steps := attention_steps(args, kwargs)) is not None:
            with self:  # its steps are ops of their own, numbered as a hand-written attention's are
                return steps()
        caller = sys._getframe(1)
        inputs = tensors_in((args, kwargs))
        out = self.call(name, func, args, kwargs, inputs, caller)
        outs = tensors_in(out)
        if not outs and name == "__setitem__" and args and isinstance(args[0], torch.Tensor):
            # ``out[:, :c] = v`` returns nothing: what it wrote is ``out``, read from here on; ``out[idx] += x``
            # ends by storing the view it added into back, which the add already wrote
            if _written_back(args):
                return out
            outs = [args[0]]
        if outs:
            self.record(name, args, kwargs, inputs, outs, caller)
        return out

    def call(
        self, name: str, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
        inputs: list[torch.Tensor], caller: FrameType,
    ) -> Any:  # fmt: skip
        """Run the op (the tracer substitutes a cheaper meta batch norm and notes failures)."""
        return func(*args, **kwargs)

    def record(
        self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        inputs: list[torch.Tensor], outs: list[torch.Tensor], caller: FrameType,
    ) -> None:  # fmt: skip
        """Called once per counted op, in order; the op's id is the number of earlier calls."""
        raise NotImplementedError
