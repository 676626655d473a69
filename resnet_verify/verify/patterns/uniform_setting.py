"""One setting changed the same way at many places: one cause, one finding, described.

A LeakyReLU slope of 0.01 where the network has 0.1 at all 23 activations, a GELU's approximation,
BatchNorm's eps written at several lines: the same value change on the same kind of layer, from more
than one line of the user's file (one line left to ``repeated``, which names it). A shape-giving
setting (stride, kernel, padding, bias, groups) has its own detectors and consequences, and a
buffer's values are each their own constant, so neither is grouped here. Either direction: the words
say which side has which value. Settings that change together on the same layers (a GroupSort's
pairing and order, an ELU's alpha with its inplace) are one cause too: layers group by everything that
differs on them, not one finding per setting.
"""

from __future__ import annotations

from collections import defaultdict

from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.patterns.wording import setting, shorten, where
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern

_NOT_A_SETTING = frozenset(
    {"stride", "kernel_size", "padding", "dilation", "ceil_mode", "output_size", "bias", "groups", "affine",
     "elementwise_affine", "in_features", "out_features", "values", "over", "function"}
)  # fmt: skip
MIN_PLACES = 3
# settings that decide a layer's parameter count by themselves (a norm learning its shift only)
_PARAMETER_SETTINGS = frozenset({"learned"})


def _layer(ctx: Context, m: Mismatch) -> str:
    op = ctx.candidate.ops[m.candidate_op] if m.candidate_op is not None else None
    if op is not None:
        return str(dict(op.attrs).get("function", op.name))
    return m.op_kind.value.replace("_", " ") if m.op_kind else "layer"


Change = tuple[str, object, object]  # field, the reference's value, the candidate's


def _by_layer(ctx: Context) -> dict[tuple[object, ...], list[int]]:
    """Setting mismatches grouped by the pair of layers they sit on."""
    layers: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, m in enumerate(ctx.mismatches):
        if i in ctx.claimed or m.kind is not MismatchKind.ATTRIBUTE or m.field in _NOT_A_SETTING:
            continue
        layers[(m.reference_op, m.candidate_op, m.reference_path, m.candidate_path)].append(i)
    return layers


def _counts(ctx: Context, layers: dict[tuple[object, ...], list[int]]) -> dict[tuple[object, ...], list[int]]:
    """The parameter-count mismatches of those same layer pairs: a norm learning a shift only has half
    the reference's parameters, which follows from the setting (one cause, not two)."""
    counts: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, m in enumerate(ctx.mismatches):
        key = (m.reference_op, m.candidate_op, m.reference_path, m.candidate_path)
        if i in ctx.claimed or m.kind is not MismatchKind.PARAMS or key not in layers or None in key[:2]:
            continue
        if any(ctx.mismatches[j].field in _PARAMETER_SETTINGS for j in layers[key]):
            counts[key].append(i)
    return counts


def detect_uniform_setting(ctx: Context) -> list[Finding]:
    groups: dict[tuple[object, ...], list[list[int]]] = defaultdict(list)
    layers_of = _by_layer(ctx)
    counts = _counts(ctx, layers_of)
    for layer_key, idx in layers_of.items():
        ms = [ctx.mismatches[i] for i in idx]
        key = tuple(sorted((str(m.field), repr(m.expected), repr(m.actual)) for m in ms))
        groups[(ms[0].op_kind, key)].append(idx + counts.get(layer_key, []))
    out: list[Finding] = []
    for layers in groups.values():
        idx = [i for layer in layers for i in layer]
        ms = [ctx.mismatches[i] for i in idx]
        lines = list(dict.fromkeys(str(m.source) for m in ms if m.source is not None))
        places = list(dict.fromkeys(where(m) for m in ms))
        if len(layers) < MIN_PLACES or (len(lines) < 2 and len(places) < 2):
            continue  # one line: ``repeated`` says it with the line to change
        changes = [
            (str(m.field), m.expected, m.actual)
            for m in (ctx.mismatches[i] for i in layers[0])
            if m.kind is MismatchKind.ATTRIBUTE
        ]
        out.append(_finding(ctx, tuple(sorted(idx)), ms, lines, places, len(layers), changes))
    return out


def _finding(
    ctx: Context,
    idx: tuple[int, ...],
    ms: list[Mismatch],
    lines: list[str],
    places: list[str],
    n: int,
    changes: list[Change],
) -> Finding:
    first, layer = ms[0], _layer(ctx, ms[0])
    blocks = len({m.block.candidate for m in ms if m.block is not None and m.block.candidate is not None})
    spread = ", ".join(p for p in places if p not in ("main path", "shortcut", "after the add"))
    within = f"{blocks} blocks" + (f", {spread}" if spread else "") if blocks else spread
    have = ", ".join(setting(f, a) for f, _, a in changes)
    theirs = ", ".join(setting(f, e, named=len(changes) > 1) for f, e, _ in changes)
    one = "one setting changed" if len(changes) == 1 else f"{len(changes)} settings changed together"
    return Finding(
        pattern=Pattern.DESCRIBED,
        title=f"{layer} {have} where the reference has {theirs} ({n} places)",
        message=(
            f"{n} {layer} layers ({within}) have {have} where the reference's have {theirs}"
            + (
                " (and the parameter counts that follow)"
                if any(m.kind is MismatchKind.PARAMS for m in ms)
                else ""
            )
            + f": {one} the same way everywhere, so one cause, not one per place"
            + (f" (set at {shorten(lines, 3)})" if lines else "")
            + "."
        ),
        locations=tuple(dict.fromkeys(m.reference_path or "" for m in ms)),
        mismatches=idx,
        suggestion=f"{at(first.candidate_path, first.source)} and the others: "
        + ", ".join(f"{f}={e}" for f, e, _ in changes)
        + " as in the reference",
        source=first.source,
    )


__all__ = ["detect_uniform_setting"]
