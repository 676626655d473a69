"""The two models take different input channels: a grayscale (or 4-band, or stacked-frame) first conv.

Each side was fed the channels its first conv takes (``tracing/input_channels.py``), so the only
differences this causes are at the layers that read the model's input: their parameter count (and
input shape). One finding, at the candidate's line, either direction.
"""

from __future__ import annotations

from resnet_verify.tracing.records import INPUT_ID, OpKind, Trace
from resnet_verify.verify.patterns.context import Context, at, attr
from resnet_verify.verify.records import Finding, MismatchKind, Pattern


def _input_layers(trace: Trace) -> set[str]:
    return {op.module_path for op in trace.ops if INPUT_ID in op.inputs and op.kind is OpKind.CONV}


def _adapter(trace: Trace, channels: int) -> int | None:
    """The op id of a conv reading the input that makes the other side's input channels (a 13-band
    image mapped to RGB for an ImageNet ResNet), else None."""
    return next(
        (
            op.id
            for op in trace.ops
            if INPUT_ID in op.inputs and op.kind is OpKind.CONV and attr(op, "out_channels") == channels
        ),
        None,
    )


def detect_input_channels(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    theirs, mine = ref.input_shape[1], cand.input_shape[1]
    if theirs == mine:
        return []
    ref_layers, cand_layers = _input_layers(ref), _input_layers(cand)
    kinds = (MismatchKind.PARAMS, MismatchKind.SHAPE, MismatchKind.ATTRIBUTE)
    adapter = _adapter(cand, theirs)
    claimed = ctx.indices(
        lambda m: (
            (m.kind in kinds and (m.reference_path in ref_layers or m.candidate_path in cand_layers))
            or (adapter is not None and m.candidate_op == adapter and m.reference_op is None)
        )
    )
    if not claimed:
        return []  # nothing of it on this side (the adapter is the reference's): the swapped run names it
    path = min(cand_layers) if cand_layers else None
    site = ctx.site(path)
    first = (
        f"a conv {at(path, site)} maps the {mine} input channels to the {theirs} the rest of the network takes "
        f"(a channel adapter before the reference's first conv)"
        if adapter is not None
        else f"The candidate's first conv {at(path, site)} takes {mine}-channel input, the reference's {theirs}"
    )
    return [
        Finding(
            pattern=Pattern.INPUT_CHANNELS,
            title=f"input channels {mine} vs {theirs}",
            message=(
                f"{first[0].upper()}{first[1:]}: each side was fed the channels it takes, and everything after "
                f"{'it' if adapter is not None else 'the first conv'} is compared as usual."
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
