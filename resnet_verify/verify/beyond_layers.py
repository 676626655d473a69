"""What the aligned layers cannot show, compared on its own after them: train-mode layers (an eval-mode trace
runs none), gradient cuts, in-place writes the backward needs, features returned beside the prediction, and
repaired crashes."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import Trace
from resnet_verify.verify.crash import repair_mismatches
from resnet_verify.verify.gradient_diff import gradient_mismatches
from resnet_verify.verify.inplace_backward import inplace_mismatches
from resnet_verify.verify.records import BlockPair, Mismatch
from resnet_verify.verify.regularizer_diff import regularizer_mismatches
from resnet_verify.verify.returned_taps import tap_mismatches


def beyond_layers(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], layers: list[Mismatch]
) -> list[Mismatch]:
    return (
        regularizer_mismatches(ref, cand, pairs, layers)
        + gradient_mismatches(ref, cand, pairs)
        + inplace_mismatches(ref, cand, pairs)
        + tap_mismatches(ref, cand, pairs, layers)
        + repair_mismatches(ref, cand)
    )


__all__ = ["beyond_layers"]
