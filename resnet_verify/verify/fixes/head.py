"""A head sized for one input resolution -> a global one: the fixed pool becomes
``AdaptiveAvgPool2d(1)``, the Linear takes the reference's width, and a ``view`` / ``reshape`` in
``forward`` that writes the old width out becomes ``torch.flatten(x, 1)``."""

from __future__ import annotations

import libcst as cst

from resnet_verify.tracing.records import OpKind, OpRecord, Trace, attr_dict
from resnet_verify.tracing.repairs import RepairKind
from resnet_verify.verify.fixes.calls import CallSite
from resnet_verify.verify.fixes.context import FixContext
from resnet_verify.verify.fixes.records import Applicability, CannotFix, Edit, Fix
from resnet_verify.verify.fixes.source import literal, read_source
from resnet_verify.verify.records import Pattern

_POOLS = {"AvgPool2d", "MaxPool2d"}
_SIZED = ("view", "reshape")


def _first(trace: Trace, kind: OpKind) -> OpRecord | None:
    return next((trace.ops[o] for o in trace.structure.head if trace.ops[o].kind is kind), None)


def _pool_edit(ctx: FixContext) -> list[Edit]:
    cand = ctx.comparison.candidate
    pools = [
        cand.ops[o] for o in cand.structure.head if cand.ops[o].kind in (OpKind.AVG_POOL, OpKind.MAX_POOL)
    ]
    if not pools:
        return []
    if len(pools) > 1:
        raise CannotFix(f"the head has {len(pools)} pools: which one becomes the global pool is a choice")
    call = ctx.module_call(pools[0].module_path) if pools[0].module_path else None
    if call is None or call.type_name not in _POOLS:
        raise CannotFix(f"the pool is a function call in forward ({pools[0].source}), not a layer to replace")
    site = ctx.built(call.path)
    func = site.call.func
    if not isinstance(func, cst.Attribute):
        raise CannotFix(
            f"{site} names {call.type_name} without its module (nn.): write nn.AdaptiveAvgPool2d(1)"
        )
    return [site.replace(site.call, f"{site.code(func.value)}.AdaptiveAvgPool2d(1)")]


def _written_width(ctx: FixContext, linear: OpRecord) -> object:
    """in_features as the user wrote it (a crash re-sized the traced copy's to what reached it)."""
    for r in ctx.comparison.candidate.repairs:
        if (
            r.kind is RepairKind.WIDTH
            and r.module_path == linear.module_path
            and r.attribute == "in_features"
        ):
            return r.given[0]
    return attr_dict(linear.attrs).get("in_features")


def _linear_edit(ctx: FixContext, linear: OpRecord, built: object, want: object) -> list[Edit]:
    if built == want:
        return []
    site = ctx.built(linear.module_path)
    arg = site.argument("in_features")
    if arg is None or literal(arg.value) != built:
        code = site.code(arg.value) if arg is not None else "not written"
        raise CannotFix(f"in_features at {site} is computed (`{code}`), not the literal {built}")
    return [site.replace(arg.value, str(want))]


def _view_edits(ctx: FixContext, widths: set[object]) -> list[Edit]:
    """Each ``x.view(x.size(0), 8192)`` of the head that writes a fixed width out."""
    cand, edits = ctx.comparison.candidate, []
    for o in cand.structure.head:
        op = cand.ops[o]
        shape = op.out_shape or ()
        if (
            op.kind is not OpKind.RESHAPE
            or op.name not in _SIZED
            or len(shape) != 2
            or shape[1] not in widths
        ):
            continue
        if op.source is None or not op.source.exact:
            raise CannotFix(f"the {op.name} to {shape[1]} in forward has no exact line")
        calls = read_source(op.source.file).calls_at(op.source.line, op.name)
        if len(calls) != 1 or not isinstance(calls[0].func, cst.Attribute):
            raise CannotFix(f"{op.source} does not hold one x.{op.name}(...) to rewrite")
        site = CallSite(read_source(op.source.file), calls[0], op.name)
        values = [literal(a.value) for a in calls[0].args]
        if shape[1] not in values:
            continue  # ``x.view(x.size(0), -1)`` follows whatever width arrives
        receiver = site.code(calls[0].func.value)
        edits.append(site.replace(site.call, f"torch.flatten({receiver}, 1)"))
        source = site.source
        if not source.binds("torch"):
            at = source.first_import_line("torch")
            newline = source.module.default_newline
            edits.append(Edit(source.display, at, 0, at, 0, f"import torch{newline}"))
    return edits


def write(ctx: FixContext) -> Fix:
    cand, ref = ctx.comparison.candidate, ctx.comparison.reference
    linear, ref_linear = _first(cand, OpKind.LINEAR), _first(ref, OpKind.LINEAR)
    edits = _pool_edit(ctx)
    if linear is not None and ref_linear is not None:
        built = _written_width(ctx, linear)
        want = attr_dict(ref_linear.attrs).get("in_features")
        edits += _linear_edit(ctx, linear, built, want)
        edits += _view_edits(ctx, {built, attr_dict(linear.attrs).get("in_features")})
    if not edits:
        raise CannotFix("nothing in the head is written as a literal to change")
    lines = ", ".join(
        dict.fromkeys(f"{e.file}:{e.line}" for e in edits if not e.content.startswith("import "))
    )
    return Fix(
        Pattern.FIXED_HEAD, f"global pool + flatten at {lines}", tuple(edits), Applicability.NEEDS_REVIEW
    )


__all__ = ["write"]
