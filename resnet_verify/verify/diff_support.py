"""What the diff reads off the traces besides op pairs: an op's label, parameters no op uses, a layer
moved across a block's add, a block's one-line description."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.specs.vocabulary import STATISTICS
from resnet_verify.tracing.moves import makes_zeros
from resnet_verify.tracing.records import (
    Block,
    OpKind,
    OpRecord,
    ParamInfo,
    RegularizerKind,
    SourceLoc,
    Trace,
    format_shape,
)
from resnet_verify.verify.align import OpPair
from resnet_verify.verify.records import Mismatch, MismatchKind, Region

_LABEL = {
    OpKind.CONV: "conv",
    OpKind.BATCH_NORM: "BatchNorm",
    OpKind.RELU: "ReLU",
    OpKind.ADD: "residual add",
    OpKind.MAX_POOL: "max pool",
    OpKind.AVG_POOL: "avg pool",
    OpKind.GLOBAL_POOL: "global pool",
    OpKind.ADAPTIVE_POOL: "adaptive pool",
    OpKind.LINEAR: "Linear",
    OpKind.ACTIVATION: "activation",
    OpKind.NORM: "norm",
}


def label(op: OpRecord) -> str:
    base = _LABEL.get(op.kind, op.name)
    attrs = dict(op.attrs)
    if op.kind is OpKind.CONV:
        k = attrs.get("kernel_size", ())
        return f"{'x'.join(str(v) for v in k)} conv" if k else base
    if op.kind is OpKind.ACTIVATION:
        return str(attrs.get("function", base))
    return base


def op_label(trace: Trace, op: OpRecord) -> str:
    """``label`` with an add that merges no block's skip (a head's sum of branches) called an add."""
    if op.kind is OpKind.ADD and all(b.merge_op != op.id for b in trace.structure.blocks):
        return "add"
    return label(op)


def unused_params(trace: Trace) -> list[ParamInfo]:
    used = {p for op in trace.ops for p in op.params}
    return [p for p in trace.params if not p.is_buffer and p.name not in used and not set(p.aliases) & used]


def _fixed_norm_params(trace: Trace) -> set[str]:
    """The affine tensors of each BatchNorm that cannot change in training: frozen (requires_grad False)
    and the norm held in eval mode by the model's ``train()`` (mmdetection's frozen_stages): a
    ``FrozenBatchNorm2d`` (detectron2's freeze) in all but storage, whose buffers count no parameters."""
    held = {r.path for r in trace.regularizers if r.kind is RegularizerKind.EVAL_IN_TRAINING}
    if not held:
        return set()
    frozen = {n for p in trace.params if not p.is_buffer and not p.trainable for n in (p.name, *p.aliases)}
    out: set[str] = set()
    for op in trace.ops:
        if op.kind is OpKind.BATCH_NORM and op.module_path in held:
            learned = [n for n in op.params if not n.endswith(STATISTICS)]
            if learned and all(n in frozen for n in learned):
                out.update(learned)
    return out


def learned_params(trace: Trace) -> list[ParamInfo]:
    """The parameters that count as the model's: not buffers, nor a held, frozen BatchNorm's affine."""
    fixed = _fixed_norm_params(trace)
    return [p for p in trace.params if not p.is_buffer and p.name not in fixed]


def numel_table(trace: Trace) -> dict[str, int]:
    """Values per parameter name (aliases included; buffers and a held, frozen BatchNorm's affine count 0)."""
    fixed = _fixed_norm_params(trace)
    table: dict[str, int] = {}
    for p in trace.params:
        for name in (p.name, *p.aliases):
            table[name] = 0 if p.is_buffer or name in fixed else p.numel
    return table


def resized_unused(ref: Trace, cand: Trace) -> list[tuple[ParamInfo, ParamInfo]]:
    """(reference's, candidate's) parameter of one name that the traced forward reads on neither side,
    in other shapes: a layer run only in training (an auxiliary head) or never, built otherwise."""
    theirs = {p.name: p for p in unused_params(ref)}
    return [
        (theirs[p.name], p)
        for p in unused_params(cand)
        if p.name in theirs and theirs[p.name].shape != p.shape
    ]


def resized_unused_mismatches(ref: Trace, cand: Trace, sites: dict[str, SourceLoc]) -> list[Mismatch]:
    """One mismatch per tensor :func:`resized_unused` pairs: its shapes, at its module."""
    out = []
    for theirs, ours in resized_unused(ref, cand):
        module, _, tensor = ours.name.rpartition(".")
        out.append(Mismatch(
            MismatchKind.SHAPE, module or None, module or None, f"unused {tensor} shape", theirs.shape, ours.shape,
            f"{module or 'the model'} (a layer the traced forward never runs: used in training only, or not at "
            f"all) holds {tensor} {format_shape(ours.shape)} where the reference's holds {format_shape(theirs.shape)}",
            sites.get(module), Region.MODEL,
        ))  # fmt: skip
    return out


def extra_unused(ref: Trace, cand: Trace) -> list[ParamInfo]:
    """The candidate's parameters forward never reads, beyond those the reference leaves unused too
    (both keep torchvision's fc behind a new head), matched by shape; those :func:`resized_unused`
    pairs by name are said there. A tensor the reference's forward reads under the same name, of a module
    that ran, is never matched away: a student run with its teacher's weights leaves its own unread, and
    the teacher the reference leaves unread has the same shapes."""
    resized = resized_unused(ref, cand)
    paired = {p.name for _, p in resized}
    spare = [p.shape for p in unused_params(ref) if p.name not in paired]
    read = {n for op in ref.ops for n in op.params}
    # run by another module's op there (the student's conv with the teacher's weight), or its own module ran
    # here with other weights: a module never run, another run in its place, is ``module_swap``'s
    lent = {n for op in ref.ops for n in op.params if n.rpartition(".")[0] != op.module_path}
    ran = {op.module_path for op in cand.ops}
    unused = []
    for p in unused_params(cand):
        if p.name in paired:
            continue
        if p.shape in spare and not (p.name in read and (p.name in lent or p.name.rpartition(".")[0] in ran)):
            spare.remove(p.shape)
        else:
            unused.append(p)
    return unused


def _read_instead(ref: Trace, cand: Trace, unused: list[ParamInfo]) -> list[str]:
    """The candidate's tensors of the unused ones' shapes that its forward reads and the reference's
    does not (a student run with its teacher's weights): what runs in their place."""
    theirs = {n for op in ref.ops for n in op.params}
    shapes = [p.shape for p in unused]
    read = {n for op in cand.ops for n in op.params}
    out = []
    for p in cand.params:
        if not p.is_buffer and p.name in read and p.name not in theirs and p.shape in shapes:
            shapes.remove(p.shape)
            out.append(p.name)
    return out if not shapes else []


def extra_unused_mismatch(ref: Trace, cand: Trace, sites: dict[str, SourceLoc]) -> Mismatch | None:
    """One mismatch for the tensors :func:`extra_unused` finds, and what the forward reads instead."""
    unused = extra_unused(ref, cand)
    if not unused:
        return None
    total = sum(p.numel for p in unused)
    names = ", ".join(p.name for p in unused[:4]) + (" ..." if len(unused) > 4 else "")
    text = f"{len(unused)} parameter tensors ({total:,} values) never used in forward: {names}"
    instead = _read_instead(ref, cand, unused)
    if instead:
        text += (
            f"; it reads {', '.join(instead[:4])}{' ...' if len(instead) > 4 else ''} in their place (the same "
            "shapes), which the reference's forward does not read"
        )
    return Mismatch(
        MismatchKind.EXTRA, None, unused[0].name, "params", 0, total, text,
        sites.get(unused[0].name.rpartition(".")[0]), Region.MODEL,
    )  # fmt: skip


def moved_across_add(ref: Trace, cand: Trace, pairs: Sequence[OpPair]) -> list[tuple[OpPair, OpPair]]:
    """(missing, extra) op pairs of the same label: one layer applied on the other side of the add."""
    extras = [p for p in pairs if p.reference is None and p.candidate is not None]
    out: list[tuple[OpPair, OpPair]] = []
    for p in pairs:
        if p.candidate is not None or p.reference is None:
            continue
        want = label(ref.ops[p.reference])
        twin = next(
            (e for e in extras if e.candidate is not None and label(cand.ops[e.candidate]) == want), None
        )
        if twin is not None:
            extras.remove(twin)
            out.append((p, twin))
    return out


def block_desc(trace: Trace, block: Block) -> str:
    chans = [
        dict(trace.ops[o].attrs).get("out_channels") for o in block.main if trace.ops[o].kind is OpKind.CONV
    ]
    flow = "->".join(str(c) for c in [block.in_shape[1] if len(block.in_shape) > 1 else "?", *chans])
    return f"{flow}, output {format_shape(block.out_shape[1:])}"


def placed(trace: Trace, op: OpRecord, text: str, own: str, other: str) -> tuple[str, str | None, str]:
    """Where an op no other pairs is written, on its side and the other, and the words for the place:
    its module, or the block it belongs to (``own``) where it has none. An op the root's forward runs
    after a block (a state rescaled between two towers) is the root's on both sides, though the block
    structure reads it as the block's tail."""
    if op.module_path or not own or not any(m.path == own for m in trace.modules):
        return op.module_path or own, other or None, text
    return "", "", f"the model's forward (after {own})"


__all__ = ["block_desc", "label", "moved_across_add", "placed", "unused_params"]


def outside_regions(trace: Trace) -> list[int]:
    """Ops the structure gives to no stem, block or head (a coupling layer's arithmetic between two
    residual nets, a side computation): compared among themselves, never left unseen. A zero fill
    (option A's ``x.mul(0)``) is seen where it is read, in the shortcut that concatenates it."""
    s = trace.structure
    seen = {*s.stem, *s.head, *s.partial}
    for b in s.blocks:
        seen.update((*b.main, *b.shortcut, *b.tail, *((b.merge_op,) if b.merge_op is not None else ())))
    return [o for o in range(len(trace.ops)) if o not in seen and not makes_zeros(trace.ops[o])]


def squeezed(op: OpRecord) -> object:
    # A global pool may keep its 1x1 spatial dims (adaptive pool) or drop them (mean): same values.
    if op.kind is OpKind.GLOBAL_POOL and op.out_shape:
        return op.out_shape[:2]
    return op.out_shape


def reading(trace: Trace, op_id: int) -> str:
    if op_id < 0:
        return "the input"
    op = trace.ops[op_id]
    bounds = dict(op.attrs).get("bounds")
    return f"{label(op)} [{bounds}]" if bounds else label(op)
