"""Another activation function where the other side has ReLU (SiLU / Swish, GELU, LeakyReLU, Mish,
ReLU6, ELU ...), found from the ops at the places of the reference's ReLUs.

timm's ``*ts`` ResNets, EfficientNet-style ports and "modernised" hand-written ResNets swap every
ReLU; compared op by op each is "expected ReLU, found silu" in the stem, every block and the tail of
every block. One swap, one finding, with the count and the line; a few swapped ReLUs among many kept
ones are still one finding per function (the count says how many).
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context, at, attr
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def _extra_activations(ctx: Context, functions: set[str]) -> dict[str, list[int]]:
    """Extra ops of a swapped-in function (the reference has nothing there), by function."""
    out: dict[str, list[int]] = {}
    for i, m in enumerate(ctx.mismatches):
        if i in ctx.claimed or m.expected is not None or m.candidate_op is None or m.field != "op":
            continue
        c = ctx.candidate.ops[m.candidate_op]
        if c.kind is OpKind.ACTIVATION and str(attr(c, "function")) in functions:
            out.setdefault(str(attr(c, "function")), []).append(i)
    return out


def detect_activation(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    swapped: dict[str, list[int]] = {}
    for i, m in enumerate(ctx.mismatches):
        if (
            m.kind is not MismatchKind.OP
            or i in ctx.claimed
            or m.reference_op is None
            or m.candidate_op is None
        ):
            continue
        r, c = ref.ops[m.reference_op], cand.ops[m.candidate_op]
        if r.kind is OpKind.RELU and c.kind is OpKind.ACTIVATION:
            swapped.setdefault(str(attr(c, "function")), []).append(i)
    extra = _extra_activations(ctx, set(swapped))
    findings = []
    total = sum(1 for op in ref.ops if op.kind is OpKind.RELU)
    for function, swaps in swapped.items():
        more = extra.get(function, [])
        first = ctx.mismatches[swaps[0]]
        lines = sorted({str(ctx.mismatches[i].source) for i in swaps if ctx.mismatches[i].source})
        built = f"; built at {', '.join(lines[:3])}{' ...' if len(lines) > 3 else ''}" if lines else ""
        also = f", and {len(more)} more {function} sit where the reference has none" if more else ""
        n = len(swaps)
        findings.append(
            Finding(
                pattern=Pattern.ACTIVATION,
                title=f"{function} in place of ReLU",
                message=(
                    f"{n} of the reference's {total} ReLUs are {function} in the candidate "
                    f"({first.candidate_path}{' ...' if n > 1 else ''}{built}){also}. Shapes and parameters "
                    "agree; the function does not."
                ),
                locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in swaps)),
                mismatches=tuple(sorted([*swaps, *more])),
                suggestion=f"{at(first.candidate_path, first.source)}: use ReLU as the reference does",
                source=first.source,
            )
        )
    return findings


__all__ = ["detect_activation"]
