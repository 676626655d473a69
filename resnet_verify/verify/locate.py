"""Point a wrong value at the frame where it was chosen, not at the layer that received it.

A ``stride=2`` turned into ``stride=1`` at ``self._make_layer(block, 256, n, stride=1)`` surfaces as a
wrong stride on ``nn.Conv2d(..., stride=stride)`` inside the block class, a line that did not change
and that also builds every other block correctly. Each module's construction carries its call chain
(``ModuleCall.chain``: the layer's line, ``block(...)`` in the helper, the helper's call, the model
class's call). For an attribute mismatch, the modules built by the same line are its siblings; the
frame of the chain that singles out the wrong ones best (the largest share of wrong siblings among
those it built) is where the value was chosen.

Only when both sides give the siblings different values: then the layer's line takes the value from
its caller. When the reference gives them all one value (BatchNorm eps, the 1x1's stride in ResNet
v1.5), or the candidate's line gives all its modules one value (a 3x3 that ignores the stride it was
handed), a wrong value is the layer line's own doing and stays there, whoever called it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import ModuleCall, SourceLoc, Trace, attr_dict
from resnet_verify.verify.records import Mismatch, MismatchKind


def _calls(trace: Trace) -> dict[str, ModuleCall]:
    """The first call of each module that has a recorded chain."""
    out: dict[str, ModuleCall] = {}
    for call in trace.modules:
        if call.chain and call.path not in out:
            out[call.path] = call
    return out


def _deciding_frame(
    chain: tuple[SourceLoc, ...], siblings: dict[str, tuple[SourceLoc, ...]], wrong: set[str]
) -> SourceLoc:
    best, best_share = chain[0], -1.0
    for depth, frame in enumerate(chain):
        built = [p for p, c in siblings.items() if c[depth] == frame]
        share = sum(p in wrong for p in built) / len(built)
        # A tie below 1 goes outward: the wrong modules branch off where the value was passed down
        # (the first block of one stage is also one of the first blocks of all stages). A frame all of
        # whose modules are wrong goes inward: then the line itself is what is wrong.
        if share > best_share + 1e-12 or (abs(share - best_share) <= 1e-12 and share < 1):
            best, best_share = frame, share
    return best


def _value(m: Mismatch, call: ModuleCall) -> object:
    """What the candidate's module has for the mismatch's field (``_MISSING`` when unknowable)."""
    if m.kind is MismatchKind.ATTRIBUTE:
        return attr_dict(call.hparams).get(m.field or "", _MISSING)
    if m.kind is MismatchKind.PARAMS:
        return call.num_params
    if m.kind is MismatchKind.SHAPE and call.out_shapes:
        return call.out_shapes[0]
    return _MISSING


_MISSING = object()


def _relocated(mismatches: Sequence[Mismatch], cand: Trace) -> dict[int, SourceLoc]:
    calls = _calls(cand)
    moved: dict[int, SourceLoc] = {}
    for i, m in enumerate(mismatches):
        call = calls.get(m.candidate_path or "")
        if call is None or len(call.chain) < 2 or m.source != call.chain[0] or _value(m, call) is _MISSING:
            continue
        if m.cause is not None:  # a consequence (a shape of a wrong stride) goes where its cause goes
            continue
        siblings = {p: c.chain for p, c in calls.items() if c.chain[0] == call.chain[0]}
        siblings = {p: c for p, c in siblings.items() if len(c) == len(call.chain)}
        wrong = {
            x.candidate_path
            for x in mismatches
            if x.kind is m.kind and x.field == m.field and x.candidate_path in siblings
        }
        expected = {
            repr(next((x.expected for x in mismatches if x.candidate_path == p and x.field == m.field), None))
            if p in wrong
            else repr(_value(m, calls[p]))
            for p in siblings
        }
        actual = {repr(_value(m, calls[p])) for p in siblings}
        # Both sides vary the value across the line's modules: the line passes on what its caller
        # chose. One value on the reference's side: the line should not vary it. One value on the
        # candidate's side: the line ignores what it was given (ResNet v1's 3x3, handed stride=2).
        if len(expected) > 1 and len(actual) > 1:
            frame = _deciding_frame(call.chain, siblings, {p for p in wrong if p is not None})
            if frame != m.source:
                moved[i] = frame
    return moved


def locate_values(mismatches: Sequence[Mismatch], cand: Trace) -> tuple[Mismatch, ...]:
    """``mismatches`` with each wrong value pointed at the frame that chose it (above); what follows
    from a moved mismatch at the same line (``cause``) moves with it."""
    moved = _relocated(mismatches, cand)
    out = list(mismatches)
    for i, frame in moved.items():
        out[i] = replace(out[i], source=frame)
    for i, m in enumerate(mismatches):
        if i not in moved and m.cause in moved and m.source == mismatches[m.cause].source:
            out[i] = replace(m, source=moved[m.cause])
    return tuple(out)


__all__ = ["locate_values"]
