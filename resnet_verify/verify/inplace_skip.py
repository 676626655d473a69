"""A block whose own first op runs in place on its input: the skip adds that op's output, not ``x``.

``self.net = nn.Sequential(nn.ReLU(inplace=True), conv, ...)`` with ``return x + self.net(x)``
(VQ-VAE-2's ResBlock), or ``out = F.relu(x, inplace=True)`` first in a pre-activation block
(IMPALA's): the ReLU overwrites the tensor ``x`` names, so the residual add reads ``relu(x)``.
Nothing crashes and every shape matches; the trace sees the ReLU moved from the main path to before
the block's fork. An in-place op that the block's own code runs (it sits inside the block's module)
yet ends up before the block's fork is this mistake's signature, whichever side holds it: the
mismatches it leaves (the op extra before the fork, missing from the main path, moved across the add)
are read as that one difference, located at the op and said in words with the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import Block, OpKind, OpRecord, Trace
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region

FIELD = "inplace_skip"
_PASSED = frozenset({OpKind.MAX_POOL, OpKind.RESHAPE, OpKind.FLATTEN})


def _made_inside(trace: Trace, at: int, path: str) -> bool:
    """The tensor ``at`` was made by the block's own modules (its BN), not handed to the block."""
    if at < 0:
        return False
    made = trace.ops[at].module_path
    return made == path or made.startswith(path + ".")


def _overwrites(trace: Trace, block: Block) -> OpRecord | None:
    """The in-place op the block's own code ran on the block's input: the fork itself, or behind it
    through ops that commute with it (a max pool the canonical order moved after the ReLU)."""
    if not block.path:
        return None
    at = block.fork_op
    while at >= 0:
        op = trace.ops[at]
        # the block's own code ran it: its module, or a module of the model's the block calls (BigGAN's
        # discriminator blocks call the network's one shared activation module)
        inside = (
            op.module_path == block.path
            or op.module_path.startswith(block.path + ".")
            or (block.path in op.module_stack)
        )
        # a projection reads the activated input by design (a pre-activation transition's BN-ReLU runs
        # before the fork); an in-place op on what entered the block overwrites the block's input itself
        by_design = block.shortcut and _made_inside(trace, op.inputs[0] if op.inputs else -1, block.path)
        if op.inplace and inside and op.inputs and not by_design:
            return op
        if len(op.inputs) != 1 or op.kind not in _PASSED:
            return None
        at = op.inputs[0]
    return None


def _culprits(trace: Trace) -> dict[int, tuple[Block, OpRecord, OpKind]]:
    """Each in-place op overwriting a block's input, keyed by its id and by the ops its own module ran
    just before it (an in-place activated BatchNorm's norm: it moved before the fork with it), with the
    kind of the op keyed."""
    out = {}
    for block in trace.structure.blocks:
        op = _overwrites(trace, block)
        if op is None:
            continue
        out[op.id] = (block, op, op.kind)
        if not op.module_path.startswith(block.path + "."):
            continue  # the block's own forward (or a vmap's run): no layer of its own that moved with it
        at = op.inputs[0]
        while at >= 0 and trace.ops[at].module_path == op.module_path and at not in out:
            out[at] = (block, op, trace.ops[at].kind)
            if len(trace.ops[at].inputs) != 1:
                break
            at = trace.ops[at].inputs[0]
    return out


def _label(op: OpRecord) -> str:
    return "ReLU" if op.kind is OpKind.RELU else str(dict(op.attrs).get("function", op.name)).strip("_")


def _reworded(m: Mismatch, block: Block, op: OpRecord, side: str, sides: tuple[Trace, Trace],
              pairs: Sequence[BlockPair]) -> Mismatch:  # fmt: skip
    """The mismatch said as the in-place op's, at the two blocks (their construction lines are
    where ``locate`` looks for the argument that chose it)."""
    name = _label(op)
    mine = side == "candidate"
    pair = next((p for p in pairs if (p.candidate if mine else p.reference) == block.index), m.block)
    other_index = (pair.reference if mine else pair.candidate) if pair is not None else None
    other = sides[0 if mine else 1].structure.blocks[other_index].path if other_index is not None else None
    on_main, before = f"{name} on the main path", f"in-place {name} before the skip"
    return replace(
        m,
        kind=MismatchKind.OP,
        reference_path=other if mine else block.path,
        candidate_path=block.path if mine else other,
        field=FIELD,
        expected=on_main if mine else before,
        actual=before if mine else on_main,
        message=(
            f"{block.path}: the {side}'s in-place {name} ({op.module_path}) overwrites the block's input, "
            f"which the residual add also reads: its skip adds {name}(x), not x"
        ),
        source=op.source or m.source,
        region=Region.BLOCK,
        block=pair,
    )


