"""Squeeze-excitation (SE-ResNet, Hu et al. 2018, https://arxiv.org/abs/1709.01507; timm's
``seresnet*``): a block's main path rescaled per channel by a gate computed from its global pool:
pool, 1x1 reduce, ReLU, 1x1 expand, sigmoid, multiply."""

from __future__ import annotations

from resnet_verify.tracing.records import Block, OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, attr, conv_call
from resnet_verify.verify.records import Finding, Pattern

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


def se_ops(trace: Trace, block: Block) -> list[int]:
    """The ops of the block's squeeze-excitation (gate branch + the multiply), or []."""
    allowed = set(block.main)
    for o in block.main:
        op = trace.ops[o]
        if op.kind is not OpKind.MUL:
            continue
        for i in op.inputs:
            branch = _gate_branch(trace, i, allowed) if i >= 0 else None
            if branch:
                return [*branch, o]
    return []


def _spell(op: OpRecord) -> str | None:
    if op.kind is OpKind.GLOBAL_POOL:
        return f"global {attr(op, 'mode') or 'avg'} pool"
    if op.kind is OpKind.CONV:
        return conv_call(op, bias=bool(attr(op, "bias")))
    if op.kind is OpKind.LINEAR:
        return f"Linear({attr(op, 'in_features')}, {attr(op, 'out_features')})"
    if op.kind is OpKind.BATCH_NORM:
        return f"BatchNorm2d({attr(op, 'num_features')})"
    if op.kind is OpKind.RELU:
        return "ReLU"
    if op.kind is OpKind.ACTIVATION:
        return str(attr(op, "function"))
    return "multiply" if op.kind is OpKind.MUL else None


def _recipe(trace: Trace, ops: list[int]) -> str:
    return ", ".join(s for o in ops if (s := _spell(trace.ops[o])))


def detect_squeeze_excitation(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    rse: dict[str, list[int]] = {}
    cse: dict[str, list[int]] = {}
    for _, a, b in ctx.paired_blocks():
        r, c = se_ops(ref, a), se_ops(cand, b)
        if bool(r) != bool(c):
            (rse if r else cse)[a.path] = r or c
    if not rse and not cse:
        return []
    rids = {o for ops in rse.values() for o in ops}
    cids = {o for ops in cse.values() for o in ops}
    idx = ctx.indices(lambda m: m.reference_op in rids or m.candidate_op in cids)
    if not idx:
        return []
    has = cse or rse
    side, trace = ("candidate", cand) if cse else ("reference", ref)
    other = "reference" if cse else "candidate"
    first_path, first = next(iter(has.items()))
    message = (
        f"{len(has)} of the {side}'s blocks ({', '.join(list(has)[:4])}{' ...' if len(has) > 4 else ''}) "
        f"carry squeeze-excitation ({_recipe(trace, first)} on the main path, before the add: SE-ResNet) "
        f"that the {other}'s do not. Shapes are unchanged; parameters and outputs are not."
    )
    convs = [cand.ops[o] for o in cse.get(first_path, ()) if cand.ops[o].kind in (OpKind.CONV, OpKind.LINEAR)]
    path = convs[0].module_path.rpartition(".")[0] if convs else None
    site = ctx.site(convs[0].module_path) if convs else None
    if cse:
        fix = f"{at(path, site)}: remove the squeeze-excitation from each block (or compare with an SE-ResNet reference)"
    else:
        fix = f"add squeeze-excitation to each block's main path before the add, as the reference's: {_recipe(ref, first)}"
    return [
        Finding(Pattern.SQUEEZE_EXCITATION, "Squeeze-excitation blocks", message, tuple(has), idx, fix, site)
    ]
