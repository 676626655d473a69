"""Where one side cuts the gradient and the other does not: ``x.detach()``, ``x.data``, and a forward
whose output carries no gradient at all because the user ran it with gradients off (``torch.no_grad()``,
``torch.inference_mode()``, a decorated ``forward``: ``tracing/grad_mode.py``).

A detached tensor holds the same values, so shapes, parameters and outputs all agree and the op
alignment skips it (a layout op); but no gradient flows back through it, so what feeds it trains
otherwise (``identity = x.clone().detach()`` in every block: no gradient along any shortcut). A result of
a grad-off stretch read after it is cut the same way. Cuts are matched across the sides by the place
(stem, each aligned block's main path, shortcut and tail, head) of the tensor they cut, so a loop run
under ``no_grad`` and the same loop detached after it are one cut; each cut one side makes more than
the other is a mismatch at the op that makes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from resnet_verify.tracing.dataflow import Graph
from resnet_verify.tracing.records import INPUT_ID, Block, GradOff, OpKind, SourceLoc, Trace
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region
from resnet_verify.verify.returned_cuts import returned_cut_mismatches

CUTS = frozenset({"detach", "detach_", "data"})


def _grad_off_ends(trace: Trace) -> dict[int, tuple[int, GradOff]]:
    """Each result of a grad-off stretch read outside it: its first reader -> (that result, the
    stretch). Each is cut as a detach of it would cut it (a DEQ's fixed-point loop under no_grad, or
    run with autograd on and detached after it: one cut)."""
    out: dict[int, tuple[int, GradOff]] = {}
    for region in trace.grad_off:
        seen: set[int] = set()
        for op in trace.ops[region.end :]:
            inside = [i for i in op.inputs if region.first <= i < region.end and i not in seen]
            if inside and op.id not in out:
                seen.update(inside)
                out[op.id] = (inside[0], region)
    return out


def _live(trace: Trace) -> Callable[[int], bool]:
    """Whether an op's result reaches what the forward returns (every op when that is unknown)."""
    returned = [*([trace.output_op] if trace.output_op is not None else []), *trace.side_outputs]
    if trace.output_op is None:
        return lambda _op: True
    graph = Graph(trace.ops)
    mask = graph.feeding(returned)
    return lambda op: graph.holds(mask, op)


def _of_the_input(trace: Trace, op_id: int) -> bool:
    """The op reads the model's input itself, through layout ops only (``x.clone().detach()``)."""
    inputs = trace.ops[op_id].inputs
    while len(inputs) == 1 and inputs[0] >= 0 and trace.ops[inputs[0]].kind is OpKind.RESHAPE:
        inputs = trace.ops[inputs[0]].inputs
    return inputs == (INPUT_ID,)


def _places(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair]
) -> list[tuple[Region, str, Sequence[int], Sequence[int], BlockPair | None]]:
    rs, cs = ref.structure, cand.structure
    out: list[tuple[Region, str, Sequence[int], Sequence[int], BlockPair | None]] = [
        (Region.STEM, "stem", rs.stem, cs.stem, None),
        (Region.HEAD, "head", rs.head, cs.head, None),
    ]
    for p in pairs:
        if p.reference is None or p.candidate is None:
            continue  # the missing or extra block is the difference
        a, b = rs.blocks[p.reference], cs.blocks[p.candidate]
        for region, text, ra, cb in _paths(a, b):
            out.append((region, f"{a.path or b.path} {text}", ra, cb, p))
    return out


def _paths(a: Block, b: Block) -> list[tuple[Region, str, Sequence[int], Sequence[int]]]:
    return [
        (Region.MAIN, "main path", a.main, b.main),
        (Region.SHORTCUT, "shortcut", a.shortcut, b.shortcut),
        (Region.TAIL, "after the add", a.tail, b.tail),
    ]


