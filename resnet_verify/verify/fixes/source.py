"""The user's source files as libcst reads them: calls by line, positions, literals, imports.

A file is read as bytes and decoded, never through universal newlines, so an edit spliced into it
keeps its line endings; libcst keeps comments, quotes and line breaks, and its positions (1-based
lines, 0-based columns in characters) are the coordinates of every :class:`Edit`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from resnet_verify.verify.fixes.records import CannotFix

_PACKAGE = Path(__file__).resolve().parents[2]
NOT_LITERAL = object()
_NEWLINE = re.compile(r"\r\n|\r|\n")


def editable_reason(path: Path) -> str | None:
    """Why ``path`` is not a source file ``--fix`` may edit; None when it is."""
    if path.suffix == ".ipynb":
        return f"{path.name} is a notebook: copy the model into a .py file to fix it automatically"
    if path.suffix != ".py":
        return f"{path.name} is not a Python source file"
    if any(part in ("site-packages", "dist-packages") for part in path.parts):
        return f"{path} belongs to an installed package, not to your source"
    if path.is_relative_to(_PACKAGE):
        return f"{path.name} is part of resnet-verify itself"
    if not path.is_file():
        return f"{path} no longer exists"
    return None


def callee_name(call: cst.Call) -> str | None:
    """``Conv2d`` for ``nn.Conv2d(...)``, ``Conv2d(...)`` and ``torch.nn.Conv2d(...)``."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else None


def _callee_line(call: cst.Call, positions: Mapping[cst.CSTNode, CodeRange]) -> int:
    # A frame's line for a call is its callee's name's line (``obj\n.method(...)`` runs on the second).
    func = call.func
    node: cst.CSTNode = func.attr if isinstance(func, cst.Attribute) else func
    return positions[node].start.line


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)


@dataclass(frozen=True, slots=True)
class SourceFile:
    display: str  # the path as SourceLocs spell it (relative to the working directory, else absolute)
    path: Path
    text: str
    module: cst.Module
    positions: Mapping[cst.CSTNode, CodeRange]
    parents: Mapping[cst.CSTNode, cst.CSTNode]
    calls_by_line: Mapping[int, tuple[cst.Call, ...]]

    @property
    def lines(self) -> list[str]:
        """The file's lines as libcst numbers them (``\n``, ``\r\n`` or ``\r`` ends one)."""
        return split_lines(self.text)

    def range(self, node: cst.CSTNode) -> CodeRange:
        return self.positions[node]

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def calls_at(self, line: int, name: str | None = None) -> tuple[cst.Call, ...]:
        """The calls whose callee is named on ``line`` (of ``name`` when given), outermost first."""
        return tuple(c for c in self.calls_by_line.get(line, ()) if name is None or callee_name(c) == name)

    def function_of(self, node: cst.CSTNode) -> cst.CSTNode:
        """The innermost function (or lambda) around ``node``; the module at top level."""
        current: cst.CSTNode | None = node
        while current is not None:
            current = self.parents.get(current)
            if isinstance(current, (cst.FunctionDef, cst.Lambda)):
                return current
        return self.module

    def binds(self, name: str) -> bool:
        """Whether a top-level import binds ``name`` (``import torch``, ``import torch.nn``)."""
        for stmt in self.module.body:
            for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Import) and any(_bound(a) == name for a in small.names):
                    return True
                if (
                    isinstance(small, cst.ImportFrom)
                    and not isinstance(small.names, cst.ImportStar)
                    and any(_alias_name(a) == name for a in small.names)
                ):
                    return True
        return False

    def first_import_line(self, prefer: str) -> int:
        """The line of the first top-level import of ``prefer`` (``torch``), else of any import after
        ``from __future__``; 1 when the file imports nothing."""
        lines = []
        for stmt in self.module.body:
            for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    future = isinstance(small, cst.ImportFrom) and _dotted(small.module) == "__future__"
                    if not future:
                        lines.append((prefer not in self.code(small), self.range(stmt).start.line))
        return min(lines)[1] if lines else 1


def split_lines(text: str) -> list[str]:
    return _NEWLINE.split(text)


def _bound(alias: cst.ImportAlias) -> str:
    """The name ``import a.b`` binds (``a``), or its ``as`` name."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _dotted(alias.name).split(".")[0]


def _alias_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _dotted(alias.name)


def _dotted(node: cst.CSTNode | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def read_source(display: str) -> SourceFile:
    """Parse the file a SourceLoc names; CannotFix when it may not or cannot be edited."""
    path = Path(display).resolve()
    reason = editable_reason(path)
    if reason is not None:
        raise CannotFix(reason)
    return _parse(display, path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)  # one parse per file and version for every writer and fix
def _parse(display: str, path: Path, _mtime: int) -> SourceFile:
    try:
        text = path.read_bytes().decode("utf-8")
        module = cst.parse_module(text)
    except (OSError, UnicodeDecodeError, cst.ParserSyntaxError) as exc:
        first = str(exc).strip().splitlines()[:1]
        raise CannotFix(f"{display} cannot be read as Python source ({first[0] if first else exc})") from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    visitor = _Calls()
    module.visit(visitor)
    by_line: dict[int, list[cst.Call]] = {}
    for call in visitor.calls:
        if callee_name(call) is not None:
            by_line.setdefault(_callee_line(call, positions), []).append(call)
    return SourceFile(
        display, path, text, module, positions, parents, {k: tuple(v) for k, v in by_line.items()}
    )


def literal(node: cst.BaseExpression) -> object:
    """The value of a constant expression (``8192``, ``2048 * 4``, ``True``, ``1e-3``, ``(1, 1)``),
    else :data:`NOT_LITERAL`: a name or a call is computed, and no fix writes over it."""
    if isinstance(node, (cst.Integer, cst.Float)):
        return node.evaluated_value
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = literal(node.expression)
        return -inner if isinstance(inner, (int, float)) and not isinstance(inner, bool) else NOT_LITERAL
    if isinstance(node, cst.BinaryOperation):
        return _arithmetic(node)
    if isinstance(node, (cst.Tuple, cst.List)):
        items = [literal(e.value) for e in node.elements if isinstance(e, cst.Element)]
        ok = len(items) == len(node.elements) and NOT_LITERAL not in items
        return tuple(items) if ok else NOT_LITERAL
    return NOT_LITERAL


def _arithmetic(node: cst.BinaryOperation) -> object:
    a, b = literal(node.left), literal(node.right)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (a, b)):
        return NOT_LITERAL
    x, y = int(a), int(b)  # type: ignore[call-overload]
    if isinstance(node.operator, cst.Add):
        return x + y
    if isinstance(node.operator, cst.Subtract):
        return x - y
    if isinstance(node.operator, cst.Multiply):
        return x * y
    if isinstance(node.operator, cst.FloorDivide) and y:
        return x // y
    return NOT_LITERAL


__all__ = [
    "NOT_LITERAL",
    "SourceFile",
    "callee_name",
    "editable_reason",
    "literal",
    "read_source",
    "split_lines",
]
