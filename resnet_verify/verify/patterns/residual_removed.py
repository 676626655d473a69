"""A residual network whose blocks all lost their add: the same layers, no shortcut merged in.

Deleting ``out += self.shortcut(x)`` from a block class removes the add from every block at once.
The structure finder then sees no block at all, and the not-a-ResNet verdict would call the model
"another kind of network". It is not: its convolutions, in order, are exactly the reference's main
paths (the shortcut projections, if still called, feed nothing). So this verdict names the one
cause and points at the ``forward`` line where the add was: the line of the op that follows the
reference's first add (its final ReLU). Either direction, one name: a reference without adds against
a candidate that has them is the same finding, told from the candidate's side.
"""

from __future__ import annotations

from resnet_verify.tracing.records import INPUT_ID, OpKind, OpRecord, SourceLoc, Trace
from resnet_verify.verify.patterns.context import Context, at, attr
from resnet_verify.verify.records import Finding, Pattern

_Sig = tuple[object, object, object]


def _live(trace: Trace) -> list[OpRecord]:
    """The ops the outputs depend on, in execution order (a projection whose result is dropped is not):
    the prediction's and every other returned tensor's (a detection head's several maps)."""
    if not trace.ops:
        return []
    returned = [trace.output_op, *trace.side_outputs] if trace.output_op is not None else [trace.ops[-1].id]
    keep, todo = set(), list(returned)
    while todo:
        i = todo.pop()
        if i in keep or i < 0:
            continue
        keep.add(i)
        todo.extend(j for j in trace.ops[i].inputs if j != INPUT_ID)
    return [op for op in trace.ops if op.id in keep]


def _sig(op: OpRecord) -> _Sig:
    return attr(op, "kernel_size"), attr(op, "stride"), op.out_shape[1:2] if op.out_shape else None


def _main_convs(trace: Trace) -> tuple[list[_Sig], int | None]:
    """Signatures of the convolutions outside every shortcut, and the op id of the first block's
    last main-path op (None without blocks)."""
    shortcut = {o for b in trace.structure.blocks for o in b.shortcut}
    sigs = [_sig(op) for op in trace.ops if op.kind is OpKind.CONV and op.id not in shortcut]
    first = trace.structure.blocks[0] if trace.structure.blocks else None
    return sigs, (first.main[-1] if first is not None and first.main else None)


def _add_line(plain: Trace, residual: Trace, first_main_convs: int) -> SourceLoc | None:
    """In the trace without adds: the line of the first ReLU after the conv that ends the residual
    side's first block main path: the statement right after where the add was."""
    convs = [op for op in _live(plain) if op.kind is OpKind.CONV]
    if len(convs) < first_main_convs:
        return None
    last_conv = convs[first_main_convs - 1].id
    after = (op for op in plain.ops if op.id > last_conv and op.kind in (OpKind.RELU, OpKind.ACTIVATION))
    op = next(after, None)
    return op.source if op is not None else None


def _count_main_convs_through(trace: Trace, last_op: int) -> int:
    shortcut = {o for b in trace.structure.blocks for o in b.shortcut}
    return sum(1 for op in trace.ops if op.kind is OpKind.CONV and op.id <= last_op and op.id not in shortcut)


def detect_residual_removed(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    if ref.crash is not None or cand.crash is not None:
        return []
    if bool(ref.structure.blocks) == bool(cand.structure.blocks):
        return []
    residual, plain = (ref, cand) if ref.structure.blocks else (cand, ref)
    sigs, first_end = _main_convs(residual)
    plain_sigs = [_sig(op) for op in _live(plain) if op.kind is OpKind.CONV]
    if first_end is None or sigs != plain_sigs:
        return []
    n = len(residual.structure.blocks)
    line = _add_line(plain, residual, _count_main_convs_through(residual, first_end))
    where = at(None, line) if line is not None else "each block's forward"
    if residual is ref:
        message = (
            f"None of the candidate's {n} blocks adds its shortcut: its convolutions are the reference's "
            "main paths, in order, but nothing merges the block input back in, so this is a plain deep "
            "network, not a ResNet (it trains far worse at this depth)."
        )
        fix = f"{where}: add the shortcut back before the block's last activation (out += shortcut(x))"
    else:
        message = (
            f"The candidate adds a shortcut in {n} blocks where the reference has no residual additions: "
            "the same convolutions, in order, with the block inputs merged back in."
        )
        fix = f"{where}: remove the residual addition to match the reference"
    return [
        Finding(
            pattern=Pattern.RESIDUAL_ADD_MISSING,
            title="Residual additions missing in every block"
            if residual is ref
            else "Residual additions missing in every block (in the reference)",
            message=message,
            locations=tuple(ref.structure.blocks[i].path for i in range(min(3, len(ref.structure.blocks))))
            or ("model",),
            mismatches=tuple(range(len(ctx.mismatches))),
            suggestion=fix,
            source=line,
            verdict=True,
        )
    ]


__all__ = ["detect_residual_removed"]
