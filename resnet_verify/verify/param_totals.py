"""The parameter count of the model as a whole, where nothing else differs.

Every op may compute the same thing with the same shapes while one side holds fewer parameters: a
hypernetwork whose layers share one embedding where the reference gives each its own, a BatchNorm run at
every unrolled step where the reference has one per step. Each op reads a tensor of the right shape, so
no op differs; only the totals do. That is never "no difference": the tensors that have no counterpart
(matched by shape, as unused parameters are) are named, on the side that has them.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import ParamInfo, Trace
from resnet_verify.verify.diff_support import learned_params
from resnet_verify.verify.records import Mismatch, MismatchKind, Region


def _unmatched(mine: Sequence[ParamInfo], theirs: Sequence[ParamInfo]) -> list[ParamInfo]:
    spare = [p.shape for p in theirs]
    out = []
    for p in mine:
        if p.shape in spare:
            spare.remove(p.shape)
        else:
            out.append(p)
    return out


def _listing(params: Sequence[ParamInfo]) -> str:
    names = ", ".join(p.name for p in params[:4]) + (
        f" and {len(params) - 4} more" if len(params) > 4 else ""
    )
    return f"{names} ({len(params)} tensor{'s' if len(params) > 1 else ''}, {sum(p.numel for p in params):,} values)"


def parameter_totals(ref: Trace, cand: Trace, mismatches: Sequence[Mismatch]) -> list[Mismatch]:
    """One mismatch where the totals differ and nothing else does; none otherwise."""
    if mismatches or ref.crash is not None or cand.crash is not None:
        return []
    # a BatchNorm frozen and held in eval mode is a FrozenBatchNorm2d whose affine are parameters
    ref_params, cand_params = learned_params(ref), learned_params(cand)
    if sum(p.numel for p in ref_params) == sum(p.numel for p in cand_params):
        return []
    only_ref, only_cand = _unmatched(ref_params, cand_params), _unmatched(cand_params, ref_params)
    parts = []
    if only_ref:
        parts.append(f"the reference's {_listing(only_ref)} have no counterpart in the candidate")
    if only_cand:
        parts.append(f"the candidate's {_listing(only_cand)} have none in the reference")
    where = (
        (only_cand or only_ref or cand_params)[0].name.rpartition(".")[0]
        if (only_cand or only_ref or cand_params)
        else ""
    )
    message = (
        f"the model as a whole: {cand.total_params:,} parameters where the reference has {ref.total_params:,}, "
        f"though every op, shape and setting agree: {'; '.join(parts) or 'the tensors are shared otherwise'} "
        "(a tensor several layers share counts once: one embedding or BatchNorm for every step)"
    )
    return [
        Mismatch(
            MismatchKind.PARAMS,
            where if only_ref else None,
            where if only_cand else None,
            "params",
            ref.total_params,
            cand.total_params,
            message,
            None,
            Region.MODEL,
        )
    ]
