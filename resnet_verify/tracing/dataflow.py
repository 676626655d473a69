"""The dataflow graph of a trace as ancestor bitsets: which ops feed which.

Ancestor sets are Python ints used as bitsets (bit i+1 for op i, bit 0 for the model input), so a
question like "which ops lie between this fork and that merge" is a few big-int operations. The
structure finder and the explain layer's stage queries read the same graph.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import INPUT_ID, LAYOUT_KINDS, OpRecord


def _bit(op_id: int) -> int:
    return 1 << (op_id + 1)


def members(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 2)
        mask ^= low
    return out


# Tensors made from another's shape only (``x.new_full(...)``, ``torch.zeros_like(x)``): constants,
# not dataflow; a shake-shake mix ``alpha * b1 + (1 - alpha) * b2`` must fork where b1 and b2 do.
_SHAPE_ONLY = frozenset(
    {"new_full", "new_zeros", "new_ones", "new_empty", "zeros_like", "ones_like", "full_like", "empty_like",
     "rand_like", "randn_like"}
)  # fmt: skip


class Graph:
    """Ancestor bitsets of a trace's ops: which ops feed which (used by the explain layer too)."""

    def __init__(self, ops: Sequence[OpRecord]) -> None:
        self.ops = ops
        self.anc: list[int] = []
        for op in ops:
            mask = _bit(op.id)
            if dict(op.attrs).get("function") in _SHAPE_ONLY:
                self.anc.append(0)  # no ancestor, and none of its own to pass on: a constant
                continue
            for src in op.inputs:
                if src == INPUT_ID:
                    mask |= 1
                elif src >= 0:
                    mask |= self.anc[src]
            self.anc.append(mask)

    def ancestors(self, op_id: int) -> int:
        return 1 if op_id == INPUT_ID else self.anc[op_id]

    def descends_from(self, op_id: int, root: int) -> bool:
        return (
            bool(self.ancestors(op_id) & _bit(root)) if root != INPUT_ID else bool(self.ancestors(op_id) & 1)
        )

    def feeding(self, targets: Sequence[int]) -> int:
        """The ops whose results reach one of ``targets`` (themselves included), as a bitset."""
        mask = 0
        for t in targets:
            mask |= self.ancestors(t)
        return mask

    @staticmethod
    def holds(mask: int, op_id: int) -> bool:
        return bool(mask & _bit(op_id))

    def between(self, root: int, target: int) -> list[int]:
        """Ops that descend from ``root`` and feed ``target`` (both excluded)."""
        mask = self.ancestors(target) & ~_bit(target) & ~self.ancestors(root)
        return [o for o in members(mask) if o >= 0 and self.descends_from(o, root)]


def computed_at(ops: Sequence[OpRecord], op_id: int) -> int:
    """The op that computed what ``op_id`` holds: back through layout ops (views, flattens, a dropout
    in eval) to the last one that computed something; ``INPUT_ID`` for the model's input."""
    while op_id >= 0 and ops[op_id].kind in LAYOUT_KINDS and len(ops[op_id].inputs) == 1:
        op_id = ops[op_id].inputs[0]
    return op_id


__all__ = ["Graph", "computed_at", "members"]
