"""Squeeze-excitation (SE-ResNet, Hu et al. 2018, https://arxiv.org/abs/1709.01507; timm's
``seresnet*``): a block's main path rescaled per channel by a gate computed from its global pool:
pool, 1x1 reduce, ReLU, 1x1 expand, sigmoid, multiply."""

from __future__ import annotations

import enum

from resnet_verify.tracing.records import Block, OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, attr, conv_call
from resnet_verify.verify.records import Finding, MismatchKind, Pattern

# What may sit between the pool and the gate: the excitation's layers and layout ops.
_BRANCH = frozenset(
    {
        OpKind.CONV,
        OpKind.LINEAR,
        OpKind.RELU,
        OpKind.ACTIVATION,
        OpKind.BATCH_NORM,
        OpKind.RESHAPE,
        OpKind.FLATTEN,
        OpKind.SLICE,  # the excitation chunked into a scale and a shift (Leela's SE: sigmoid(s) * x + b)
    }
)
_GATES = frozenset({"sigmoid", "hardsigmoid", "hard_sigmoid"})


def _gate_branch(trace: Trace, start: int, allowed: set[int]) -> list[int] | None:
    """Op ids from a global pool to ``start`` (the gate), if ``start`` is such a branch's end."""
    gate = trace.ops[start]
    if gate.kind is not OpKind.ACTIVATION or attr(gate, "function") not in _GATES:
        return None
    seen, todo, pooled = {start}, [start], False
    while todo:
        op = trace.ops[todo.pop()]
        if op.kind is OpKind.GLOBAL_POOL:
            pooled = True
            continue  # the pool reads the main path: the branch ends here
        if op.kind not in _BRANCH and op.id != start:
            return None
        for i in op.inputs:
            if i < 0 or i not in allowed:
                return None
            if i not in seen:
                seen.add(i)
                todo.append(i)
    return sorted(seen) if pooled else None


def _through_layout(trace: Trace, op_id: int, allowed: set[int]) -> tuple[int, list[int]]:
    """Back from a multiply's input through layout ops (``view``, ``expand_as``) to the gate."""
    layout: list[int] = []
    while op_id in allowed and trace.ops[op_id].kind in (OpKind.RESHAPE, OpKind.FLATTEN):
        layout.append(op_id)
        inputs = trace.ops[op_id].inputs
        if not inputs or inputs[0] < 0:  # expand_as / view_as: the first input is the data, the
            break  # second only lends its shape
        op_id = inputs[0]
    return op_id, layout


# Where a gate sits in its block, in the words a finding says it with.
PLACES = {
    "main": "on the main path, before the add",
    "shortcut": "on the shortcut",
    "tail": "after the add, on the block's output",
}


def se_ops(trace: Trace, block: Block) -> list[int]:
    """The ops of the block's channel gates (pool ... sigmoid branch + the multiply), or []: every
    gate of the block, on either path (Composer's surgery puts one after each conv, the shortcut's
    projection included) or after the add (senet.pytorch's SELayer called on the sum)."""
    return sorted(o for ops in gate_places(trace, block).values() for o in ops)


def gate_places(trace: Trace, block: Block) -> dict[str, list[int]]:
    """The block's gates' ops by where they sit (``PLACES``' keys), each place with a gate only."""
    places: dict[str, list[int]] = {}
    for place, path in (("main", block.main), ("shortcut", block.shortcut), ("tail", block.tail)):
        found = _gates_on(trace, path)
        if found:
            places[place] = found
    return places


def _gates_on(trace: Trace, path: tuple[int, ...]) -> list[int]:
    found: set[int] = set()
    if path:
        allowed = set(path)
        for o in path:
            op = trace.ops[o]
            if op.kind is not OpKind.MUL:
                continue
            for i in op.inputs:
                if i < 0:
                    continue
                gate, layout = _through_layout(trace, i, allowed)
                branch = _gate_branch(trace, gate, allowed)
                if branch:
                    found |= {*branch, *layout, o, *_shift(trace, o, branch, allowed)}
                    break
    return sorted(found)


