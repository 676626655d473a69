"""One construction (or forward) call of the user's source, and the edits of its arguments.

Every edit is a span of the file: an argument's value replaced, a keyword added after the last
argument (on its own line in a call written one argument per line), an argument removed with the
comma before it, or the whole call replaced. Nothing outside those spans changes, so comments, quotes
and line breaks stay as the user wrote them.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass

import libcst as cst
from torch import nn

from resnet_verify.tracing.records import SourceLoc
from resnet_verify.verify.fixes.records import CannotFix, Edit
from resnet_verify.verify.fixes.source import SourceFile, read_source


@functools.cache
def parameters(type_name: str) -> tuple[str, ...] | None:
    """The positional parameter names of the torch.nn layer ``type_name`` (None for other classes)."""
    cls = getattr(nn, type_name, None)
    if not isinstance(cls, type) or not issubclass(cls, nn.Module):
        return None
    try:
        params = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return None
    return tuple(p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


@functools.cache
def default(type_name: str, name: str) -> object:
    """The torch.nn layer's default for ``name`` (``inspect.Parameter.empty`` when it has none)."""
    cls = getattr(nn, type_name, None)
    try:
        return inspect.signature(cls).parameters[name].default  # type: ignore[arg-type]
    except (TypeError, ValueError, KeyError):
        return inspect.Parameter.empty


@dataclass(frozen=True, slots=True)
class CallSite:
    source: SourceFile
    call: cst.Call
    type_name: str  # the layer class whose signature maps positional arguments to names

    @property
    def line(self) -> int:
        return self.source.range(self.call).start.line

    def __str__(self) -> str:
        return f"{self.source.display}:{self.line}"

    def code(self, node: cst.CSTNode | None = None) -> str:
        return self.source.code(self.call if node is None else node).strip()

    def argument(self, name: str) -> cst.Arg | None:
        """The argument that gives ``name``, by keyword or by position; None when the call leaves it
        at its default. CannotFix when that cannot be told (``*args``, an unknown signature)."""
        args = self.call.args
        for arg in args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg
        if any(arg.star for arg in args):
            raise CannotFix(f"{self} passes *args / **kwargs: {name} is not written at the call")
        positional = [a for a in args if a.keyword is None]
        names = parameters(self.type_name)
        if names is None:
            if positional:
                raise CannotFix(f"{self}: {self.type_name} is not a torch.nn layer, so which argument is "
                                f"{name} is unknown")  # fmt: skip
            return None
        index = names.index(name) if name in names else len(positional)
        return positional[index] if index < len(positional) else None

    def _span(
        self, start: cst.CSTNode | tuple[int, int], end: cst.CSTNode | tuple[int, int], text: str
    ) -> Edit:
        a = start if isinstance(start, tuple) else _pos(self.source.range(start).start)
        b = end if isinstance(end, tuple) else _pos(self.source.range(end).end)
        return Edit(self.source.display, a[0], a[1], b[0], b[1], text)

    def replace(self, node: cst.CSTNode, text: str) -> Edit:
        """``node`` (an argument's value, the call, a literal inside it) replaced by ``text``."""
        return self._span(node, node, text)

    def set(self, name: str, text: str) -> Edit:
        """``name`` given the value ``text``: its argument's value replaced, or a keyword added."""
        arg = self.argument(name)
        return self.replace(arg.value, text) if arg is not None else self.add(name, text)

    def add(self, name: str, text: str) -> Edit:
        """A keyword argument added after the last argument."""
        args = self.call.args
        if self.call.lpar:  # ``(nn.Conv2d(...))``: its range ends after the outer parenthesis
            raise CannotFix(f"{self}: the call is in parentheses; add {name}={text} by hand")
        end = _pos(self.source.range(self.call).end)
        if not args:  # ``Conv2d()``: inside the parentheses
            return self._span((end[0], end[1] - 1), (end[0], end[1] - 1), f"{name}={text}")
        last = args[-1]
        own_line = self._closing_paren_alone(end)
        if isinstance(last.comma, cst.Comma) and own_line:
            indent = _indent(self.source, self.source.range(last).start.line)
            newline = self.source.module.default_newline
            return self._span((end[0], 0), (end[0], 0), f"{indent}{name}={text},{newline}")
        at = _pos(self.source.range(last).end)
        return self._span(at, at, f", {name}={text}")

    def remove(self, name: str) -> Edit:
        """The argument that gives ``name`` deleted with its separator; only the last positional
        argument or a keyword can go (removing another would shift the positions after it)."""
        arg = self.argument(name)
        if arg is None:
            raise CannotFix(f"{self} does not pass {name}")
        args = list(self.call.args)
        i = args.index(arg)
        if arg.keyword is None and any(a.keyword is None for a in args[i + 1 :]):
            raise CannotFix(f"{self}: {name} is followed by positional arguments")
        rng = self.source.range(arg)
        if i > 0:
            before = self.source.range(args[i - 1])
            alone = rng.start.line > before.end.line and (
                i + 1 == len(args) or self.source.range(args[i + 1]).start.line > rng.end.line
            )
            if alone:  # one argument per line: its whole line goes, the neighbours' comments stay
                return self._span((rng.start.line, 0), (rng.end.line + 1, 0), "")
            return self._span(_pos(before.end), arg, "")  # from the end of the argument before it
        if len(args) > 1:  # the first of several: up to where the second starts
            nxt = self.source.range(args[1]).start
            return self._span(arg, (nxt.line, nxt.column), "")
        return self._span(arg, arg, "")

    def _closing_paren_alone(self, end: tuple[int, int]) -> bool:
        lines = self.source.lines
        return end[0] > self.line and end[0] <= len(lines) and lines[end[0] - 1][: end[1] - 1].strip() == ""


def _pos(p: cst.metadata.CodePosition) -> tuple[int, int]:
    return p.line, p.column


def _indent(source: SourceFile, line: int) -> str:
    row = source.lines[line - 1]
    return row[: len(row) - len(row.lstrip())]


def call_at(loc: SourceLoc | None, type_name: str, what: str) -> CallSite:
    """The ``type_name(...)`` call that ``loc`` names. CannotFix when there is no exact line, the
    file may not be edited, or the line holds no such call or several."""
    if loc is None:
        raise CannotFix(f"where {what} is built is not known")
    if not loc.exact:
        raise CannotFix(f"only the class definition of {what} is known ({loc}, inexact): no patch is "
                        "keyed on a guessed line")  # fmt: skip
    source = read_source(loc.file)
    calls = source.calls_at(loc.line, type_name)
    if not calls:
        raise CannotFix(f"{loc} has no {type_name}(...) call: {what} is built through a helper or an alias")
    if len(calls) > 1:
        raise CannotFix(
            f"{loc} has {len(calls)} {type_name}(...) calls: which one builds {what} is ambiguous"
        )
    return CallSite(source, calls[0], type_name)


__all__ = ["CallSite", "call_at", "default", "parameters"]
