"""Several norms over split channels in place of one BatchNorm (IBN-Net: InstanceNorm on half the
channels, BatchNorm on the rest, concatenated): one normalization layer of another kind, one cause."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.patterns.context import Context, at, module_type, under
from resnet_verify.verify.records import Finding, Pattern

_COMPOSITE_OPS = (OpKind.BATCH_NORM, OpKind.NORM, OpKind.SLICE, OpKind.CAT, OpKind.RESHAPE, OpKind.OTHER)


def _norm_parent(trace: Trace, op_id: int | None) -> str | None:
    """The module around a BatchNorm op that normalizes with several norms over split channels
    (IBN-Net's InstanceNorm on half, BatchNorm on the rest): its path, else None."""
    if op_id is None or trace.ops[op_id].kind is not OpKind.BATCH_NORM:
        return None
    path = trace.ops[op_id].module_path
    parent = path.rpartition(".")[0]
    inside = [o for o in trace.ops if o.module_path == parent or o.module_path.startswith(parent + ".")]
    if not parent or path == parent or any(o.kind not in _COMPOSITE_OPS for o in inside):
        return None
    norms = sum(o.kind in (OpKind.BATCH_NORM, OpKind.NORM) for o in inside)
    return parent if norms >= 2 and any(o.kind is OpKind.CAT for o in inside) else None


def detect_composite_norm(ctx: Context) -> list[Finding]:
    parents: dict[str, set[str]] = {}  # module type -> paths
    for m in ctx.mismatches:
        if m.reference_op is not None and ctx.reference.ops[m.reference_op].kind is OpKind.BATCH_NORM:
            parent = _norm_parent(ctx.candidate, m.candidate_op)
            if parent is not None:
                parents.setdefault(module_type(ctx.candidate, parent) or parent, set()).add(parent)
    out = []
    for kind, paths in parents.items():
        idx = ctx.indices(lambda m, p=paths: any(under(m.candidate_path, q) for q in p))  # type: ignore[misc]
        idx = tuple(i for i in idx if i not in ctx.claimed)
        first = ctx.mismatches[idx[0]]
        norms = sorted(
            {
                module_type(ctx.candidate, o.module_path) or o.kind.value
                for o in ctx.candidate.ops
                if under(o.module_path, min(paths)) and o.kind in (OpKind.BATCH_NORM, OpKind.NORM)
            }
        )
        out.append(
            Finding(
                pattern=Pattern.NORMALIZATION,
                title=f"{kind} ({' + '.join(norms)} on split channels) in place of BatchNorm",
                message=(
                    f"{len(paths)} of the reference's BatchNorm layers are a {kind} in the candidate "
                    f"({', '.join(sorted(paths)[:3])}{' ...' if len(paths) > 3 else ''}): the channels are split, "
                    f"each part normalized by its own layer ({', '.join(norms)}) and concatenated again "
                    "(IBN-Net style). Shapes agree; the normalization and the state_dict do not."
                ),
                locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
                mismatches=idx,
                suggestion=f"{at(min(paths), first.source)}: use BatchNorm2d over all channels as the reference "
                "does, or keep the mixed normalization on purpose",
                source=first.source,
            )
        )
    return out


__all__ = ["detect_composite_norm"]
