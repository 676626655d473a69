"""Where the user's forward turns gradients off: ``with torch.no_grad():``, ``@torch.no_grad()`` on a
method, ``torch.inference_mode()``, ``with torch.set_grad_enabled(False):``.

The tracer runs the whole forward under its own ``no_grad`` (no autograd graph on meta), so grad
mode itself says nothing about the user's code. While the recorder runs, the four context managers'
``__enter__`` / ``__exit__`` are wrapped to note, by op ids, the stretches of the forward the user
ran with gradients off, and the line that turned them off. ``torch.enable_grad()`` (or
``set_grad_enabled(True)``) inside such a stretch ends it until it closes. Context managers torch
opens for itself (a spectral norm's power iteration) and those inside a custom autograd Function's
``forward`` (whose gradient is the Function's backward: RevNet's memory-saving coupling) are not the
user's choice about training and are not noted.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType, FrameType, TracebackType
from typing import Any

import torch
from torch.autograd import grad_mode

from resnet_verify.specs.sources import SourceLoc, display_path, is_user_file
from resnet_verify.tracing.records import GradOff

# class -> (its spelling in messages, whether an instance turns gradients off)
_MANAGERS: tuple[tuple[type, str, Callable[[Any], bool]], ...] = (
    (grad_mode.no_grad, "torch.no_grad()", lambda _ctx: True),
    (grad_mode.enable_grad, "torch.enable_grad()", lambda _ctx: False),
    (grad_mode.set_grad_enabled, "torch.set_grad_enabled(False)", lambda ctx: not ctx.mode),
    (grad_mode.inference_mode, "torch.inference_mode()", lambda ctx: bool(ctx.mode)),
)


@dataclass(slots=True)
class _Entry:
    ctx: object
    off: bool | None  # None: torch's own, or inside a custom Function (no say in training)
    spelling: str = ""
    source: SourceLoc | None = None


@dataclass(slots=True)
class GradModeWatch:
    """Notes the user's gradient-off stretches of one recorded forward as :class:`GradOff` records.

    ``count`` gives the number of ops recorded so far, ``where`` the path of the module running."""

    count: Callable[[], int]
    where: Callable[[], str]
    stop: FrameType | None = None
    # the code of forwards set on instances (``m.forward = wrapper``): a deployment wrapper around the
    # network, traced through as the network it wraps, not the network's own forward
    wrappers: frozenset[CodeType] = frozenset()
    regions: list[GradOff] = field(default_factory=list)
    _stack: list[_Entry] = field(default_factory=list)
    _open: tuple[int, str, _Entry] | None = None
    _saved: list[tuple[type, Any, Any]] = field(default_factory=list)

    def __enter__(self) -> GradModeWatch:
        for cls, spelling, turns_off in _MANAGERS:
            enter, leave = getattr(cls, "__enter__"), getattr(cls, "__exit__")  # noqa: B009
            self._saved.append((cls, enter, leave))
            setattr(cls, "__enter__", self._entering(enter, spelling, turns_off))  # noqa: B010 (mypy: no
            setattr(cls, "__exit__", self._leaving(leave))  # noqa: B010 assigning to a method)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for cls, enter, leave in self._saved:
            setattr(cls, "__enter__", enter)  # noqa: B010
            setattr(cls, "__exit__", leave)  # noqa: B010
        self._saved.clear()
        self._close()

    def _entering(self, enter: Any, spelling: str, turns_off: Callable[[Any], bool]) -> Any:
        def wrapped(ctx: Any) -> Any:
            source = _user_line(sys._getframe(1), self.stop, self.wrappers)
            off = turns_off(ctx) if source is not None else None
            self._stack.append(_Entry(ctx, off, spelling, source))
            self._update()
            return enter(ctx)

        return wrapped

    def _leaving(self, leave: Any) -> Any:
        def wrapped(ctx: Any, *args: Any) -> Any:
            for i in range(len(self._stack) - 1, -1, -1):
                if self._stack[i].ctx is ctx:
                    del self._stack[i]
                    break
            self._update()
            return leave(ctx, *args)

        return wrapped

    def _state(self) -> _Entry | None:
        """The innermost user entry that decides the mode, if it turns gradients off."""
        for entry in reversed(self._stack):
            if entry.off is not None:
                return entry if entry.off else None
        return None

    def _update(self) -> None:
        entry = self._state()
        if self._open is not None and (entry is None or entry is not self._open[2]):
            self._close()
        if entry is not None and self._open is None:
            self._open = (self.count(), self.where(), entry)

    def _close(self) -> None:
        if self._open is None:
            return
        first, path, entry = self._open
        self._open = None
        if self.count() > first:
            self.regions.append(GradOff(first, self.count(), path, entry.spelling, entry.source))


def _user_line(
    caller: FrameType | None, stop: FrameType | None, wrappers: frozenset[CodeType] = frozenset()
) -> SourceLoc | None:
    """The user's line that opened the context (the decorated function's for ``@torch.no_grad()``),
    else None: torch's own, inside a custom autograd Function's ``forward``, or a wrapper set on an
    instance (``m.forward = torch.no_grad()(m.forward)``, or a function calling the old forward)."""
    if caller is None or caller.f_code in wrappers or _in_function_forward(caller, stop):
        return None
    code = caller.f_code
    if code.co_name == "decorate_context":
        func = caller.f_locals.get("func")
        if inspect.ismethod(func) and isinstance(func.__self__, torch.nn.Module):
            return None  # a bound forward decorated on its instance: a wrapper, not the class's forward
        inner = getattr(func, "__code__", None)
        if inner is not None and is_user_file(inner.co_filename):
            return SourceLoc(display_path(inner.co_filename), inner.co_firstlineno)
        return None
    if is_user_file(code.co_filename):
        return SourceLoc(display_path(code.co_filename), caller.f_lineno)
    return None


def _in_function_forward(frame: FrameType | None, stop: FrameType | None) -> bool:
    while frame is not None and frame is not stop:
        code = frame.f_code
        ctx = frame.f_locals.get(code.co_varnames[0]) if code.co_argcount >= 1 else None
        if code.co_name == "forward" and isinstance(ctx, torch.autograd.function.BackwardCFunction):
            return True
        frame = frame.f_back
    return False


__all__ = ["GradModeWatch"]
