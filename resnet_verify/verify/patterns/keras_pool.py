"""A pool that pads on one side only because the other side is a Keras model: ``MaxPooling2D`` and
``AveragePooling2D`` default to ``padding="valid"``, where a PyTorch port usually writes ``padding=1``.

Named only when the unpadded side really was traced from Keras layers (``Trace.device == "keras"``):
the same padding change between two PyTorch models is a plain edit and stays described, never named.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context, at, square
from resnet_verify.verify.patterns.padding import effective_padding
from resnet_verify.verify.records import Finding, Pattern

_POOLS = (OpKind.MAX_POOL, OpKind.AVG_POOL)


def _unpadded(value: object) -> bool:
    return isinstance(value, tuple) and not any(value)


def detect_keras_pool_padding(ctx: Context) -> list[Finding]:
    if ctx.reference.device != "keras" or ctx.candidate.device == "keras":
        return []  # (the registry also runs it with the sides swapped: a Keras candidate)
    idx = ctx.indices(
        lambda m: (
            m.op_kind in _POOLS
            and m.field == "padding"
            and _unpadded(m.expected)
            and not _unpadded(m.actual)
            and m.reference_op is not None
            and _unpadded(effective_padding(ctx.reference, ctx.reference.ops[m.reference_op]))
        )
    )  # a ZeroPadding2D before the Keras pool (left unfolded: zeros on a signed input) pads it after all
    idx = tuple(i for i in idx if i not in ctx.claimed)
    if not idx:
        return []
    first = ctx.mismatches[idx[0]]
    return [
        Finding(
            pattern=Pattern.KERAS_POOL_PADDING,
            title="Keras pooling pads nothing ('valid')",
            message=(
                f"{len(idx)} pool{'s' if len(idx) > 1 else ''} ({first.reference_path} ...) pad "
                f"{square(first.actual)} in the candidate and nothing in the Keras reference: Keras' "
                "MaxPooling2D / AveragePooling2D default to padding='valid'. Every later feature map is one "
                "step smaller or larger there."
            ),
            locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
            mismatches=idx,
            suggestion=f"{at(first.candidate_path, first.source)}: padding=0 to match the Keras reference "
            "(or padding='same' on the Keras side)",
            source=first.source,
        )
    ]


__all__ = ["detect_keras_pool_padding"]
