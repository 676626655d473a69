"""JSON report: :func:`to_dict` builds the document (:data:`SCHEMA_VERSION`), :func:`render_json` prints it and
:func:`load_report` reads one back with a schema check."""

from __future__ import annotations

import json
from typing import Any

from resnet_verify.report._common import jsonable
from resnet_verify.tracing.metrics import total_macs
from resnet_verify.tracing.records import Block, Crash, SourceLoc
from resnet_verify.verify.records import DESCRIPTIONS, Comparison, Finding, Mismatch

# 2: mismatches gain region, op_kind, block, cause, explained_by; findings verdict; root_causes, unexplained.
# 3: stage rows gain reference_/candidate_ macs, receptive_field, stride; totals gain macs.
# 4: stage rows gain the per-axis receptive field and stride (*_axes); totals gain
#    candidate_macs_partial; the crash record gains module_type. Only additions: version 3 readers
#    that ignore unknown keys keep working.
# 5: findings gain ``named``: false for a description (what differs and where, no variant named).
SCHEMA_VERSION = 5

REQUIRED_KEYS: tuple[str, ...] = (
    "schema_version",
    "ok",
    "reference",
    "candidate",
    "input_shape",
    "num_classes",
    "totals",
    "stages",
    "blocks",
    "mismatches",
    "findings",
    "root_causes",
    "unexplained",
    "crash",
    "notes",
)
STAGE_KEYS: tuple[str, ...] = (
    "name",
    "reference_path",
    "candidate_path",
    "reference_shape",
    "candidate_shape",
    "reference_params",
    "candidate_params",
    "reference_blocks",
    "candidate_blocks",
    "ok",
    "reference_macs",
    "candidate_macs",
    "reference_receptive_field",
    "candidate_receptive_field",
    "reference_stride",
    "candidate_stride",
    "reference_receptive_field_axes",
    "candidate_receptive_field_axes",
    "reference_stride_axes",
    "candidate_stride_axes",
)
MISMATCH_KEYS: tuple[str, ...] = (
    "kind",
    "reference_path",
    "candidate_path",
    "field",
    "expected",
    "actual",
    "message",
    "source",
    "region",
    "op_kind",
    "block",
    "cause",
    "explained_by",
)
FINDING_KEYS: tuple[str, ...] = (
    "pattern",
    "title",
    "message",
    "locations",
    "mismatches",
    "suggestion",
    "source",
    "verdict",
    "named",
)


def _source(source: SourceLoc | None) -> dict[str, Any] | None:
    return None if source is None else {"file": source.file, "line": source.line}


def _shape(shape: tuple[int, ...] | None) -> list[int] | None:
    return None if shape is None else [int(s) for s in shape]


def _block(blocks: tuple[Block, ...], index: int | None) -> Block | None:
    return blocks[index] if index is not None and 0 <= index < len(blocks) else None


def _mismatch(c: Comparison, index: int, m: Mismatch, finding: int | None) -> dict[str, Any]:
    ref_blocks, cand_blocks = c.reference.structure.blocks, c.candidate.structure.blocks
    rb = _block(ref_blocks, m.block.reference) if m.block is not None else None
    cb = _block(cand_blocks, m.block.candidate) if m.block is not None else None
    return {
        "kind": m.kind.value,
        "reference_path": m.reference_path,
        "candidate_path": m.candidate_path,
        "field": m.field,
        "expected": m.expected,
        "actual": m.actual,
        "message": m.message,
        "source": _source(m.source),
        "layer_source": _source(m.layer_source),
        "region": m.region.value if m.region is not None else None,
        "op_kind": m.op_kind.value if m.op_kind is not None else None,
        "block": None
        if m.block is None
        else {"reference": rb.path if rb else None, "candidate": cb.path if cb else None},
        "cause": m.cause,
        "explained_by": finding,
    }


def _blocks(c: Comparison) -> list[dict[str, Any]]:
    ref_s, cand_s = c.reference.structure, c.candidate.structure
    out = []
    for pair in c.blocks:
        rb, cb = _block(ref_s.blocks, pair.reference), _block(cand_s.blocks, pair.candidate)
        out.append(
            {
                "reference_path": rb.path if rb is not None else None,
                "candidate_path": cb.path if cb is not None else None,
                "stage": pair.stage,
                "reference_out_shape": _shape(rb.out_shape) if rb is not None else None,
                "candidate_out_shape": _shape(cb.out_shape) if cb is not None else None,
            }
        )
    return out


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "pattern": f.pattern.value,
        "title": f.title,
        "message": f.message,
        "locations": list(f.locations),
        "mismatches": list(f.mismatches),
        "suggestion": f.suggestion,
        "source": _source(f.source),
        "verdict": f.verdict,
        "named": f.pattern not in DESCRIPTIONS,
    }


def _crash(crash: Crash | None) -> dict[str, Any] | None:
    if crash is None:
        return None
    return {
        "module_path": crash.module_path,
        "module_type": crash.module_type,
        "op_name": crash.op_name,
        "in_shapes": [_shape(s) for s in crash.in_shapes],
        "error_type": crash.error_type,
        "message": crash.message,
        "source": _source(crash.source),
    }


def to_dict(comparison: Comparison) -> dict[str, Any]:
    """The report as JSON-native data (lists, dicts, str, int, float, bool, None)."""
    c = comparison
    explained_by = {i: k for k, f in enumerate(c.findings) for i in f.mismatches}
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "ok": c.ok,
        "reference": c.reference_name,
        "candidate": c.candidate_name,
        "input_shape": _shape(c.input_shape),
        "num_classes": c.num_classes,
        "num_classes_from": str(c.classes_from),  # given, or read off the candidate's head
        "totals": {
            "reference_params": c.reference.total_params,
            "candidate_params": c.candidate.total_params,
            "reference_macs": total_macs(c.reference),
            "candidate_macs": total_macs(c.candidate),
            # a crashed forward counts MACs up to the crash only: not a figure to subtract
            "candidate_macs_partial": c.candidate.crash is not None,
        },
        # Stage rows are flat records: every StageRow field, under its own name.
        "stages": [{key: getattr(r, key) for key in STAGE_KEYS} for r in c.stages],
        "blocks": _blocks(c),
        "mismatches": [_mismatch(c, i, m, explained_by.get(i)) for i, m in enumerate(c.mismatches)],
        "findings": [_finding(f) for f in c.findings],
        "root_causes": c.root_causes,
        "unexplained": list(c.unexplained),
        "crash": _crash(c.candidate.crash),
        "notes": list(c.notes),
    }
    return jsonable(data)


def render_json(comparison: Comparison) -> str:
    return (
        json.dumps(to_dict(comparison), indent=2, sort_keys=False, ensure_ascii=False, allow_nan=False) + "\n"
    )


def load_report(text: str) -> dict[str, Any]:
    """Parse a JSON report and check its schema version and required keys (ValueError if not)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a JSON report: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON report: the top level is not an object")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(f"unsupported schema_version {version!r} (expected {SCHEMA_VERSION})")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise ValueError(f"report lacks required keys: {', '.join(missing)}")
    for section, keys in (("stages", STAGE_KEYS), ("mismatches", MISMATCH_KEYS), ("findings", FINDING_KEYS)):
        items = data[section]
        if not isinstance(items, list):
            raise ValueError(f"report key {section!r} is not a list")
        for i, item in enumerate(items):
            lacking = [k for k in keys if not isinstance(item, dict) or k not in item]
            if lacking:
                raise ValueError(f"{section}[{i}] lacks keys: {', '.join(lacking)}")
    return data
