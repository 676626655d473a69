"""The two models take different input channels: a grayscale (or 4-band, or stacked-frame) first conv.

Each side was fed the channels its first conv takes (``tracing/input_channels.py``), so the only
differences this causes are at the layers that read the model's input: their parameter count (and
input shape). One finding, at the candidate's line, either direction.
"""

from __future__ import annotations

from resnet_verify.tracing.records import INPUT_ID, OpKind, Trace
from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def _input_layers(trace: Trace) -> set[str]:
    return {op.module_path for op in trace.ops if INPUT_ID in op.inputs and op.kind is OpKind.CONV}


def detect_input_channels(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    theirs, mine = ref.input_shape[1], cand.input_shape[1]
    if theirs == mine:
        return []
    ref_layers, cand_layers = _input_layers(ref), _input_layers(cand)
    kinds = (MismatchKind.PARAMS, MismatchKind.SHAPE, MismatchKind.ATTRIBUTE)
    claimed = ctx.indices(
        lambda m: m.kind in kinds and (m.reference_path in ref_layers or m.candidate_path in cand_layers)
    )
    path = min(cand_layers) if cand_layers else None
    site = ctx.site(path)
    return [
        Finding(
            pattern=Pattern.INPUT_CHANNELS,
            title=f"input channels {mine} vs {theirs}",
            message=(
                f"The candidate's first conv {at(path, site)} takes {mine}-channel input, the reference's "
                f"{theirs}: each side was fed the channels it takes, and everything after the first conv "
                "is compared as usual."
            ),
            locations=tuple(sorted(ref_layers)),
            mismatches=claimed,
            suggestion=(
                f"{at(path, site)}: build it with in_channels={theirs} if the data has {theirs} channels; "
                f"if it has {mine} (grayscale, multispectral), this difference is by design"
            ),
            source=site,
        )
    ]


__all__ = ["detect_input_channels"]
