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

from resnet_verify.specs.frame_values import Values
from resnet_verify.tracing.records import ModuleCall, SourceLoc, Trace, attr_dict
from resnet_verify.verify.records import BlockPair, Mismatch, MismatchKind


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
        # Siblings: modules of the same type built by the same line through as many frames (one
        # line may build a Sequential, a conv and a custom module together).
        siblings = {
            p: c.chain
            for p, c in calls.items()
            if c.chain[0] == call.chain[0]
            and len(c.chain) == len(call.chain)
            and c.type_name == call.type_name
        }
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


def _differs(a: Values, b: Values) -> list[str]:
    da, db = dict(a), dict(b)
    return sorted(k for k in da.keys() & db.keys() if da[k] != db[k])


def chosen_at(ref: ModuleCall, cand: ModuleCall) -> SourceLoc | None:
    """Where the candidate's module got what makes it differ from the reference's, read from the
    values both construction chains held (``ModuleCall.frames``), outermost frame first: a class
    constant of ``self`` (its assignment), a parameter default that changed (the ``def`` line), or a
    value the frame was called with (the caller's line). None when no frame's values differ (the
    layer's own line holds the difference) or the chains do not correspond."""
    n = len(cand.frames)
    if n == 0 or len(ref.frames) != n or len(cand.chain) != n:
        return None
    for d in reversed(range(n)):
        rf, cf = ref.frames[d], cand.frames[d]
        constants = _differs(rf.class_values, cf.class_values)
        if constants:
            found = next(((f, line) for name, f, line in cf.class_lines if name == constants[0]), None)
            return SourceLoc(*found) if found is not None else cand.chain[d]
        names = _differs(rf.names, cf.names)
        if names:
            # Both at their defaults: the default changed. Only the candidate's: the call dropped it.
            if cf.def_line is not None and all(k in cf.defaults and k in rf.defaults for k in names):
                return SourceLoc(cand.chain[d].file, cf.def_line)
            return cand.chain[d + 1] if d + 1 < n else cand.chain[d]
    return None


def _paired_calls(
    m: Mismatch,
    sides: tuple[Trace, Trace],
    calls: tuple[dict[str, ModuleCall], dict[str, ModuleCall]],
    pairs: Sequence[BlockPair],
) -> tuple[ModuleCall, ModuleCall] | None:
    """The two modules whose construction to compare: the mismatch's own, or for a missing or extra
    block another block pair of the same stage (same helper call, same counts)."""
    (ref, cand), (rc, cc) = sides, calls
    if m.reference_path in rc and m.candidate_path in cc:
        return rc[m.reference_path or ""], cc[m.candidate_path or ""]
    if m.field != "block" or m.block is None:
        return None
    stage = m.block.stage
    for q in pairs:
        if q.stage == stage and q.reference is not None and q.candidate is not None:
            a, b = ref.structure.blocks[q.reference].path, cand.structure.blocks[q.candidate].path
            if a in rc and b in cc:
                return rc[a], cc[b]
    return None


def _stage_call(
    m: Mismatch, cand: Trace, calls: dict[str, ModuleCall], pairs: Sequence[BlockPair]
) -> SourceLoc | None:
    """For a missing or extra block without a comparable reference chain: the frame that built all of
    the stage's blocks and no other stage's (``self._make_layer(block, 256, n, stride=2)``)."""
    if m.field != "block" or m.block is None:
        return None
    blocks = cand.structure.blocks
    mine = {blocks[q.candidate].path for q in pairs if q.candidate is not None and q.stage == m.block.stage}
    others = {blocks[q.candidate].path for q in pairs if q.candidate is not None and q.stage != m.block.stage}
    chains = [calls[p].chain for p in mine if p in calls]
    if not chains or len({len(c) for c in chains}) != 1:
        return None
    for depth in range(len(chains[0])):
        frame = chains[0][depth]
        shared = all(c[depth] == frame for c in chains)
        if shared and not any(p in calls and frame in calls[p].chain for p in others):
            return frame
    return None


def locate_values(
    mismatches: Sequence[Mismatch], ref: Trace, cand: Trace, pairs: Sequence[BlockPair] = ()
) -> tuple[Mismatch, ...]:
    """``mismatches`` with each wrong value pointed at the frame that chose it: by comparing the
    values both sides' construction frames held when the reference is user code too
    (:func:`chosen_at`), else by the siblings heuristic above. What follows from a moved mismatch at
    the same line (``cause``) moves with it."""
    moved = _relocated(mismatches, cand)
    tables = (_calls(ref), _calls(cand))
    for i, m in enumerate(mismatches):
        pair = _paired_calls(m, (ref, cand), tables, pairs) if m.cause is None else None
        found = chosen_at(*pair) if pair is not None else None
        if found is None and m.cause is None:
            found = _stage_call(m, cand, tables[1], pairs)
        if found is not None and found != m.source:
            moved[i] = found
        elif found is not None:
            moved.pop(i, None)
    out = list(mismatches)
    for i, frame in moved.items():
        out[i] = replace(out[i], source=frame, layer_source=out[i].source)
    for i, m in enumerate(mismatches):
        if i not in moved and m.cause in moved and m.source == mismatches[m.cause].source:
            out[i] = replace(m, source=moved[m.cause], layer_source=m.source)
    return tuple(out)


__all__ = ["locate_values"]