def _shift(trace: Trace, mul: int, branch: list[int], allowed: set[int]) -> list[int]:
    """The add after the gate whose other term the excitation computed too (its second chunk): the
    SE's shift, ``sigmoid(scale) * x + shift`` (Leela Chess Zero's SE unit), and that chunk's ops."""
    for op in trace.ops[mul + 1 :]:
        if op.id not in allowed or op.kind is not OpKind.ADD or mul not in op.inputs:
            continue
        other = [i for i in op.inputs if i != mul]
        if len(other) != 1:
            return []
        term, layout = _through_layout(trace, other[0], allowed)
        chunk = trace.ops[term]
        if chunk.kind is OpKind.SLICE and chunk.inputs and chunk.inputs[0] in branch:
            return [op.id, term, *layout]
        return []
    return []


_OTHER = {"reference_op": "candidate_op", "candidate_op": "reference_op"}


def _displaced(ctx: Context, rids: set[int], cids: set[int], idx: tuple[int, ...]) -> list[int]:
    """Missing or extra ops beside a gate the alignment paired one of its layers with: a gate after the
    add whose ReLU took the block's last ReLU as its partner leaves that last ReLU "missing". Claimed
    where the op is of the kind of a gate op no mismatch names (the one that took its place) and sits in
    a block the gate is in."""
    claimed = {ctx.mismatches[i].reference_op for i in idx} | {ctx.mismatches[i].candidate_op for i in idx}
    out = []
    for ids, trace, side in ((rids, ctx.reference, "reference_op"), (cids, ctx.candidate, "candidate_op")):
        paired = {trace.ops[o].kind for o in ids - claimed}
        blocks = {
            m.block for i in idx if (m := ctx.mismatches[i]).block is not None and getattr(m, side) in ids
        }
        for i, m in enumerate(ctx.mismatches):
            op = getattr(m, side)
            if (
                i not in idx
                and m.kind in (MismatchKind.MISSING, MismatchKind.EXTRA, MismatchKind.OP)
                and op is not None
                and getattr(m, _OTHER[side]) is None  # an op one side lacks, not one changed
                and op not in ids
                and m.block in blocks
                and trace.ops[op].kind in paired
            ):
                out.append(i)
    return out


class GateKind(str, enum.Enum):
    SQUEEZE_EXCITATION = "squeeze-excitation"  # reduce, activation, expand (1x1 convs or Linears)
    ECA = "efficient channel attention (ECA)"  # one small 1-D conv across the pooled channels
    OTHER = "channel gate"  # described by its layers


def gate_kind(trace: Trace, ops: list[int]) -> GateKind:
    """What the gate computes between its pool and its sigmoid, from its layers."""
    layers = [trace.ops[o] for o in ops if trace.ops[o].kind in (OpKind.CONV, OpKind.LINEAR)]
    gates = max(1, sum(trace.ops[o].kind is OpKind.MUL for o in ops))  # several gates in a block: each alike
    if len(layers) == gates and all(op.kind is OpKind.CONV for op in layers):
        k = attr(layers[0], "kernel_size")
        if isinstance(k, tuple) and len(k) == 1 and attr(layers[0], "in_channels") == 1:
            return GateKind.ECA
    if len(layers) == 2 * gates and all(_one_position(op) for op in layers):
        return GateKind.SQUEEZE_EXCITATION
    return GateKind.OTHER  # (TANet's TAM: convs of kernel 3 over the frames left unpooled)


def _one_position(op: OpRecord) -> bool:
    """A layer that maps each pooled channel vector alone (a Linear, a 1x1 conv, any conv on a 1x1
    map), as an excitation does; a kernel wider than one over a pooled axis that kept its length
    (time) mixes positions: another gate."""
    if op.kind is not OpKind.CONV:
        return True
    kernel, shape = attr(op, "kernel_size"), op.in_shapes[0] if op.in_shapes else ()
    if not isinstance(kernel, tuple):
        return False
    return all(k == 1 or n == 1 for k, n in zip(kernel, shape[2:], strict=False))


