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

from collections.abc import Sequence

from resnet_verify.tracing.records import Trace
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


def _block_pairs(ref: Trace, cand: Trace, pairs: Sequence[BlockPair]) -> dict[int, BlockPair]:
    """Reference op id -> the aligned block pair it belongs to."""
    out: dict[int, BlockPair] = {}
    for p in pairs:
        if p.reference is not None and p.candidate is not None:
            b = ref.structure.blocks[p.reference]
            for o in (*b.main, *b.shortcut, *b.tail):
                out[o] = p
    return out


def named_elsewhere(
    ref: Trace, cand: Trace, paired: dict[int, int], pairs: Sequence[BlockPair]
) -> list[Mismatch]:
    """One mismatch per aligned block (or layer outside blocks) whose paired layer reads another name."""
    placing = _placing(ref, cand) if ref.params else None
    if placing is None:
        return []
    rkey, ckey, how = placing
    in_block = _block_pairs(ref, cand, pairs)
    out: list[Mismatch] = []
    said: set[object] = set()
    for r_id, c_id in sorted(paired.items()):
        r, c = ref.ops[r_id], cand.ops[c_id]
        if not r.params or not c.params or {rkey.get(n) for n in r.params} == {ckey.get(n) for n in c.params}:
            continue
        pair = in_block.get(r_id)
        if pair is None:
            continue  # parallel heads (a dict of them) pair in no order the trunk fixes: blocks only
        key: object = pair
        if key in said:
            continue
        said.add(key)
        where = (
            cand.structure.blocks[pair.candidate].path
            if pair is not None and pair.candidate is not None
            else ""
        )
        out.append(
            Mismatch(
                MismatchKind.OP, r.module_path, c.module_path, FIELD, r.module_path, c.module_path,
                f"{where or 'the model'}: the candidate runs {c.module_path} where the reference runs "
                f"{r.module_path}; both hold the same tensors {how}, so weights loaded from one land at "
                f"another place in the other",
                c.source, Region.BLOCK if pair is not None else Region.MODEL, r.kind, pair, r_id, c_id,
            )
        )  # fmt: skip
    return out


__all__ = ["FIELD", "named_elsewhere"]
