"""The record every crash cause returns, and what the causes share."""

from __future__ import annotations

import linecache
from dataclasses import dataclass

from resnet_verify.tracing.records import ModuleCall, OpRecord, SourceLoc, Trace, format_shape
from resnet_verify.verify.records import Pattern


@dataclass(frozen=True, slots=True)
class CrashCause:
    pattern: Pattern
    title: str
    message: str
    fix: str
    source: SourceLoc | None  # the line to change
    paths: tuple[str, ...]  # the candidate's modules it is about
    repaired: bool  # the trace went past it (a re-sized copy): its REPAIR mismatches are its own


def module_call(trace: Trace, path: str) -> ModuleCall | None:
    return next((c for c in trace.modules if c.path == path), None)


def built_at(trace: Trace, path: str) -> SourceLoc | None:
    call = module_call(trace, path)
    return call.source if call is not None else None


def line_text(source: SourceLoc | None) -> str:
    """The user's source line, stripped ("" when it cannot be read)."""
    return linecache.getline(source.file, source.line).strip() if source is not None else ""


def where(path: str, source: SourceLoc | None) -> str:
    return f"{path} ({source})" if source is not None else path


def producer(trace: Trace, op: OpRecord) -> OpRecord | None:
    """The op that made ``op``'s first tensor input (None for the model input or a constant)."""
    return trace.ops[op.inputs[0]] if op.inputs and op.inputs[0] >= 0 else None


def shape_text(shape: tuple[int, ...] | None) -> str:
    return format_shape(shape) if shape is not None else "?"


__all__ = ["CrashCause", "built_at", "line_text", "module_call", "producer", "shape_text", "where"]