def _spell(op: OpRecord) -> str | None:
    if op.kind is OpKind.GLOBAL_POOL:
        return f"global {attr(op, 'mode') or 'avg'} pool"
    if op.kind is OpKind.CONV:
        return conv_call(op, bias=bool(attr(op, "bias")))
    if op.kind is OpKind.LINEAR and op.name.startswith("conv"):  # a 1x1 conv read as its Linear: as written
        return f"Conv{op.name.removeprefix('conv')}({attr(op, 'in_features')}, {attr(op, 'out_features')}, 1, bias={bool(attr(op, 'bias'))})"
    if op.kind is OpKind.LINEAR:
        return f"Linear({attr(op, 'in_features')}, {attr(op, 'out_features')})"
    if op.kind is OpKind.BATCH_NORM:
        return f"BatchNorm2d({attr(op, 'num_features')})"
    if op.kind is OpKind.RELU:
        return "ReLU"
    if op.kind is OpKind.ACTIVATION:
        return str(attr(op, "function"))
    if op.kind is OpKind.RESHAPE and op.name in ("expand_as", "expand"):
        return op.name
    return "multiply" if op.kind is OpKind.MUL else None


def _recipe(trace: Trace, ops: list[int]) -> str:
    return ", ".join(s for o in ops if (s := _spell(trace.ops[o])))


def detect_squeeze_excitation(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    rse: dict[str, list[int]] = {}
    cse: dict[str, list[int]] = {}
    where = PLACES["main"]
    for _, a, b in ctx.paired_blocks():
        r, c = gate_places(ref, a), gate_places(cand, b)
        if bool(r) != bool(c):
            (rse if r else cse)[a.path] = sorted(o for ops in (r or c).values() for o in ops)
            where = PLACES[next(iter(r or c))] if len(rse) + len(cse) == 1 else where
    if not rse and not cse:
        return []
    rids = {o for ops in rse.values() for o in ops}
    cids = {o for ops in cse.values() for o in ops}
    idx = ctx.indices(lambda m: m.reference_op in rids or m.candidate_op in cids)
    if not idx:
        return []
    idx = (*idx, *_displaced(ctx, rids, cids, idx))
    has = cse or rse
    side, trace = ("candidate", cand) if cse else ("reference", ref)
    other = "reference" if cse else "candidate"
    first_path, first = next(iter(has.items()))
    kind = gate_kind(trace, first)
    family = {GateKind.SQUEEZE_EXCITATION: ": SE-ResNet", GateKind.ECA: ": ECA-ResNet"}.get(kind, "")
    message = (
        f"{len(has)} of the {side}'s blocks ({', '.join(list(has)[:4])}{' ...' if len(has) > 4 else ''}) "
        f"carry {'a ' if kind is GateKind.OTHER else ''}{kind.value} ({_recipe(trace, first)} {where}{family}) "
        f"that the {other}'s do not. Shapes are unchanged; parameters and outputs are not."
    )
    convs = [cand.ops[o] for o in cse.get(first_path, ()) if cand.ops[o].kind in (OpKind.CONV, OpKind.LINEAR)]
    path = convs[0].module_path.rpartition(".")[0] if convs else None
    site = ctx.site(convs[0].module_path) if convs else None
    if cse:
        fix = f"{at(path, site)}: remove the {kind.value} from each block (or compare with a reference that has it)"
    else:
        fix = f"add {kind.value} to each block ({where}), as the reference's: {_recipe(ref, first)}"
    pattern = {GateKind.SQUEEZE_EXCITATION: Pattern.SQUEEZE_EXCITATION, GateKind.ECA: Pattern.ECA}.get(
        kind, Pattern.CHANNEL_GATE
    )
    title = kind.value[0].upper() + kind.value[1:] + " in the blocks"
    return [
        Finding(
            pattern=pattern,
            title=title,
            message=message,
            locations=tuple(has),
            mismatches=idx,
            suggestion=fix,
            source=site,
        )
    ]
