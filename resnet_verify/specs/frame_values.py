"""The values each user-code frame held while it built a module, so a wrong layer can be traced back
to where its value was chosen (issue #29).

Two versions of a model (a pull request, a port against its original) build the same chain of
frames: ``build()`` → ``ResNet.__init__`` → ``_make_layer`` → ``Bottleneck.__init__``. Where a layer
differs, the outermost frame whose plain values differ received the difference from its caller (the
call's line: ``ResNet(Bottleneck, [3, 4, 5, 3])``), or took it from a default (the ``def`` line), or
read it from a class constant of ``self`` (``expansion = 4``). Only plain values are kept: numbers,
strings, None, and short lists / tuples of those. Nothing is read from the module under
construction but its class: its instance may be half built.
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from dataclasses import dataclass
from types import CodeType, FrameType
from typing import Any

from torch import nn

Values = tuple[tuple[str, Any], ...]
_SKIP = object()
_MAX_ITEMS = 64


@dataclass(frozen=True, slots=True)
class FrameValues:
    """Plain values one frame of a construction chain held, and where each kind came from."""

    names: Values = ()  # plain locals (arguments and variables), ``self`` excluded
    defaults: tuple[str, ...] = ()  # of those, the parameters that hold their default
    def_line: int | None = None  # the line of the function's ``def`` (same file as the frame)
    class_values: Values = ()  # plain class attributes of ``self``'s class (``expansion = 4``)
    class_lines: tuple[tuple[str, str, int], ...] = ()  # (attribute, file, line) of each assignment


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and len(value) <= _MAX_ITEMS:
        items = tuple(_plain(v) for v in value)
        return _SKIP if any(i is _SKIP for i in items) else items
    return _SKIP


def _plain_items(mapping: dict[str, Any]) -> Values:
    out = ((k, _plain(v)) for k, v in mapping.items() if not k.startswith("__"))
    return tuple(sorted((k, v) for k, v in out if v is not _SKIP))


@functools.lru_cache(maxsize=1024)
def _defaults(code: CodeType, function: Any) -> Values:
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return ()
    return _plain_items({p.name: p.default for p in params if p.default is not p.empty})


def _function_of(frame: FrameType, owner: type | None) -> Any:
    code = frame.f_code
    candidates = [frame.f_globals.get(code.co_name)]
    if owner is not None:
        candidates.extend(vars(c).get(code.co_name) for c in owner.__mro__)
    for fn in candidates:
        fn = getattr(fn, "__func__", fn)
        if getattr(fn, "__code__", None) is code:
            return fn
    return None


@functools.lru_cache(maxsize=512)
def _assignment_lines(cls: type) -> tuple[tuple[str, str, int], ...]:
    """``(name, file, line)`` of each plain assignment in the class body (``expansion = 4``)."""
    try:
        filename = inspect.getsourcefile(cls)
        lines, start = inspect.getsourcelines(cls)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return ()
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    out: list[tuple[str, str, int]] = []
    for stmt in body:
        targets = (
            stmt.targets
            if isinstance(stmt, ast.Assign)
            else [stmt.target]
            if isinstance(stmt, ast.AnnAssign)
            else []
        )
        out.extend(
            (t.id, filename or "", start + stmt.lineno - 1) for t in targets if isinstance(t, ast.Name)
        )
    return tuple(out)


def _class_values(owner: type) -> tuple[Values, tuple[tuple[str, str, int], ...]]:
    values: dict[str, Any] = {}
    lines: list[tuple[str, str, int]] = []
    for cls in owner.__mro__:
        if cls in (nn.Module, object) or (cls.__module__ or "").split(".", 1)[0] == "torch":
            continue
        for name, value in vars(cls).items():
            if not name.startswith("_") and name not in values and _plain(value) is not _SKIP:
                values[name] = value
        lines.extend(x for x in _assignment_lines(cls) if x[0] in values)
    return _plain_items(values), tuple(lines)


def frame_values(frame: FrameType) -> FrameValues:
    """What ``frame`` holds now (while a module it asked for is being constructed)."""
    local = dict(frame.f_locals)
    this = local.pop("self", None)
    owner = type(this) if isinstance(this, nn.Module) else None
    names = _plain_items(local)
    fn = _function_of(frame, owner)
    defaults = dict(_defaults(frame.f_code, fn)) if fn is not None else {}
    from_default = tuple(k for k, v in names if k in defaults and defaults[k] == v)
    class_values, class_lines = _class_values(owner) if owner is not None else ((), ())
    return FrameValues(names, from_default, frame.f_code.co_firstlineno, class_values, class_lines)


__all__ = ["FrameValues", "Values", "frame_values"]
