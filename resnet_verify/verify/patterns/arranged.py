"""A tensor read arranged otherwise (``verify/arrangement.py``): every shape agrees, its elements sit
elsewhere, so what reads it computes on shuffled inputs. No named variant says why; the finding says what
each side's layout ops do, where, and the fix. The two flatten orders get their words: a Keras port's
``Flatten`` reads a channels-last map (``permute(0, 2, 3, 1)`` before the flatten), PyTorch's a
channels-first one; a Linear after either computes the other's function only with its input columns
permuted, which is the fix when weights come from the other framework.
"""

from __future__ import annotations

from resnet_verify.verify.arrangement import FIELD
from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, MismatchKind, Pattern

_CHANNELS_LAST = "permute(0, 2, 3, 1)"
_FLATTENS = ("flatten", "reshape", "view")


_ORDERS = ("channels-first (PyTorch's order)", "channels-last (Keras' Flatten order)")


def _order(chain: str) -> int | None:
    if not chain.endswith(_FLATTENS):
        return None
    if _CHANNELS_LAST in chain:
        return 1
    return None if "permute" in chain or "transpose" in chain else 0


def _flatten_order(mine: str, theirs: str) -> str | None:
    """Words for the two flatten orders, where the chains are they; None for any other arrangement."""
    ours, refs = _order(mine), _order(theirs)
    if ours is None or refs is None or ours == refs:
        return None
    return (
        f"the candidate flattens {_ORDERS[ours]} where the reference flattens {_ORDERS[refs]}: the same "
        "vector, its entries in another order"
    )


def detect_arranged_otherwise(ctx: Context) -> list[Finding]:
    groups: dict[tuple[object, object], list[int]] = {}
    for i in ctx.indices(lambda m: m.kind is MismatchKind.ATTRIBUTE and m.field == FIELD):
        m = ctx.mismatches[i]
        groups.setdefault((m.expected, m.actual), []).append(i)
    findings = []
    for (theirs, mine), idx in groups.items():
        first = ctx.mismatches[idx[0]]
        order = _flatten_order(str(mine), str(theirs))
        what = order or (
            f"the candidate's layout ops ({mine}) put its elements elsewhere than the reference's ({theirs})"
        )
        fix = f"arrange it as the reference does ({theirs})" + (
            "; or, porting weights, permute the next Linear's input columns to match" if order else ""
        )
        places = sorted({ctx.mismatches[i].candidate_path or "the output" for i in idx})
        findings.append(
            Finding(
                pattern=Pattern.DESCRIBED,
                title="Tensor arranged otherwise",
                message=f"At {', '.join(places)}, {what}; every shape agrees, so only the values show it.",
                locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
                mismatches=tuple(idx),
                suggestion=f"{at(first.candidate_path, first.source)}: {fix}",
                source=first.source,
            )
        )
    return findings


__all__ = ["detect_arranged_otherwise"]
