"""A head whose ops depend on the size of the map it reads (R-MAC's region grid worked out from ``h`` and
``w``, a covariance pooling over ``h * w`` positions, a pooling window chosen from the map): where a
stride earlier makes the candidate's last map another size, the head's ops differ though the head's code
did not change. Whether that is all is a question the reference can answer: traced at the input size
that gives its last map the candidate's size, does its head compute what the candidate's does?

Where the heads pair as they did (no difference at that size that the original size did not show), each
head and whole-model difference that is gone at that size follows from the map's size: it is marked as caused by the last change of the map's size
(shape_values.py marks the values it can read off directly), so whatever explains the stride explains it
and it is located with it. A difference still there at that size is the head's own and stays."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from resnet_verify.tracing.records import Shape, Trace
from resnet_verify.verify.align import align_blocks
from resnet_verify.verify.diff import diff
from resnet_verify.verify.records import Mismatch, MismatchKind, Region

_OUTSIDE = (Region.HEAD, Region.MODEL)
_MAX_GROWTH = 4  # the reference retraced at no more than 4x the input's side


def _last_map(trace: Trace) -> Shape | None:
    blocks = trace.structure.blocks
    return blocks[-1].out_shape if blocks else None


def _matching_input(ref: Trace, cand: Trace) -> Shape | None:
    """The reference's input shape whose last map has the candidate's spatial size, if a whole one."""
    r, c = _last_map(ref), _last_map(cand)
    shape = tuple(ref.input_shape)
    if r is None or c is None or len(r) != len(c) or len(r) != len(shape) or r[:2] != c[:2] or r == c:
        return None
    out = list(shape[:2])
    for size, have, want in zip(shape[2:], r[2:], c[2:], strict=True):
        if have <= 0 or (size * want) % have:
            return None
        grown = size * want // have
        if not 8 <= grown <= _MAX_GROWTH * size:
            return None
        out.append(grown)
    return tuple(out)


def _key(m: Mismatch) -> tuple[object, ...]:
    """What a difference is, from its typed fields: the same one in both diffs has the same key."""
    return (m.kind, m.field, m.region, m.reference_path, m.candidate_path, repr(m.expected), repr(m.actual))


def _map_change(mismatches: Sequence[Mismatch]) -> int | None:
    return next(
        (
            i
            for i in reversed(range(len(mismatches)))
            if mismatches[i].kind is MismatchKind.SHAPE
            and mismatches[i].field == "output_shape"
            and mismatches[i].region not in _OUTSIDE
        ),
        None,
    )


def head_at_map_size(
    ref: Trace, cand: Trace, mismatches: Sequence[Mismatch], retrace: Callable[[Shape], Trace] | None
) -> list[Mismatch]:
    """``mismatches`` with the head's differences that follow from the last map's size marked so."""
    out = list(mismatches)
    loose = [i for i, m in enumerate(out) if m.region in _OUTSIDE and m.cause is None]
    cause = _map_change(out)
    if retrace is None or not loose or cause is None:
        return out
    shape = _matching_input(ref, cand)
    if shape is None:
        return out
    try:
        resized = retrace(shape)
    except Exception:  # the reference cannot run at that size: nothing learned, nothing changed
        return out
    if resized.crash is not None or _last_map(resized) != _last_map(cand):
        return out
    again = diff(resized, cand, align_blocks(resized, cand))
    still = {_key(m) for m in again if m.region in _OUTSIDE}
    if not still <= {_key(out[i]) for i in loose}:
        return out  # a difference the original size did not show: the heads do not pair as they did
    for i in loose:
        if _key(out[i]) not in still and out[i].field not in ("gradient", "outputs"):
            out[i] = replace(out[i], cause=cause)
    return out