def _match(m: Mismatch, mine: dict[int, tuple[Block, OpRecord, OpKind]], own_op: int | None, block_of: int | None,
           other_op: int | None) -> tuple[Block, OpRecord] | None:  # fmt: skip
    if own_op is not None and own_op in mine:
        return mine[own_op][:2]
    # the op missing from this block's main path on the other side: it runs before this side's fork
    if m.field == "op" and own_op is None and other_op is not None and m.region is Region.MAIN:
        for block, op, kind in mine.values():
            if block.index == block_of and kind is m.op_kind:
                return block, op
    return None


def reword_inplace_skips(
    ref: Trace, cand: Trace, mismatches: Sequence[Mismatch], pairs: Sequence[BlockPair]
) -> list[Mismatch]:
    """The mismatches an in-place op before a block's own fork leaves, read as that one difference."""
    sides = (("candidate", _culprits(cand)), ("reference", _culprits(ref)))
    if not any(found for _, found in sides):
        return list(mismatches)
    out: list[Mismatch] = []
    roots: dict[tuple[str, int], int] = {}  # (side, culprit op) -> index of its first mismatch
    for m in mismatches:
        for side, found in sides:
            own, other = (
                (m.candidate_op, m.reference_op) if side == "candidate" else (m.reference_op, m.candidate_op)
            )
            block_of = (m.block.candidate if side == "candidate" else m.block.reference) if m.block else None
            hit = _match(m, found, own, block_of, other)
            if hit is not None:
                # one culprit leaves up to three mismatches (extra before the fork, missing from the
                # main path, moved across the add): the first says it, the others follow from it
                root = roots.setdefault((side, hit[1].id), len(out))
                m = replace(
                    _reworded(m, *hit, side, (ref, cand), pairs), cause=None if root == len(out) else root
                )
                break
        out.append(m)
    return out


def held_norms_follow(ref: Trace, cand: Trace, found: list[Mismatch]) -> list[Mismatch]:
    """A culprit that is a norm held in eval in training (an in-place activated BN: running statistics
    always) is a training-mode layer too, and its place there moved with it: those regularizer mismatches
    follow from its first in-place mismatch (by the culprit's name, or by its block: a held norm of that
    block the moved one displaced there)."""
    first: dict[tuple[str, int], int] = {}  # (side, block index) -> its first in-place mismatch
    for i, m in enumerate(found):
        if m.field == FIELD and m.cause is None and m.block is not None:
            for side, index in (("candidate", m.block.candidate), ("reference", m.block.reference)):
                if index is not None:
                    first.setdefault((side, index), i)
    by_block = {
        key: first[key]
        for side, trace in (("candidate", cand), ("reference", ref))
        for block, _, _ in _culprits(trace).values()
        if (key := (side, block.index)) in first
    }
    by_path = {
        op.module_path: by_block[(side, block.index)]
        for side, trace in (("candidate", cand), ("reference", ref))
        for block, op, _ in _culprits(trace).values()
        if (side, block.index) in by_block
    }
    if not by_block:
        return found
    out = list(found)
    for i, m in enumerate(out):
        if m.kind is not MismatchKind.REGULARIZER or m.cause is not None:
            continue
        paths = [t.regularizers[r].path for t, r in ((cand, m.candidate_regularizer), (ref, m.reference_regularizer))
                 if r is not None]  # fmt: skip
        pair = m.block
        blocks = [("candidate", pair.candidate), ("reference", pair.reference)] if pair is not None else []
        roots = [
            *(by_path[p] for p in paths if p in by_path),
            *(by_block[b] for b in blocks if b in by_block),
        ]
        root = roots[0] if roots else None
        if root is not None:
            out[i] = replace(m, cause=root)
    return out


__all__ = ["FIELD", "held_norms_follow", "reword_inplace_skips"]
