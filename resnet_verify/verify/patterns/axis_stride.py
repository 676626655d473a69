"""A stride that differs on some axes only: the time (depth) axis of a 3-D network, or one side of a
2-D one.

Video and volume ResNets keep the time axis in their stem (``r3d_18``: stride (1, 2, 2)) and halve it
from the second stage on; a stem written ``stride=2`` (or ``(2, 2, 2)``) halves the clip at once. The
mismatch is one attribute on one layer; what it means is said per axis, so the name generalises
without a list of layers: "stride 2 on the time axis at stem.0 (the reference keeps it at 1)".
"""

from __future__ import annotations

from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, MismatchKind, Pattern

_AXES = {1: ("length",), 2: ("height", "width"), 3: ("time (depth)", "height", "width")}


def _differing_axes(expected: object, actual: object) -> list[int] | None:
    if not (isinstance(expected, tuple) and isinstance(actual, tuple)) or len(expected) != len(actual):
        return None
    axes = [i for i, (e, a) in enumerate(zip(expected, actual)) if e != a]
    return axes if 0 < len(axes) < len(expected) else None


def detect_axis_stride(ctx: Context) -> list[Finding]:
    findings = []
    for i, m in enumerate(ctx.mismatches):
        if m.kind is not MismatchKind.ATTRIBUTE or m.field != "stride" or i in ctx.claimed:
            continue
        axes = _differing_axes(m.expected, m.actual)
        if axes is None:
            continue
        assert isinstance(m.expected, tuple) and isinstance(m.actual, tuple)
        names = _AXES.get(len(m.expected), tuple(f"axis {k}" for k in range(len(m.expected))))
        which = " and ".join(names[k] for k in axes)
        theirs = ", ".join(str(m.expected[k]) for k in axes)
        mine = ", ".join(str(m.actual[k]) for k in axes)
        findings.append(
            Finding(
                pattern=Pattern.AXIS_STRIDE,
                title=f"stride {mine} on the {which} axis at {m.candidate_path}",
                message=(
                    f"{at(m.candidate_path, m.source)} strides the {which} axis by {mine} where the reference "
                    f"strides it by {theirs} (stride {m.actual} vs {m.expected}); the other axes agree. Every "
                    f"later feature map is {'smaller' if _larger(m.actual, m.expected, axes) else 'larger'} "
                    f"along that axis."
                ),
                locations=(m.reference_path,) if m.reference_path else (),
                mismatches=(i, *_window_is_stride(ctx, i)),
                suggestion=f"{at(m.candidate_path, m.source)}: make the stride {m.expected}",
                source=m.source,
            )
        )
    return findings


def _window_is_stride(ctx: Context, i: int) -> tuple[int, ...]:
    """The same layer's kernel swapped the same way, where its window is its stride (a pool of
    kernel = stride, as nnU-Net's skips write it): one axis mistake, not two."""
    m = ctx.mismatches[i]
    return tuple(
        j for j, o in enumerate(ctx.mismatches)
        if j != i and o.field == "kernel_size" and o.kind is MismatchKind.ATTRIBUTE
        and (o.reference_op, o.candidate_op) == (m.reference_op, m.candidate_op)
        and (o.expected, o.actual) == (m.expected, m.actual)
    )  # fmt: skip


def _larger(actual: tuple, expected: tuple, axes: list[int]) -> bool:
    return all(
        isinstance(actual[k], int) and isinstance(expected[k], int) and actual[k] > expected[k] for k in axes
    )


__all__ = ["detect_axis_stride"]
