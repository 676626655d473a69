"""The same layers run at other places: both models hold the same parameter names and shapes (one state
dict fits both), yet the layer the candidate runs at an aligned place is another one of them.

Alignment pairs ops by what they compute, never by name, so twelve identical blocks run in another order
(an ``nn.ModuleDict`` iterated by ``sorted(keys)``: block0, block1, block10, block11, block2 ...), or one of
them run twelve times (``[lambda t: block(t) for block in blocks]``), pair op for op and compared clean: a
false "no difference" (heldout108). Names differ freely between two models, so they prove nothing there;
but where both sides hold exactly the same named tensors, a state dict saved from one loads into the other
by name, and a paired layer reading another name runs those weights at another place. Said once per
aligned block (its first such layer); outside the blocks parallel branches (a dict of heads) pair in no
order the trunk fixes, so nothing is said there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from resnet_verify.tracing.records import Block, Trace
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region

FIELD = "runs"


def _keys(trace: Trace) -> set[tuple[str, tuple[int, ...]]]:
    return {(name, tuple(p.shape)) for p in trace.params for name in (p.name, *p.aliases)}


def _positions(trace: Trace) -> dict[str, int]:
    """Each tensor's place in the state dict (registration order), under every name it has."""
    return {name: i for i, p in enumerate(trace.params) for name in (p.name, *p.aliases)}


def _placing(ref: Trace, cand: Trace) -> tuple[dict[str, object], dict[str, object], str] | None:
    """How each side's tensors correspond: by name where both hold the same names (``load_state_dict``),
    else by position where both hold the same shapes in the same order (a port copying values in order);
    None where neither holds (another network: names and order prove nothing)."""
    if _keys(ref) == _keys(cand):
        return {n: n for n in _positions(ref)}, {n: n for n in _positions(cand)}, "under the same names"
    if [tuple(p.shape) for p in ref.params] == [tuple(p.shape) for p in cand.params]:
        return dict(_positions(ref)), dict(_positions(cand)), "in the same registration order"
    return None


def _ops(block: Block) -> tuple[int, ...]:
    return (*block.main, *block.shortcut, *block.tail)


def _block_keys(trace: Trace, block: Block, key: dict[str, object]) -> frozenset[object]:
    """The tensors a block's ops read, in the placing's terms."""
    return frozenset(
        key.get(n) for o in (*block.main, *block.shortcut, *block.tail) for n in trace.ops[o].params
    )


def named_elsewhere(
    ref: Trace, cand: Trace, paired: dict[int, int], pairs: Sequence[BlockPair]
) -> list[Mismatch]:
    """One mismatch per aligned block whose candidate block runs exactly another reference block's layers."""
    del paired  # blocks, not layers: a layer paired otherwise inside a block is the alignment's to say
    placing = _placing(ref, cand) if ref.params else None
    if placing is None:
        return []
    rkey, ckey, how = placing
    rb, cb = ref.structure.blocks, cand.structure.blocks
    # a tensor under several names (one BatchNorm in a list three times) is sharing, said by its own rule
    shared = {n for t in (ref, cand) for p in t.params if p.aliases for n in (p.name, *p.aliases)}
    theirs = {b.index: _block_keys(ref, b, rkey) for b in rb}
    counts = Counter(theirs.values())
    # a block's layers name one reference block; a module run at several places (a loop of one unit) names none
    owner = {keys: i for i, keys in theirs.items() if keys and counts[keys] == 1}
    out: list[Mismatch] = []
    for pair in pairs:
        if pair.reference is None or pair.candidate is None:
            continue
        mine = _block_keys(cand, cb[pair.candidate], ckey)
        if any(n in shared for o in _ops(cb[pair.candidate]) for n in cand.ops[o].params):
            continue
        other = owner.get(mine)
        if not mine or other is None or other == pair.reference or mine == theirs[pair.reference]:
            continue  # its own layers, or layers of no reference block (a width, a swap of one layer)
        r, c = rb[pair.reference], cb[pair.candidate]
        ran = rb[other].path
        out.append(
            Mismatch(
                MismatchKind.OP, r.path, c.path, FIELD, r.path, ran,
                f"{c.path or 'a block'}: the candidate runs the layers of the reference's {ran} where the reference "
                f"runs {r.path}'s; both hold the same tensors {how}, so weights loaded from one land at another "
                f"place in the other",
                cand.ops[c.main[0]].source if c.main else None, Region.BLOCK, None, pair,
            )
        )  # fmt: skip
    return out


__all__ = ["FIELD", "named_elsewhere"]
