"""A tensor read arranged otherwise: the layout ops between two paired ops (or before the output)
send its elements elsewhere, though every shape agrees.

Layout ops (view, permute, transpose, flatten) are transparent to the alignment, so that
``x.flatten(2).transpose(1, 2)`` and ``x.permute(0, 2, 3, 1).reshape(n, -1, c)`` are no difference.
That left ``permute(0, 3, 2, 1)`` typed for ``permute(0, 2, 3, 1)`` on a square map unseen (heldout49's
show-attend-tell encoder returned its grid transposed, and compared clean). Here each side's chain
of layout ops from a paired tensor to a paired reader (or to the model's output) is replayed on
element labels (tracing/moves.py): where both start from paired tensors of one shape and end at
one shape, and the labels differ, the reader reads its input arranged otherwise. A chain that cannot
be replayed, or tensors of other shapes (a channels-last port), says nothing.
"""

from __future__ import annotations

import torch

from resnet_verify.tracing.moves import is_move, labels, replay_move
from resnet_verify.tracing.records import INPUT_ID, OpKind, OpRecord, Trace, readers
from resnet_verify.verify.records import Mismatch, MismatchKind, Region

FIELD = "arrangement"
_LAYOUT = frozenset({OpKind.RESHAPE, OpKind.FLATTEN})


class _Chains:
    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.readers = readers(trace.ops)

    def back(self, tensor: int) -> tuple[int, list[OpRecord]]:
        """The tensor the layout ops ending at ``tensor`` start from, and those ops, first first."""
        chain: list[OpRecord] = []
        while (
            tensor >= 0 and self.trace.ops[tensor].kind in _LAYOUT and len(self.trace.ops[tensor].inputs) >= 1
        ):
            op = self.trace.ops[tensor]
            chain.append(op)
            tensor = op.inputs[0]
        return tensor, chain[::-1]

    def labels(
        self, source_shape: tuple[int, ...], chain: list[OpRecord], end: tuple[int, ...]
    ) -> torch.Tensor | None:
        x = labels(source_shape)
        if x is None:
            return None
        for i, op in enumerate(chain):
            perm = dict(op.attrs).get("perm")
            if (
                perm is not None and len(perm) == x.dim()
            ):  # its own shape: out_shape may be read channels-first
                shape = tuple(x.shape[d] for d in perm)
            else:
                shape = tuple(chain[i + 1].in_shapes[0]) if i + 1 < len(chain) else end
            y = replay_move(op, [x], shape)
            if y is None:
                return None
            x = y
        return x


def _spelled(chain: list[OpRecord]) -> str:
    parts = []
    for op in chain:
        perm = dict(op.attrs).get("perm")
        parts.append(f"{op.name}{tuple(perm)}" if perm is not None else op.name)
    return " -> ".join(parts) or "as it is"


def _read(
    chains: _Chains, tensor: int, end: tuple[int, ...]
) -> tuple[int, list[OpRecord], tuple[int, ...]] | None:
    source, chain = chains.back(tensor)
    if not chain:
        return source, chain, end
    return source, chain, tuple(chain[0].in_shapes[0])


def _differs(sides: tuple[_Chains, _Chains], tensors: tuple[int, int], ends: tuple[tuple[int, ...], tuple[int, ...]],
             paired: dict[int, int]) -> tuple[list[OpRecord], list[OpRecord]] | None:  # fmt: skip
    reads = [_read(c, t, e) for c, t, e in zip(sides, tensors, ends, strict=True)]
    if reads[0] is None or reads[1] is None or not (reads[0][1] or reads[1][1]):
        return None
    (r_src, r_chain, r_shape), (c_src, c_chain, c_shape) = reads[0], reads[1]
    if r_shape != c_shape or {INPUT_ID: INPUT_ID, **paired}.get(r_src) != c_src:
        return None
    ends_read = [sides[0].labels(r_shape, r_chain, ends[0]), sides[1].labels(c_shape, c_chain, ends[1])]
    if ends_read[0] is None or ends_read[1] is None or ends_read[0].shape != ends_read[1].shape:
        return None
    if torch.equal(ends_read[0], ends_read[1]):
        return None
    return r_chain, c_chain


def rearranged(ref: Trace, cand: Trace, paired: dict[int, int]) -> list[Mismatch]:
    """One mismatch per paired reader (and the output) reading a paired tensor arranged otherwise."""
    if "keras" in (ref.device, cand.device):
        return []  # a Keras trace's shapes read channels-first, its layers compute channels-last
    sides = (_Chains(ref), _Chains(cand))
    out: list[Mismatch] = []
    for r_id, c_id in paired.items():
        r, c = ref.ops[r_id], cand.ops[c_id]
        if is_move(r) or is_move(c) or len(r.inputs) != len(c.inputs):
            continue  # a move reading a move is the data-move regions' to compare (verify/data_moves.py)
        for p, (ri, ci) in enumerate(zip(r.inputs, c.inputs, strict=True)):
            if paired.get(ri) == ci or p >= len(r.in_shapes) or p >= len(c.in_shapes):
                continue
            found = _differs(sides, (ri, ci), (tuple(r.in_shapes[p]), tuple(c.in_shapes[p])), paired)
            if found is not None:
                out.append(_mismatch(r, c, *found, made=_made_at(ref, cand, (ri, ci), found)))
    if ref.output_op is not None and cand.output_op is not None and ref.output_shape == cand.output_shape:
        end = tuple(ref.output_shape or ())
        found = _differs(sides, (ref.output_op, cand.output_op), (end, end), paired)
        if found is not None:
            out.append(
                _mismatch(
                    None, None, *found, made=_made_at(ref, cand, (ref.output_op, cand.output_op), found)
                )
            )
    return out


def _made_at(
    ref: Trace, cand: Trace, producers: tuple[int, int], chains: tuple[list[OpRecord], list[OpRecord]]
) -> tuple[str, str]:
    """Where each side arranges the tensor: its chain's first layout op, else (a side that leaves it as
    made: a channel shuffle left out) the op that made it. That is the line to change, not the reader's
    (a fuse layer reading a block's unshuffled output)."""

    def at(trace: Trace, producer: int, chain: list[OpRecord]) -> str:
        if chain:
            return chain[0].module_path
        return trace.ops[producer].module_path if producer >= 0 else ""

    return at(ref, producers[0], chains[0]), at(cand, producers[1], chains[1])


def _mismatch(
    r: OpRecord | None,
    c: OpRecord | None,
    r_chain: list[OpRecord],
    c_chain: list[OpRecord],
    made: tuple[str, str] = ("", ""),
) -> Mismatch:
    where = f"{c.name} ({c.module_path or 'the model'}) reads its input" if c is not None else "the output is"
    last = (c_chain or r_chain)[-1]
    source = c_chain[-1].source if c_chain else (c.source if c is not None else None)
    return Mismatch(
        MismatchKind.ATTRIBUTE, made[0] or (r.module_path if r is not None else last.module_path),
        made[1] or (c.module_path if c is not None else (c_chain[-1].module_path if c_chain else "")), FIELD,
        _spelled(r_chain), _spelled(c_chain),
        f"{where} arranged otherwise: {_spelled(c_chain)} where the reference has {_spelled(r_chain)} "
        "(the same shape, its elements elsewhere)",
        source, Region.MODEL, c.kind if c is not None else last.kind, None,
        r.id if r is not None else None, c.id if c is not None else (c_chain[-1].id if c_chain else None),
    )  # fmt: skip
