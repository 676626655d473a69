"""The mismatch for a candidate whose forward failed: where it failed, in reference terms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch

from resnet_verify.tracing.records import OpKind, SourceLoc, Trace, format_shape
from resnet_verify.tracing.repairs import Repair, RepairKind
from resnet_verify.verify.align import significant
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region

_HEAD_KINDS = frozenset(
    {OpKind.GLOBAL_POOL, OpKind.LINEAR, OpKind.FLATTEN, OpKind.AVG_POOL, OpKind.ADAPTIVE_POOL}
)


def _reference_path(ref: Trace, cand: Trace, pairs: Sequence[BlockPair], last_paired: int) -> str:
    """The reference layer the candidate was running when it failed."""
    rs, cs = ref.structure, cand.structure
    after = pairs[last_paired].reference if last_paired >= 0 else None
    nxt = (after + 1) if after is not None else 0
    in_blocks = {o for b in cs.blocks for o in (*b.main, *b.shortcut, *b.tail, b.merge_op)}
    partial = set(cs.partial)  # ops of the unit it crashed in: that unit is a block, not the stem
    trailing = [
        o for o in range(len(cand.ops)) if o not in in_blocks and o not in cs.stem and o not in partial
    ]
    in_head = any(cand.ops[o].kind in _HEAD_KINDS for o in trailing)
    if nxt < len(rs.blocks) and not in_head:
        return rs.blocks[nxt].path if cs.blocks or partial else rs.stem_path
    head = significant(ref, rs.head)
    done = len(significant(cand, trailing))
    return ref.ops[head[min(done, len(head) - 1)]].module_path if head else "fc"


def repair_mismatches(ref: Trace, cand: Trace) -> list[Mismatch]:
    """One mismatch per layer the tracer repaired to get past a crash (``tracing/repairs.py``), on
    either side: the model as written still fails, so each is a difference. For this kind expected
    is what was traced and actual what was written, whichever side it is on (only the path says)."""
    return [
        Mismatch(
            MismatchKind.REPAIR,
            r.module_path if side is ref else None,
            r.module_path if side is cand else None,
            r.attribute,
            r.used,
            r.given,
            _repair_text(r, "the reference" if side is ref else "the candidate"),
            r.source if side is cand else None,
            Region.MODEL,
        )
        for side in (cand, ref)
        for r in side.repairs
    ]


def _repair_text(r: Repair, side: str) -> str:
    if r.kind is RepairKind.WIDTH:
        return (
            f"{side}'s {r.module_path} ({r.type_name}) is built with {r.attribute}={r.given[0]} but "
            f"{r.used[0]} reach it, so the forward fails there; traced as {r.attribute}={r.used[0]}"
        )
    return (
        f"{side}'s {r.module_path} ({r.type_name}): {r.attribute}={_spell(r.given)} crashes under torch "
        f"2.x; traced as {r.attribute}={_spell(r.used)}, as PyTorch 1.x read it"
    )


def _spell(values: tuple[int, ...]) -> str:
    return str(values[0]) if len(set(values)) == 1 else str(values)


def crash_mismatch(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], last_paired: int, sites: Mapping[str, SourceLoc]
) -> Mismatch:
    crash = cand.crash
    assert crash is not None
    call = next((c for c in cand.modules if c.path == crash.module_path), None)
    # A torch layer that fails (a Linear of the wrong width) is wrong where it was built; user
    # code that fails is wrong where it runs.
    builtin = call is not None and hasattr(torch.nn, call.type_name)
    source = (sites.get(crash.module_path) if builtin else None) or crash.source
    shapes = ", ".join(format_shape(s) for s in crash.in_shapes)
    op = f" in {crash.op_name}" if crash.op_name else ""
    op += f" with input {shapes}" if shapes else ""
    return Mismatch(
        MismatchKind.CRASH,
        _reference_path(ref, cand, pairs, last_paired),
        crash.module_path or None,
        "forward",
        "runs",
        f"{crash.error_type}: {crash.message}",
        f"forward failed at {crash.module_path or 'the model'}{op}: "
        f"{crash.error_type}: {crash.message} ({crash.ops_before} ops ran before)",
        source,
        Region.MODEL,
    )
