"""A crashed forward as a record as careful as a mismatch: what failed, on what, and torch's own words.

Decisions:
- The message keeps every line that explains the failure, not only the first: PyTorch's argument
  parser says *why* on a later line ("didn't match because some of the arguments have invalid types:
  ... tuple of (bool, bool)"); the alternative signatures it lists between them are noise.
- A failure on meta tensors is re-run once on CPU zeros of the same shapes, so the record carries the
  message Python would show the user ("mat1 and mat2 shapes cannot be multiplied (1x2048 and
  1024x1000)"), never a meta kernel's ("a and b must have same reduction dim"). The re-run is bounded
  by size and its own failure to fail keeps the meta message.
- A failure raised by the user's own Python code (no torch op failed) takes the input shapes of the
  innermost module that was running, so no header says "on input —" when the shapes are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch.utils._pytree import tree_map

from resnet_verify.specs.sources import user_frame
from resnet_verify.tracing.records import Crash, ModuleCall, Shape, SourceLoc

_RERUN_MAX_ELEMENTS = 16_000_000  # all tensors of the failing call together (64 MB of fp32)
_MAX_LINES = 4
_MAX_LINE = 400


@dataclass(frozen=True, slots=True)
class FailedOp:
    """The torch call that raised, as the recorder saw it."""

    name: str
    in_shapes: tuple[Shape, ...]
    stack: tuple[str, ...]
    source: SourceLoc | None
    producers: tuple[int, ...]  # op ids of the non-parameter tensor inputs
    real_message: str | None  # torch's message on CPU tensors, when the call failed on meta


def explaining_lines(text: str) -> str:
    """The lines of an exception message that explain it (newline-joined, at most a few)."""
    lines = [" ".join(ln.split()) for ln in text.strip().splitlines()]
    kept: list[str] = []
    for ln in lines:
        if not ln or ln.startswith("* (") or ln in kept:
            continue  # an alternative signature of the argument parser, or a repeat
        if kept and ln.startswith("didn't match") and any(k.startswith("didn't match") for k in kept):
            continue  # the first alternative's reason is the one the user's call came closest to
        ln = ln.removesuffix(", but expected one of:")  # the alternatives it announces are dropped
        kept.append(ln if len(ln) <= _MAX_LINE else ln[: _MAX_LINE - 1] + "…")
    return "\n".join(kept[:_MAX_LINES])


def _numel(t: torch.Tensor) -> int:
    return int(t.numel())


def real_message(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """What ``func`` raises on CPU zeros shaped like its meta arguments; None when nothing is on meta,
    the call is too large to re-run, or it does not fail on CPU (a failure of meta's own)."""
    tensors: list[torch.Tensor] = []
    tree_map(lambda v: tensors.append(v) if isinstance(v, torch.Tensor) else None, (args, kwargs))
    if not any(t.device.type == "meta" for t in tensors) or sum(map(_numel, tensors)) > _RERUN_MAX_ELEMENTS:
        return None

    def real(v: Any) -> Any:
        if isinstance(v, torch.Tensor) and v.device.type == "meta":
            return torch.zeros(v.shape, dtype=v.dtype)
        return v

    cpu_args, cpu_kwargs = tree_map(real, (args, kwargs))
    try:
        with torch.no_grad():
            func(*cpu_args, **cpu_kwargs)
    except Exception as exc:  # the message is what we came for
        return str(exc)
    return None


def exception_site(error: BaseException) -> SourceLoc | None:
    """The innermost user line in the traceback of an exception raised by plain Python code."""
    tb = error.__traceback__
    site = None
    while tb is not None:
        found = user_frame(tb.tb_frame, stop=tb.tb_frame.f_back)
        if found is not None:
            site = SourceLoc(found.file, tb.tb_lineno)
        tb = tb.tb_next
    return site


def _running(calls: tuple[ModuleCall, ...], path: str) -> ModuleCall | None:
    """The last call of ``path``: the one the crash left open."""
    return next((c for c in reversed(calls) if c.path == path), None)


def crash_record(
    failed: FailedOp | None,
    stack: tuple[str, ...],
    error: BaseException,
    calls: tuple[ModuleCall, ...],
    ops: int,
    input_shape: Shape,
) -> Crash:
    """Where the forward failed: the failing op when the recorder saw it, else the raising line (in
    the root forward, on the model's input)."""
    if failed is not None:
        stack, in_shapes, source = failed.stack, failed.in_shapes, failed.source
    else:
        in_shapes, source = (), exception_site(error)
    path = stack[-1] if stack else ""
    call = _running(calls, path) if path else None
    if not in_shapes:
        in_shapes = call.in_shapes if call is not None else (() if path else (input_shape,))
    text = (failed.real_message if failed is not None else None) or str(error)
    message = explaining_lines(text) or type(error).__name__
    return Crash(
        module_path=path,
        op_name=failed.name if failed is not None else None,
        in_shapes=in_shapes,
        error_type=type(error).__name__,
        message=message,
        ops_before=ops,
        source=source,
        module_type=call.type_name if call is not None else "",
        input_ops=failed.producers if failed is not None else (),
    )


__all__ = ["FailedOp", "crash_record", "exception_site", "explaining_lines", "real_message"]
