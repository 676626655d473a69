"""Helpers shared by the renderers: formatting of shapes, numbers and values, mismatch grouping and
per-block summaries (channel flow, downsampling, projection). Pure functions over the records."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from resnet_verify.tracing.records import Block, OpKind, SourceLoc, Trace, attr_dict
from resnet_verify.verify.patterns.position_words import short_lists
from resnet_verify.verify.records import BlockPair, Comparison, Mismatch, StageRow

DASH = "—"


def fmt_shape(shape: Iterable[int] | None) -> str:
    """``(1, 64, 56, 56)`` -> ``1x64x56x56``; ``None`` -> ``—``."""
    if shape is None:
        return DASH
    return "x".join(str(s) for s in shape) or "()"


def fmt_int(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"


def fmt_macs(n: int | None) -> str:
    """Multiply-accumulates with a unit: ``4.089 G``, ``118.0 M``, ``512.0 K``; ``None`` -> ``—``."""
    if n is None:
        return DASH
    for scale, unit, digits in ((10**9, "G", 3), (10**6, "M", 1), (10**3, "K", 1)):
        if abs(n) >= scale:
            return f"{n / scale:.{digits}f} {unit}"
    return str(n)


def fmt_px(n: int | None, axes: tuple[int, ...] | None = None) -> str:
    """A receptive field or stride in input pixels; per axis (``3x23x23 px``) where the axes differ;
    ``None`` (unknown, or no such part) -> ``—``."""
    if axes and len(set(axes)) > 1:
        return "x".join(map(str, axes)) + " px"
    return DASH if n is None else f"{n} px"


def fmt_value(value: Any) -> str:
    """Expected/actual values as a human reads them: tuples as ``(2, 2)``, enums by value."""
    if value is None:
        return DASH
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        if len(value) == 1:
            return f"({fmt_value(value[0])},)"
        return "(" + ", ".join(fmt_value(v) for v in value) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(fmt_value(v) for v in value) + "]"
    return short_lists(str(value))  # index positions: a reader needs the first and the count


def fmt_message(m: Mismatch) -> str:
    """A mismatch's message as a report prints it (long position lists shortened; JSON keeps them)."""
    return short_lists(m.message)


def fmt_source(source: SourceLoc | None) -> str:
    if source is None:
        return ""
    return f"{source.file}:{source.line}" + ("" if source.exact else " (approx.)")


def fmt_mismatch_source(m: Mismatch) -> str:
    """``model.py:48 (layer built at model.py:17)`` when the value was chosen above the layer."""
    text = fmt_source(m.source)
    return f"{text} (layer built at {fmt_source(m.layer_source)})" if m.layer_source is not None else text


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word}es" if word.endswith(("s", "x", "ch", "sh")) else f"{n} {word}s"


def fmt_indices(indices: Iterable[int]) -> str:
    """Zero-based mismatch indices as one-based references with runs collapsed: ``#1–#4, #7``."""
    nums = sorted({i + 1 for i in indices})
    parts: list[str] = []
    start = prev = None
    for n in [*nums, None]:
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(
                f"#{start}"
                if start == prev
                else f"#{start}, #{prev}"
                if prev == start + 1
                else f"#{start}–#{prev}"
            )
        start = prev = n
    return ", ".join(parts)


def verdict(comparison: Comparison) -> str:
    """``MATCH``, or the headline: root causes first (findings plus unexplained mismatches that are
    nobody's consequence), then the raw mismatch count they stand for."""
    n = len(comparison.mismatches)
    if n == 0:
        return "MATCH"
    k = comparison.root_causes
    return f"{plural(k, 'difference')} ({plural(n, 'mismatch')})" if k != n else plural(n, "mismatch")


def explained_by(comparison: Comparison, index: int) -> str:
    """The finding that claims mismatch ``index`` (its pattern), else ``unexplained``; a consequence
    that nothing claims names its cause (``follows #3``)."""
    for f in comparison.findings:
        if index in f.mismatches:
            return f.pattern.value
    cause = comparison.mismatches[index].cause
    return f"follows #{cause + 1}" if cause is not None else "unexplained"


def consequences(comparison: Comparison, index: int) -> list[int]:
    """Indices of the mismatches that follow from mismatch ``index`` (its ``cause`` children)."""
    return [i for i, m in enumerate(comparison.mismatches) if m.cause == index]


def jsonable(value: Any) -> Any:
    """JSON-native copy: tuples -> lists, enums -> value, non-finite floats and others -> str."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def under(path: str | None, prefix: str) -> bool:
    """True when module ``path`` is ``prefix`` or inside it (dot boundary); an empty prefix never
    matches, so an unnamed block does not swallow every mismatch."""
    if not path or not prefix:
        return False
    return path == prefix or path.startswith(prefix + ".")


def stage_rows(comparison: Comparison) -> list[StageRow]:
    """The rows for residual stages (everything but stem and head), in order."""
    return [r for r in comparison.stages if r.name not in ("stem", "head")]


def block_pairs(comparison: Comparison) -> tuple[BlockPair, ...]:
    """The alignment; when it is empty, pair each side's blocks stage by stage as a fallback."""
    if comparison.blocks:
        return comparison.blocks
    ref, cand = comparison.reference.structure, comparison.candidate.structure
    pairs: list[BlockPair] = []
    for i in range(max(len(ref.stages), len(cand.stages))):
        rb = ref.stages[i].blocks if i < len(ref.stages) else ()
        cb = cand.stages[i].blocks if i < len(cand.stages) else ()
        for j in range(max(len(rb), len(cb))):
            pairs.append(BlockPair(rb[j] if j < len(rb) else None, cb[j] if j < len(cb) else None, i))
    return tuple(pairs)


