"""Parameters one layer runs that an earlier layer already ran: weights shared where the other side
has its own (``nn.Sequential(*[block] * n)``, one BatchNorm module called twice in a block).

The ops are the same on both sides, so op by op nothing differs, and the model is still another one:
fewer parameters, and layers that can no longer learn apart. Read from the trace (a parameter tensor
consumed by a second op that is no call of the same layer on a second input of the same op), one
mismatch per block (or stem / head) that reuses what it did not create, so a false "no difference"
cannot come from it.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.dataflow import Graph
from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region

_WHOLE = "(model)"


def _canonical(trace: Trace) -> dict[str, str]:
    names: dict[str, str] = {}
    for p in trace.params:
        if p.is_buffer:
            continue
        for name in (p.name, *p.aliases):
            names[name] = p.name
    return names


def _unit_of(trace: Trace) -> dict[int, int]:
    """Op id -> block index, for the ops of blocks (stem and head ops are absent)."""
    out: dict[int, int] = {}
    for b in trace.structure.blocks:
        for o in (*b.main, *b.shortcut, *b.tail, *([b.merge_op] if b.merge_op is not None else [])):
            out[o] = b.index
    return out


# Layers whose weights make the architecture: a second use of them is another network. A gate's MLP
# run on two pooled vectors (CBAM) or one PReLU at two places is the design of that module, said by
# its own finding, so within one block only a norm layer's second use counts (one BN, two places).
_LAYERS = frozenset({OpKind.CONV, OpKind.LINEAR, OpKind.BATCH_NORM, OpKind.NORM})
_WITHIN_A_BLOCK = frozenset({OpKind.BATCH_NORM, OpKind.NORM})


def _layer_kinds(trace: Trace) -> tuple[dict[str, set[OpKind]], dict[int | None, set[OpKind]]]:
    """The kinds of layer each module path runs, and each part holds (a block's index; None outside)."""
    unit = _unit_of(trace)
    by_path: dict[str, set[OpKind]] = {}
    by_part: dict[int | None, set[OpKind]] = {}
    for op in trace.ops:
        if op.kind in _LAYERS:
            by_path.setdefault(op.module_path, set()).add(op.kind)
            by_part.setdefault(unit.get(op.id), set()).add(op.kind)
    return by_path, by_part


def _has_its_kind(mine: dict[str, set[OpKind]], theirs: dict[int | None, set[OpKind]], path: str,
                  twin: int | None) -> bool:  # fmt: skip
    """The other side holds a layer of the kind the shared one is (a norm, a conv) in the same part
    (the paired block, or outside the blocks): a BatchNorm run again on a second view, against a
    network with no norm there, is the norms' difference (normalization_layer's), not a sharing one."""
    kinds = mine.get(path, set())
    return not kinds or bool(kinds & theirs.get(twin, set()))


def reused(trace: Trace) -> dict[int | None, list[tuple[str, str]]]:
    """Per block index (None: stem, head), the (parameter, path of its first user) pairs its layers
    read after a layer of another block (or, for norms, another layer) read them first."""
    names, unit = _canonical(trace), _unit_of(trace)
    graph: Graph | None = None  # built at the first layer run twice outside the blocks
    first: dict[str, int] = {}
    out: dict[int | None, list[tuple[str, str]]] = {}
    for op in trace.ops:
        if op.kind not in _LAYERS:
            continue
        for raw in dict.fromkeys(op.params):
            name = names.get(raw)
            if name is None:
                continue  # a buffer, or a tensor that is no parameter of the model
            if name not in first:
                first[name] = op.id
                continue
            earlier = first[name]
            across = unit.get(op.id) != unit.get(earlier)
            # outside the blocks (a stem or a stack the finder reads as one), a layer run again on what
            # it made is weights tied in depth (N-BEATS' shared blocks); run on another input, a layer
            if unit.get(op.id) is None and not across and op.kind not in _WITHIN_A_BLOCK:
                graph = graph or Graph(trace.ops)
                across = graph.descends_from(op.id, earlier)
            if earlier != op.id and (across or op.kind in _WITHIN_A_BLOCK):
                out.setdefault(unit.get(op.id), []).append((name, trace.ops[earlier].module_path))
    return out


def shared_parameter_mismatches(ref: Trace, cand: Trace, pairs: Sequence[BlockPair]) -> list[Mismatch]:
    """Weights shared on one side where the other's layers have their own, either way round (a
    reference that runs one block three times, CARN-M's, against a candidate with three)."""
    return _one_way(ref, cand, pairs, candidate_shares=True) + _one_way(
        ref, cand, pairs, candidate_shares=False
    )


def _one_way(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], *, candidate_shares: bool
) -> list[Mismatch]:
    this, other = (cand, ref) if candidate_shares else (ref, cand)
    mine, theirs = reused(this), reused(other)
    by_index = {(p.candidate if candidate_shares else p.reference): p for p in pairs}
    out: list[Mismatch] = []
    kinds_here, kinds_there = _layer_kinds(this)[0], _layer_kinds(other)[1]
    for index, every in mine.items():
        pair = by_index.get(index) if index is not None else None
        twin = (pair.reference if candidate_shares else pair.candidate) if pair is not None else None
        items = [(name, path) for name, path in every if _has_its_kind(kinds_here, kinds_there, path, twin)]
        if not items:
            continue  # norms shared where the other side has no norm there: the norms are the difference
        if (twin is not None and twin in theirs) or (index is None and None in theirs):
            continue  # the other side shares there too
        if pair is not None and twin is None and theirs:
            continue  # a block the other side lacks, run once more where that side shares weights too: that block
        block = this.structure.blocks[index].path if index is not None else None
        twin_path = other.structure.blocks[twin].path if twin is not None else None
        owners = sorted({path for _, path in items})
        where = f"{block}" if block is not None else "outside the blocks"
        used = (
            f"{where} runs {len(items)} parameter tensor(s) that an earlier layer already ran "
            f"({', '.join(owners[:3])}{' ...' if len(owners) > 3 else ''}): one module object used twice "
            "(e.g. nn.Sequential(*[block] * n), or a layer called twice), so its weights are shared"
        )
        text = (
            f"{used} where the reference has its own"
            if candidate_shares
            else f"in the reference, {used} there, where the candidate's layers have their own"
        )
        cand_path, ref_path = (block, twin_path) if candidate_shares else (twin_path, block)
        out.append(Mismatch(
            kind=MismatchKind.PARAMS, reference_path=ref_path,
            candidate_path=cand_path or (items[0][1] if candidate_shares else None),
            field="shared_params", expected=0 if candidate_shares else len(items),
            actual=len(items) if candidate_shares else 0, message=text,
            region=Region.BLOCK if pair is not None else Region.MODEL, block=pair,
        ))  # fmt: skip
    return out


__all__ = ["reused", "shared_parameter_mismatches"]
