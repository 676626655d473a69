"""The model's own layers run at other places than the reference runs them (``verify/named_elsewhere.py``):
blocks run out of order (an ``nn.ModuleDict`` iterated by ``sorted(keys)``), one block run at several places
and another never. Each such place is one mismatch; together they are one cause, said once with the order
each side runs, never a variant's name."""

from __future__ import annotations

from collections import Counter

from resnet_verify.verify.module_swap import FIELD as SWAP_FIELD
from resnet_verify.verify.named_elsewhere import FIELD
from resnet_verify.verify.patterns.context import Context, at, under
from resnet_verify.verify.patterns.wording import shorten
from resnet_verify.verify.records import Finding, Mismatch, Pattern


def detect_run_order(ctx: Context) -> list[Finding]:
    idx = [i for i, m in enumerate(ctx.mismatches) if m.field == FIELD and i not in ctx.claimed]
    if len(idx) < 2:
        return []
    ms = [ctx.mismatches[i] for i in idx]
    # the same cause said layer by layer (another module run at a paired layer; one run twice): claimed too
    blocks = {m.block for m in ms}
    runs = [str(m.actual) for m in ms]  # the reference's blocks whose layers the candidate runs there
    theirs = [str(m.expected) for m in ms]

    def same_cause(m: Mismatch) -> bool:
        path = m.candidate_path or ""
        if m.field in (SWAP_FIELD, "shared_params"):
            return m.block in blocks or any(under(path, r) for r in runs)
        # the layers left unrun, at the places another one runs
        return m.field == "params" and m.reference_path is None and any(under(path, t) for t in theirs)

    also = [i for i, m in enumerate(ctx.mismatches) if i not in ctx.claimed and same_cause(m)]
    twice = [p for p, k in Counter(runs).items() if k > 1]
    places = [
        f"{m.candidate_path} runs {r}'s layers where the reference runs {t}'s"
        for m, r, t in zip(ms, runs, theirs, strict=True)
    ]
    first = ms[0]
    return [
        Finding(
            pattern=Pattern.DESCRIBED,
            title=f"Layers run at other places ({len(ms)} places)",
            message=(
                f"The candidate runs its layers in another order than the reference at {len(ms)} places "
                f"({shorten(places, 3)})"
                + (
                    f"; {shorten(twice, 3)} run{'s' if len(twice) == 1 else ''} more than once"
                    if twice
                    else ""
                )
                + ". Both models hold the same tensors, so trained weights loaded from one land at other places "
                "in the other; the layers and shapes agree, the function does not."
            ),
            locations=tuple(dict.fromkeys(m.reference_path or "" for m in ms)),
            mismatches=tuple(sorted({*idx, *also})),
            suggestion=f"{at(first.candidate_path, first.source)}: run the layers in the order they are built "
            f"(the reference's order), each once",
            source=first.source,
        )
    ]


__all__ = ["detect_run_order"]
