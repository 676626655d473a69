"""A module of the user's own in a layer's place: one cause, described, whatever it holds inside.

``self.conv2 = GhostModule(planes, planes, 3, stride=stride)`` where the reference has a 3x3 conv
(and its BN and ReLU): the module computes the layer's job another way (a conv to half the outputs,
a depthwise conv for the rest, a concat), so its inner convs' widths, groups and strides are its
design, not a narrow network, depthwise blocks or a moved stride. Read from structure: a call of a
non-container module inside a block's main path holding two or more convs, at the place of one of
the reference's convs (the same name in the block, or the same input and output shapes with the
diff pairing that conv with the module's ops). One finding per module class, described; what it
computes is said from its ops, and the named detectors after it see only what it left.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from resnet_verify.tracing.records import Block, ModuleCall, OpKind, Trace
from resnet_verify.verify.patterns.context import Context, at, under
from resnet_verify.verify.patterns.wording import shorten
from resnet_verify.verify.records import Finding, Pattern

_CONTAINERS = frozenset({"Sequential", "ModuleList", "ModuleDict"})
_LAYERS = frozenset({OpKind.CONV, OpKind.LINEAR})
_FOLLOWERS = frozenset({OpKind.BATCH_NORM, OpKind.NORM, OpKind.RELU, OpKind.ACTIVATION})


@dataclass(frozen=True, slots=True)
class _Replacement:
    call: ModuleCall
    block: str  # the candidate block's path
    role: str  # the module's name inside its block ("conv2")
    reference_ops: frozenset[int]  # the reference's conv and the norm / activation it replaces too


def _multi_layer_calls(trace: Trace) -> list[ModuleCall]:
    """Calls of non-container modules running two or more convs / Linears, outermost first: the
    candidates for a layer replaced by a module (counted with one prefix sum, not a scan per call)."""
    before = [0]
    for op in trace.ops:
        before.append(before[-1] + (op.kind in _LAYERS))
    calls = [
        c for c in trace.modules
        if c.type_name not in _CONTAINERS and c.path and before[c.end_op] - before[c.first_op] >= 2
    ]  # fmt: skip
    return sorted(calls, key=lambda c: (c.first_op, -c.end_op))


def _composites(trace: Trace, block: Block, calls: list[ModuleCall]) -> Iterator[ModuleCall]:
    main = set(block.main)
    taken: list[ModuleCall] = []
    for call in calls:
        if call.path == block.path or not under(call.path, block.path):
            continue
        if any(t.first_op <= call.first_op and call.end_op <= t.end_op for t in taken):
            continue  # inside a module already taken
        layers = [o for o in range(call.first_op, call.end_op) if trace.ops[o].kind in _LAYERS]
        if all(o in main for o in layers):
            taken.append(call)
            yield call


def _replaced(ctx: Context, a: Block, b: Block, call: ModuleCall) -> frozenset[int]:
    """The reference ops the module stands in for: the conv at its place, and the norm / activation
    right after it when the module holds its own."""
    ref = ctx.reference
    role = call.path[len(b.path) + 1 :]
    convs = [o for o in a.main if ref.ops[o].kind is OpKind.CONV]
    named = [o for o in convs if ref.ops[o].module_path == f"{a.path}.{role}"]
    inside = range(call.first_op, call.end_op)
    paired = [
        o for o in convs
        if ref.ops[o].in_shapes[:1] == call.in_shapes[:1] and (ref.ops[o].out_shape,) == call.out_shapes[:1]
        and any(m.reference_op == o and m.candidate_op in inside for m in ctx.mismatches)
    ]  # fmt: skip
    found = (named or paired)[:1]
    if not found:
        return frozenset()
    held = {ctx.candidate.ops[o].kind for o in inside}
    out, at_op = set(found), found[0]
    for o in a.main[a.main.index(at_op) + 1 :]:
        kind = ref.ops[o].kind
        if kind not in _FOLLOWERS or kind not in held:
            break
        out.add(o)
    return frozenset(out)


def _replacements(ctx: Context) -> list[_Replacement]:
    calls = _multi_layer_calls(ctx.candidate)
    out: list[_Replacement] = []
    if not calls:
        return out
    for _, a, b in ctx.paired_blocks():
        for call in _composites(ctx.candidate, b, calls):
            ops = _replaced(ctx, a, b, call)
            if ops:
                out.append(_Replacement(call, b.path, call.path[len(b.path) + 1 :], ops))
    return out


def _computes(trace: Trace, call: ModuleCall) -> str:
    names = []
    for o in range(call.first_op, call.end_op):
        op = trace.ops[o]
        if op.kind is OpKind.RESHAPE:
            continue
        a = dict(op.attrs)
        if op.kind is OpKind.CONV:
            k = "x".join(str(v) for v in a.get("kernel_size", ()))
            depthwise = a.get("groups") == a.get("in_channels") != 1
            names.append(f"{'depthwise ' if depthwise else ''}{k} conv")
        else:
            names.append(str(a.get("function", op.kind.value.replace("_", " "))))
    return ", ".join(dict.fromkeys(names))


def detect_replaced_layer(ctx: Context) -> list[Finding]:
    by_type: dict[str, list[_Replacement]] = defaultdict(list)
    for r in _replacements(ctx):
        by_type[r.call.type_name].append(r)
    out = []
    for type_name, group in by_type.items():
        inside = {o for r in group for o in range(r.call.first_op, r.call.end_op)}
        ref_ops = {o for r in group for o in r.reference_ops}
        idx = tuple(
            i for i, m in enumerate(ctx.mismatches)
            if i not in ctx.claimed and (m.candidate_op in inside or (m.reference_op in ref_ops and (
                m.candidate_op is None or m.candidate_op in inside)))
        )  # fmt: skip
        if idx:
            out.append(_finding(ctx, type_name, group, idx))
    return out


def _finding(ctx: Context, type_name: str, group: list[_Replacement], idx: tuple[int, ...]) -> Finding:
    roles = list(dict.fromkeys(r.role for r in group))
    blocks = list(dict.fromkeys(r.block for r in group))
    first = group[0]
    replaced = sorted({ctx.reference.ops[o].module_path for r in group for o in r.reference_ops})
    site = ctx.site(first.call.path)
    return Finding(
        pattern=Pattern.DESCRIBED,
        title=f"A {type_name} in place of {', '.join(roles)} ({len(group)} layers)",
        message=(
            f"In {len(blocks)} blocks ({shorten(blocks)}) the candidate's {', '.join(roles)} "
            f"{'is a' if len(roles) == 1 else 'are each a'} {type_name} "
            f"({_computes(ctx.candidate, first.call)}) where the reference has a conv (with the layers after "
            f"it the module holds too: {shorten(replaced, 3)}). No named variant: a layer of another design "
            "in the conv's place; the widths, groups and strides inside it are that design, one cause."
        ),
        locations=tuple(replaced),
        mismatches=idx,
        suggestion=f"{at(first.call.path, site)}: use the reference's layer there if the {type_name} is not "
        "meant, else compare with a reference built with it",
        source=site,
    )


__all__ = ["detect_replaced_layer"]
