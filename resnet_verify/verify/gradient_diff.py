"""Where one side cuts the gradient and the other does not: ``x.detach()``, ``x.data``, and a forward
whose output carries no gradient at all because the user ran it with gradients off (``torch.no_grad()``,
``torch.inference_mode()``, a decorated ``forward``: ``tracing/grad_mode.py``).

A detached tensor holds the same values, so shapes, parameters and outputs all agree and the op
alignment skips it (a layout op); but no gradient flows back through it, so what feeds it trains
otherwise (``identity = x.clone().detach()`` in every block: no gradient along any shortcut). Counted
per place (stem, each aligned block's main path, shortcut and tail, head): each cut one side makes
more than the other is a mismatch at the op that makes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from resnet_verify.tracing.dataflow import Graph
from resnet_verify.tracing.records import INPUT_ID, Block, OpKind, Trace
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind, Region

CUTS = frozenset({"detach", "detach_", "data"})


def _cuts(trace: Trace, ops: Sequence[int], live: Callable[[int], bool]) -> list[int]:
    # The model's input has no history inside the model: detaching it (an input-gradient wrapper's
    # ``x.detach().requires_grad_()``) cuts nothing the model learns through; nor does a detached
    # copy nothing returned reads (Grad-CAM's hook keeping ``output.detach()`` for later).
    return [o for o in ops if trace.ops[o].name in CUTS and not _of_the_input(trace, o) and live(o)]


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


def _grad_off_mismatch(ref: Trace, cand: Trace) -> list[Mismatch]:
    """One mismatch where one side's prediction carries no gradient because of a grad-off stretch of
    its forward (a linear probe's frozen encoder still trains its head: only a whole model that cannot
    learn is a difference of the network; which layers train is otherwise a training choice)."""
    learns_r, learns_c = _learns(ref), _learns(cand)
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


def gradient_mismatches(ref: Trace, cand: Trace, pairs: Sequence[BlockPair]) -> list[Mismatch]:
    if cand.crash is not None:
        return []
    grad_off = _grad_off_mismatch(ref, cand) if ref.grad_off or cand.grad_off else []
    if not any(o.name in CUTS for t in (ref, cand) for o in t.ops):
        return grad_off
    out: list[Mismatch] = []
    live_r, live_c = _live(ref), _live(cand)
    for region, where, ref_ops, cand_ops, pair in _places(ref, cand, pairs):
        rc, cc = _cuts(ref, ref_ops, live_r), _cuts(cand, cand_ops, live_c)
        for o in cc[len(rc) :]:
            op = cand.ops[o]
            out.append(Mismatch(
                MismatchKind.OP, None, op.module_path, "gradient", "flows", f"stopped ({op.name})",
                f"{where}: the candidate cuts the gradient here ({op.name}): the same values, but nothing "
                "before it learns through this path",
                op.source, region, OpKind.RESHAPE, pair, None, o,
            ))  # fmt: skip
        for o in rc[len(cc) :]:
            op = ref.ops[o]
            out.append(Mismatch(
                MismatchKind.OP, op.module_path, None, "gradient", f"stopped ({op.name})", "flows",
                f"{where}: the reference cuts the gradient here ({op.name}), the candidate lets it flow",
                None, region, OpKind.RESHAPE, pair, o, None,
            ))  # fmt: skip
    return out or grad_off


__all__ = ["CUTS", "gradient_mismatches"]
