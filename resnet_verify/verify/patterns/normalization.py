"""Another normalization layer where the other side has BatchNorm: GroupNorm, LayerNorm, InstanceNorm,
a hand-written norm, or none (``norm_removed``).

Small-batch and transfer models use GroupNorm (BiT), ports use LayerNorm over channels. Compared op
by op each is a BatchNorm "expected, found group_norm" repeated in every block and the stem: one
cause, one finding, found from what the layers are (the candidate module at the place of each
reference BatchNorm), not from their names. Frozen BN (``norm_frozen``), split-channel norms
(``norm_composite``) and BN switches (``norm_switches``) run before this rule, in the registry.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.patterns.context import Context, at, attr, module_type
from resnet_verify.verify.patterns.norm_removed import removed_norms
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern

_STAND_INS = (OpKind.NORM, OpKind.MUL, OpKind.ADD, OpKind.OTHER)
_FILLS = frozenset({"zeros_like", "new_zeros", "zeros", "full_like", "ones_like"})


def _describe(type_name: str, hparams: dict[str, object]) -> str:
    low = type_name.lower()
    if "frozen" in low:
        return (
            f"{type_name} (a fixed per-channel scale and shift computed from stored statistics: "
            "nothing in it trains, and no statistics are updated)"
        )
    if "group" in low and isinstance(hparams.get("num_groups"), int):
        return f"{type_name} ({hparams['num_groups']} groups: statistics per sample, not per batch)"
    return type_name


def _rest_of(ctx: Context, inside: set[str]) -> tuple[int, ...]:
    """The stand-ins' other ops (a frozen BN's add: nothing in the reference) and their parameter
    counts, in the same modules."""
    return ctx.indices(
        lambda m: (
            m.candidate_path in inside
            and (
                (m.kind in (MismatchKind.OP, MismatchKind.EXTRA) and m.expected is None)
                or m.kind is MismatchKind.PARAMS
            )
        )
    )


def _holds_convs(trace: Trace, path: str | None) -> bool:
    """The module at ``path`` runs convs of its own: a block or the model, not a norm layer."""
    return path is not None and any(
        op.kind is OpKind.CONV
        and (not path or op.module_path == path or op.module_path.startswith(path + "."))
        for op in trace.ops
    )


def _has_norm(trace: Trace) -> bool:
    return any(op.kind in (OpKind.BATCH_NORM, OpKind.NORM) for op in trace.ops)


def detect_normalization(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    swapped: dict[str, list[int]] = {}  # candidate module type -> mismatches
    paths: dict[str, set[str]] = {}
    for i, m in enumerate(ctx.mismatches):
        if (
            m.kind is not MismatchKind.OP
            or i in ctx.claimed
            or m.reference_op is None
            or m.candidate_op is None
        ):
            continue
        r, c = ref.ops[m.reference_op], cand.ops[m.candidate_op]
        if r.kind is not OpKind.BATCH_NORM or c.kind not in _STAND_INS or attr(c, "function") in _FILLS:
            continue  # (zeros for an option-A shortcut's new channels stand in for nothing)
        kind = module_type(cand, m.candidate_path)
        if kind is None or kind.startswith("BatchNorm") or _holds_convs(cand, m.candidate_path):
            continue  # (a block's own bias add at a BatchNorm's place is no stand-in: Fixup)
        swapped.setdefault(kind, []).append(i)
        paths.setdefault(kind, set()).add(m.candidate_path or "")
    findings = []
    for kind, idx in swapped.items():
        more = _rest_of(ctx, paths[kind])
        claimed = tuple(sorted({*idx, *more}))
        first = ctx.mismatches[idx[0]]
        call = next((c for c in cand.modules if c.path == first.candidate_path), None)
        hp = dict(call.hparams) if call is not None else {}
        total = sum(1 for op in ref.ops if op.kind is OpKind.BATCH_NORM)
        n = len(idx)
        findings.append(
            Finding(
                pattern=Pattern.NORMALIZATION,
                title=f"{kind} in place of BatchNorm",
                message=(
                    f"{n} of the reference's {total} BatchNorm layers are {_describe(kind, hp)} in the "
                    f"candidate ({first.candidate_path}{' ...' if n > 1 else ''}). Shapes agree; training "
                    "behaviour and the state_dict do not."
                ),
                locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
                mismatches=claimed,
                suggestion=f"{at(first.candidate_path, first.source)}: build BatchNorm2d layers as the reference does, "
                "or keep this on purpose (fine-tuning with small batches)",
                source=first.source,
            )
        )
    findings += _norm_for_norm(ctx, {i for f in findings for i in f.mismatches})
    # Nothing normalizes anywhere (Fixup, normalizer-free nets): whatever the alignment put at a
    # BatchNorm's place (a bias add, a scalar multiply) is not a stand-in, the norm is gone.
    removed = removed_norms(ctx, any_stand_in=not findings and not _has_norm(cand))
    return findings + ([removed] if removed is not None else [])


def _reads_permuted(ref: Trace, m: Mismatch, norms: set[int]) -> bool:
    """The op after a norm computed channels-last (a LayerNorm between two permutes) reads its input
    laid out otherwise: the layout follows from the norm."""
    if m.field != "arrangement" or m.reference_op is None:
        return False
    todo = list(ref.ops[m.reference_op].inputs)
    while todo:
        i = todo.pop()
        if i in norms:
            return True
        if i >= 0 and ref.ops[i].kind is OpKind.RESHAPE:
            todo += ref.ops[i].inputs
    return False


def _norm_for_norm(ctx: Context, taken: set[int]) -> list[Finding]:
    """Another norm where the reference has a norm that is no BatchNorm (InstanceNorm for a channel
    LayerNorm): the layers pair, and their ``norm`` differs; the same layers' other settings (eps,
    affine, a shape) and parameter counts follow from it, one cause."""
    ref, cand = ctx.reference, ctx.candidate
    pairs: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for i, m in enumerate(ctx.mismatches):
        if (
            i in ctx.claimed
            or i in taken
            or m.field != "norm"
            or m.reference_op is None
            or m.candidate_op is None
        ):
            continue
        r, c = ref.ops[m.reference_op], cand.ops[m.candidate_op]
        if r.kind is OpKind.NORM and c.kind in (OpKind.NORM, OpKind.BATCH_NORM):
            key = (module_type(cand, m.candidate_path) or str(m.actual), str(m.expected))
            pairs.setdefault(key, set()).add((r.id, c.id))
    findings = []
    for (kind, was), ops in pairs.items():
        norms = {r for r, _ in ops}
        idx = tuple(
            i
            for i, m in enumerate(ctx.mismatches)
            if i not in ctx.claimed and i not in taken
            and (((m.reference_op, m.candidate_op) in ops and m.kind is not MismatchKind.OP)
                 or _reads_permuted(ref, m, norms))
        )  # fmt: skip
        total = sum(1 for op in ref.ops if op.kind is OpKind.NORM and attr(op, "norm") == was)
        first = ctx.mismatches[idx[0]]
        findings.append(Finding(
            pattern=Pattern.NORMALIZATION,
            title=f"{kind} in place of {was}",
            message=f"{len(ops)} of the reference's {total} {was} layers are {kind} in the candidate "
            f"({first.candidate_path}{' ...' if len(ops) > 1 else ''}). Shapes agree; training behaviour and the "
            "state_dict do not.",
            locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
            mismatches=idx,
            suggestion=f"{at(first.candidate_path, first.source)}: normalize with {was} as the reference does",
            source=first.source,
        ))  # fmt: skip
    return findings


__all__ = ["detect_normalization"]