def _module_paths(trace: Trace, op_ids: Iterable[int]) -> set[str]:
    paths: set[str] = set()
    for o in op_ids:
        if 0 <= o < len(trace.ops):
            paths.update(trace.ops[o].module_stack)
    return paths


def mismatch_group(comparison: Comparison, m: Mismatch) -> str:
    """Where a mismatch belongs: a reference block path, ``stem``, ``head``, a stage path, a
    candidate block (``candidate stage4.0``), or ``model``."""
    ref, cand = comparison.reference, comparison.candidate
    sides = ((ref, m.reference_path, ""), (cand, m.candidate_path, "candidate "))
    for trace, path, prefix in sides:
        if not path:
            continue
        for block in trace.structure.blocks:
            if under(path, block.path):
                return prefix + block.path
        if any(under(path, p) for p in _module_paths(trace, trace.structure.stem)):
            return "stem"
        if any(under(path, p) for p in _module_paths(trace, trace.structure.head)):
            return "head"
        for stage in trace.structure.stages:
            if under(path, stage.path):
                return prefix + stage.path
    return "model"


def mismatch_groups(comparison: Comparison) -> list[tuple[str, list[int]]]:
    """Mismatch indices grouped by :func:`mismatch_group`, groups in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(comparison.mismatches):
        groups.setdefault(mismatch_group(comparison, m), []).append(i)
    return list(groups.items())


@dataclass(frozen=True)
class BlockSummary:
    path: str
    channels: tuple[int, ...]  # output channels of the convolutions on the main path
    in_channels: int | None
    reduction: int  # spatial downsampling factor (1 = none)
    projection: bool  # the shortcut has a convolution
    residual: bool
    num_params: int

    @property
    def flow(self) -> str:
        return "→".join(str(c) for c in self.channels) if self.channels else DASH


def _conv_out(trace: Trace, op_id: int) -> int | None:
    op = trace.ops[op_id]
    out = attr_dict(op.attrs).get("out_channels")
    if isinstance(out, int):
        return out
    return op.out_shape[1] if op.out_shape and len(op.out_shape) > 1 else None


def summarize_block(trace: Trace, block: Block) -> BlockSummary:
    convs = [o for o in block.main if 0 <= o < len(trace.ops) and trace.ops[o].kind is OpKind.CONV]
    channels = tuple(c for c in (_conv_out(trace, o) for o in convs) if c is not None)
    reduction = 1
    if len(block.in_shape) >= 3 and len(block.out_shape) >= 3 and block.out_shape[2] > 0:
        reduction = max(1, block.in_shape[2] // block.out_shape[2])
    projection = any(0 <= o < len(trace.ops) and trace.ops[o].kind is OpKind.CONV for o in block.shortcut)
    return BlockSummary(
        path=block.path,
        channels=channels,
        in_channels=block.in_shape[1] if len(block.in_shape) > 1 else None,
        reduction=reduction,
        projection=projection,
        residual=block.merge_op is not None,
        num_params=block.num_params,
    )


def describe_ops(trace: Trace, op_ids: Iterable[int]) -> list[str]:
    """Short labels for the structural ops of a stem or head (conv, pool, linear)."""
    out: list[str] = []
    for o in op_ids:
        if not 0 <= o < len(trace.ops):
            continue
        op = trace.ops[o]
        a = attr_dict(op.attrs)
        if op.kind is OpKind.CONV:
            k, s = _kernel(a.get("kernel_size")), _pair(a.get("stride"))
            ch = _conv_out(trace, o)
            out.append(
                f"conv {k}" + (f"/{s}" if s not in ("1", "") else "") + (f" → {ch}" if ch is not None else "")
            )
        elif op.kind in (OpKind.MAX_POOL, OpKind.AVG_POOL):
            k, s = _kernel(a.get("kernel_size")), _pair(a.get("stride"))
            name = "maxpool" if op.kind is OpKind.MAX_POOL else "avgpool"
            out.append(f"{name} {k}" + (f"/{s}" if s not in ("1", "") else ""))
        elif op.kind is OpKind.GLOBAL_POOL:
            out.append("global pool")
        elif op.kind is OpKind.ADAPTIVE_POOL:
            out.append("adaptive pool")
        elif op.kind is OpKind.LINEAR:
            fin = a.get("in_features", op.in_shapes[0][-1] if op.in_shapes and op.in_shapes[0] else "?")
            fout = a.get("out_features", op.out_shape[-1] if op.out_shape else "?")
            out.append(f"fc {fin}→{fout}")
    return out


def _pair(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        if len(set(value)) == 1:
            return str(value[0])
        return "×".join(str(v) for v in value)
    return str(value)


def _kernel(value: Any) -> str:
    if isinstance(value, int):
        return f"{value}×{value}"
    if isinstance(value, (tuple, list)) and value:
        return "×".join(str(v) for v in value) if len(value) > 1 else f"{value[0]}×{value[0]}"
    return "" if value is None else str(value)
