"""Channel gates on both sides, placed or built otherwise: the same squeeze-excitation gating the block's
sum after the add (senet.pytorch's SELayer called on ``out + residual``), or the shortcut, where the other
side's gates the main path; or an ECA gate where the other side's is an SE. The gate present on one side
only is ``squeeze_excitation.py``'s; here both sides have one, so "SE missing" would be a wrong name.

Another place is described (no variant names a gate moved); another kind is named where one of the two is
ECA (the 1-D conv across the pooled channels is a named variant held by one side only), described else.
"""

from __future__ import annotations

from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.patterns.squeeze_excitation import PLACES, GateKind, gate_kind, gate_places
from resnet_verify.verify.records import Finding, Pattern


def _where(places: dict[str, list[int]]) -> str:
    return " and ".join(PLACES[p] for p in places)


class _Group:
    """Blocks whose gates differ alike, and the gates' ops on each side ("r" / "c", op id)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.ops: set[tuple[str, int]] = set()


def detect_gate_otherwise(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    groups: dict[tuple[object, object], _Group] = {}
    for _, a, b in ctx.paired_blocks():
        r, c = gate_places(ref, a), gate_places(cand, b)
        if not r or not c:
            continue
        rk = gate_kind(ref, [o for v in r.values() for o in v])
        ck = gate_kind(cand, [o for v in c.values() for o in v])
        if rk is ck and set(r) == set(c):
            continue
        key: tuple[object, object] = (rk, ck) if rk is not ck else (_where(r), _where(c))
        group = groups.setdefault(key, _Group())
        group.paths.append(a.path)
        group.ops |= {("r", o) for v in r.values() for o in v} | {("c", o) for v in c.values() for o in v}
    findings = []
    for (theirs, mine), group in groups.items():
        idx = tuple(
            i
            for i, m in enumerate(ctx.mismatches)
            if ("r", m.reference_op) in group.ops or ("c", m.candidate_op) in group.ops
        )
        if not idx:
            continue
        if isinstance(theirs, GateKind) and isinstance(mine, GateKind):
            findings.append(_kind_finding(ctx, theirs, mine, group.paths, idx))
        else:
            findings.append(_moved_finding(ctx, str(theirs), str(mine), group.paths, idx))
    return findings


def _blocks(paths: list[str]) -> str:
    return f"{len(paths)} block{'s' if len(paths) > 1 else ''} ({', '.join(paths[:4])}{' ...' if len(paths) > 4 else ''})"


def _moved_finding(ctx: Context, theirs: str, mine: str, paths: list[str], idx: tuple[int, ...]) -> Finding:
    return Finding(
        pattern=Pattern.DESCRIBED,
        title="channel gate at another place in the block",
        message=(
            f"In {_blocks(paths)} the candidate's channel gate sits {mine}; the reference's sits {theirs}. "
            "Both sides gate with the same kind of layers; what the gate multiplies differs (no named "
            "variant: the gate moved, not added or removed)."
        ),
        locations=tuple(paths),
        mismatches=idx,
        suggestion=f"{at(paths[0], ctx.site(paths[0]))}: apply the gate {theirs}, as the reference does",
        source=ctx.site(paths[0]),
    )


def _kind_finding(
    ctx: Context, theirs: GateKind, mine: GateKind, paths: list[str], idx: tuple[int, ...]
) -> Finding:
    return Finding(
        pattern=Pattern.ECA if GateKind.ECA in (theirs, mine) else Pattern.CHANNEL_GATE,
        title=f"{mine.value} where the reference has {theirs.value}",
        message=(
            f"In {_blocks(paths)} the candidate's channel gate is {mine.value}; the reference's is "
            f"{theirs.value}. Both pool the map and multiply it by a sigmoid gate; the layers between differ."
        ),
        locations=tuple(paths),
        mismatches=idx,
        suggestion=f"{at(paths[0], ctx.site(paths[0]))}: build the gate as the reference's {theirs.value}",
        source=ctx.site(paths[0]),
    )