def _learns(trace: Trace) -> bool | None:
    """Whether the prediction carries a gradient back to some parameter (None: no output op). Grad-off
    stretches and cuts produce tensors without history; buffers and the input have none of their own."""
    if trace.output_op is None:
        return None
    off = {i for r in trace.grad_off for i in range(r.first, r.end)}
    buffers = {n for p in trace.params if p.is_buffer for n in (p.name, *p.aliases)}
    carries = [False] * len(trace.ops)
    for op in trace.ops:
        if op.id in off or op.name in CUTS:
            continue
        carries[op.id] = any(p not in buffers for p in op.params) or any(
            0 <= i < len(carries) and carries[i] for i in op.inputs
        )
    return carries[trace.output_op]


def _grad_off_mismatch(
    ref: Trace, cand: Trace, learns_r: bool | None, learns_c: bool | None
) -> list[Mismatch]:
    """One mismatch where one side's prediction carries no gradient because of a grad-off stretch of
    its forward (a linear probe's frozen encoder still trains its head: only a whole model that cannot
    learn is a difference of the network; which layers train is otherwise a training choice)."""
    if learns_r is None or learns_c is None or learns_r == learns_c:
        return []
    side = cand if not learns_c else ref
    if not side.grad_off:
        return []  # a cut by detach: counted where it is
    region = max(side.grad_off, key=lambda r: (r.end - r.first, -r.first))
    where = f"line {region.source.line}" if region.source is not None else "its forward"
    if side is cand:
        text = (
            f"the candidate runs its forward under {region.spelling} ({where}): its output carries no "
            "gradient, so no parameter can learn (loss.backward() fails); the reference's trains"
        )
        paths: tuple[str | None, str | None] = (None, region.path)
        source = region.source
    else:
        text = (
            f"the reference runs its forward under {region.spelling} ({where}), so nothing in it learns; "
            "the candidate's output carries a gradient"
        )
        paths, source = (region.path, None), None
    return [Mismatch(
        MismatchKind.OP, paths[0], paths[1], "gradient", "flows" if side is cand else "stopped",
        "stopped" if side is cand else "flows", text, source, Region.MODEL,
    )]  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Cut:
    op: int  # where it is said: the detach, or the op that reads a grad-off stretch's result
    cut: int  # the op whose result loses its gradient (matched across the sides by its place)
    how: str
    source: SourceLoc | None


def _all_cuts(trace: Trace, live: Callable[[int], bool], stretches: bool) -> list[_Cut]:
    # The model's input has no history inside the model: detaching it (an input-gradient wrapper's
    # ``x.detach().requires_grad_()``) cuts nothing the model learns through; nor does a detached
    # copy nothing returned reads (Grad-CAM's hook keeping ``output.detach()`` for later).
    out = [
        _Cut(o.id, o.inputs[0] if o.inputs and o.inputs[0] >= 0 else o.id, o.name, o.source)
        for o in trace.ops
        if o.name in CUTS and not _of_the_input(trace, o.id) and live(o.id)
    ]
    for consumer, (edge, region) in (_grad_off_ends(trace) if stretches else {}).items():
        if live(edge):  # (its first reader may be a step a canonical pass folded into another op)
            source = region.source or trace.ops[consumer].source
            out.append(_Cut(consumer, edge, f"{region.spelling} before it", source))
    return out


def _place_of(places: list[tuple[Region, str, Sequence[int], BlockPair | None]], op: int) -> int | None:
    return next((k for k, (_, _, ops, _) in enumerate(places) if op in ops), None)


def _unmatched(
    cuts: list[_Cut],
    other: list[_Cut],
    mine: list[tuple[Region, str, Sequence[int], BlockPair | None]],
    theirs: list[tuple[Region, str, Sequence[int], BlockPair | None]],
    grad_off: bool,
) -> list[tuple[_Cut, int]]:
    """This side's cuts the other side does not make at the same place, each with the place it is
    said at. A cut is placed by the tensor it cuts (a detach after a loop and the loop under no_grad
    cut the same tensor), else by where it is made; a grad-off stretch's cut counts inside blocks only
    (one that freezes the stem or what the head reads is a training choice, as frozen layers are)."""

    def key(c: _Cut, places: list[tuple[Region, str, Sequence[int], BlockPair | None]]) -> int | None:
        k = _place_of(places, c.cut)
        return k if k is not None else _place_of(places, c.op)

    def counted(c: _Cut, places: list[tuple[Region, str, Sequence[int], BlockPair | None]]) -> bool:
        if c.how in CUTS:
            return True
        k = key(c, places)
        return not grad_off and k is not None and places[k][3] is not None

    left = [key(c, theirs) for c in other if counted(c, theirs)]
    out = []
    for c in cuts:
        if not counted(c, mine):
            continue
        k = key(c, mine)
        if k in left:
            left.remove(k)
            continue
        at = _place_of(mine, c.op)
        out.append((c, at if at is not None else k if k is not None else -1))
    return out


def gradient_mismatches(ref: Trace, cand: Trace, pairs: Sequence[BlockPair]) -> list[Mismatch]:
    if cand.crash is not None:
        return []
    returned, ref_said, cand_said = returned_cut_mismatches(ref, cand)
    return returned + _cut_mismatches(ref, cand, pairs, ref_said, cand_said)


def _cut_mismatches(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], ref_said: set[int], cand_said: set[int]
) -> list[Mismatch]:
    """``*_said``: every detach of a returned result, which ``returned_cuts`` said (or found on both
    sides): not counted again here."""
    if not ref.grad_off and not cand.grad_off:
        learns_r = learns_c = None  # (only a grad-off stretch makes these a question)
        grad_off: list[Mismatch] = []
        if not any(o.name in CUTS for t in (ref, cand) for o in t.ops):
            return []
    else:
        learns_r, learns_c = _learns(ref), _learns(cand)
        grad_off = _grad_off_mismatch(ref, cand, learns_r, learns_c)
    places = _places(ref, cand, pairs)
    ref_places = [(region, where, r, pair) for region, where, r, _, pair in places]
    cand_places = [(region, where, c, pair) for region, where, _, c, pair in places]
    # where neither side's prediction carries a gradient (a feature extractor run whole under no_grad, as
    # anomaly detection's are), where its stretches end cuts nothing more
    stretches = not grad_off and not (learns_r is False and learns_c is False)
    ref_cuts = [c for c in _all_cuts(ref, _live(ref), stretches) if c.op not in ref_said]
    cand_cuts = [c for c in _all_cuts(cand, _live(cand), stretches) if c.op not in cand_said]
    out: list[Mismatch] = []
    for c, k in _unmatched(cand_cuts, ref_cuts, cand_places, ref_places, bool(grad_off)):
        region, where, _, pair = cand_places[k] if k >= 0 else (Region.MODEL, "the model", (), None)
        out.append(Mismatch(
            MismatchKind.OP, None, cand.ops[c.op].module_path, "gradient", "flows", f"stopped ({c.how})",
            f"{where}: the candidate cuts the gradient here ({c.how}): the same values, but nothing "
            "before it learns through this path",
            c.source, region, OpKind.RESHAPE, pair, None, c.op,
        ))  # fmt: skip
    for c, k in _unmatched(ref_cuts, cand_cuts, ref_places, cand_places, bool(grad_off)):
        region, where, _, pair = ref_places[k] if k >= 0 else (Region.MODEL, "the model", (), None)
        out.append(Mismatch(
            MismatchKind.OP, ref.ops[c.op].module_path, None, "gradient", f"stopped ({c.how})", "flows",
            f"{where}: the reference cuts the gradient here ({c.how}), the candidate lets it flow",
            None, region, OpKind.RESHAPE, pair, c.op, None,
        ))  # fmt: skip
    return out or grad_off


__all__ = ["CUTS", "gradient_mismatches"]
