"""``compare(candidate, reference)``: trace both, align, diff, explain -> :class:`Comparison`."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.specs.builders import build_reference_model, reference_display
from resnet_verify.tracing.global_pools import follow_input_size
from resnet_verify.tracing.input_channels import channels_it_takes, trace_as_it_takes, with_channels
from resnet_verify.tracing.outputs import no_tensor_error
from resnet_verify.tracing.records import Block, Shape, Stage, Trace, format_shape
from resnet_verify.tracing.repairs import describe
from resnet_verify.tracing.tracer import normalize_input_shape, trace
from resnet_verify.verify.align import align_blocks
from resnet_verify.verify.classes import ClassesFrom, classes_from_head
from resnet_verify.verify.crash_causes import diagnose
from resnet_verify.verify.crash_causes.dimensionality import wrong_dimensionality
from resnet_verify.verify.diff import diff
from resnet_verify.verify.frozen_note import frozen_note
from resnet_verify.verify.head_at_size import head_at_map_size
from resnet_verify.verify.hidden_backward import backward_differs
from resnet_verify.verify.hidden_constants import constants_differ
from resnet_verify.verify.hidden_training import training_differs
from resnet_verify.verify.locate import locate_values
from resnet_verify.verify.patterns import explain
from resnet_verify.verify.patterns.family import keep_for_verdict
from resnet_verify.verify.records import BlockPair, Comparison, Mismatch, StageRow
from resnet_verify.verify.remade_params import params_made_every_call
from resnet_verify.verify.same_function import spelled_otherwise
from resnet_verify.verify.stage_metrics import with_metrics


def _input_shape(input_size: int | Sequence[int]) -> Shape:
    # a torch.Size from here on: the whole shape, batch included, for 1-D, 2-D and 3-D inputs alike
    shape = torch.Size(normalize_input_shape(input_size))
    if min(shape) < 1:
        raise UsageError(f"input size must be positive, got {'x'.join(map(str, shape[1:]))}")
    return shape


def _has_bad(bad: set[str], prefixes: Sequence[str]) -> bool:
    """Whether a mismatch sits at or under one of the module paths ``prefixes``."""
    return any(p and (b == p or b.startswith(p + ".")) for b in bad for p in prefixes)


def _stem_row(ref: Trace, cand: Trace, mismatches: Sequence[Mismatch]) -> StageRow:
    rs, cs = ref.structure, cand.structure
    stem_bad = any(
        m.reference_path
        and ref.structure.stem
        and any(m.reference_path == ref.ops[o].module_path for o in rs.stem)
        for m in mismatches
    )
    # without blocks the candidate's "stem" is the whole model, unless a crash cut off the block it
    # failed in (``Structure.partial``): then the stem is complete and is shown
    whole = bool(cs.blocks) or bool(cs.partial)
    return StageRow(
        "stem",
        rs.stem_path,
        cs.stem_path if whole else None,
        rs.stem_out_shape,
        cs.stem_out_shape if whole else None,
        rs.stem_params,
        cs.stem_params if whole else None,
        0,
        0,
        not stem_bad and rs.stem_out_shape == cs.stem_out_shape,
    )


def _unique_params(trace: Trace, blocks: Sequence[Block]) -> int:
    """Parameter values the blocks hold, each tensor once (blocks that share one module count it
    once, as the model does)."""
    canonical = {a: p.name for p in trace.params for a in (p.name, *p.aliases)}
    numel = {p.name: (0 if p.is_buffer else p.numel) for p in trace.params}
    names = {canonical.get(n, n) for b in blocks for n in b.params}
    return sum(numel.get(n, 0) for n in names)


def _stage_row(stage: Stage, ref: Trace, cand: Trace, pairs: Sequence[BlockPair], bad: set[str]) -> StageRow:
    """One reference stage against the candidate blocks aligned with its blocks."""
    rs, cs = ref.structure, cand.structure
    mine = [p for p in pairs if p.stage == stage.index]
    cblocks = [cs.blocks[p.candidate] for p in mine if p.candidate is not None]
    cstages = sorted({s.index for s in cs.stages for b in cblocks if b.index in s.blocks})
    cpath = ", ".join(cs.stages[i].path or f"stage {i}" for i in cstages) or None
    cshape = cblocks[-1].out_shape if cblocks else None
    cparams = _unique_params(cand, cblocks) if cblocks else None
    ok = (
        not _has_bad(bad, [stage.path] + [rs.blocks[b].path for b in stage.blocks])
        and cshape == stage.out_shape
        and cparams == stage.num_params
        and len(cblocks) == len(stage.blocks)
        and len(mine) == len(stage.blocks)
    )
    return StageRow(
        stage.path or f"stage{stage.index + 1}",
        stage.path,
        cpath,
        stage.out_shape,
        cshape,
        stage.num_params,
        cparams,
        len(stage.blocks),
        len(cblocks),
        ok,
    )


def _head_row(ref: Trace, cand: Trace, bad: set[str]) -> StageRow:
    rs, cs = ref.structure, cand.structure
    crashed = cand.crash is not None
    head_paths = [ref.ops[o].module_path for o in rs.head]
    return StageRow(
        "head",
        rs.head_path,
        None if crashed else cs.head_path,
        ref.output_shape,
        cand.output_shape,
        rs.head_params,
        None if crashed else cs.head_params,
        0,
        0,
        not crashed
        and not _has_bad(bad, head_paths)
        and ref.output_shape == cand.output_shape
        and rs.head_params == cs.head_params,
    )


def stage_rows(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], mismatches: Sequence
) -> tuple[StageRow, ...]:
    bad = {m.reference_path or "" for m in mismatches}
    rows = [_stem_row(ref, cand, mismatches)]
    rows += [_stage_row(stage, ref, cand, pairs, bad) for stage in ref.structure.stages]
    rows.append(_head_row(ref, cand, bad))
    return with_metrics(rows, ref, cand, pairs)


def compare_traces(
    ref: Trace,
    cand: Trace,
    *,
    reference_name: str,
    candidate_name: str,
    num_classes: int,
    classes_from: ClassesFrom = ClassesFrom.GIVEN,
    retrace: Callable[[Shape], Trace] | None = None,
) -> Comparison:
    """``retrace``: the reference traced at another input shape (head_at_size.py), where one can be."""
    pairs = align_blocks(ref, cand)
    found = head_at_map_size(ref, cand, diff(ref, cand, pairs), retrace)
    mismatches = locate_values(found, ref, cand, pairs)
    findings = tuple(explain(ref, cand, pairs, mismatches))
    stages = stage_rows(ref, cand, pairs, mismatches)
    mismatches, findings, dropped = keep_for_verdict(mismatches, findings)
    notes = []
    for side, traced in (("candidate", cand), ("reference", ref)):
        if traced.repairs:
            n = len(traced.repairs)
            notes.append(
                f"the {side} was traced with {n} repair{'s' if n > 1 else ''} on a copy "
                f"({describe(traced.repairs)}): as written its forward crashes; the differences below are "
                "those of the repaired model"
            )
    if ref.input_shape[1] != cand.input_shape[1]:
        notes.append(
            f"each side was fed the input channels its first conv takes: the candidate "
            f"{format_shape(cand.input_shape)}, the reference {format_shape(ref.input_shape)}"
        )
    if dropped:
        notes.append(f"{dropped} more mismatches follow from the verdict and are not listed")
    if (frozen := frozen_note(ref, cand)) is not None:
        notes.append(frozen)
    if cand.device == "keras":
        notes.append("the candidate is a Keras model: traced layer by layer in one real forward")
    elif cand.meta_failed:
        notes.append("the candidate could not run on meta tensors; it was traced on real CPU tensors instead")
    return Comparison(
        reference_name=reference_name,
        candidate_name=candidate_name,
        input_shape=ref.input_shape,
        num_classes=num_classes,
        reference=ref,
        candidate=cand,
        blocks=pairs,
        stages=stages,
        mismatches=mismatches,
        findings=findings,
        notes=tuple(notes),
        classes_from=classes_from,
    )


@functools.lru_cache(maxsize=16)
def reference_trace(name: str, shape: Shape, num_classes: int, *, cache: bool = True) -> Trace:
    """The trace of the reference ``name`` names (any model spec, see ``build_reference_model``):
    a pure function of its arguments, so computed once per process, and once per machine through
    the persistent cache (``cache=False`` bypasses it).

    The model is built for this trace alone (on meta where it can be), so it is traced without a
    copy.
    """
    from resnet_verify.verify.reference_cache import cached_trace

    def build() -> Trace:
        size = (shape[1], shape[2], shape[3]) if len(shape) == 4 else None  # keras:NAME fixes its input
        model = build_reference_model(name, num_classes=num_classes, input_size=size)
        return follow_input_size(model, trace(model, torch.Size(shape), owned=True))  # a whole shape

    return cached_trace(name, shape, num_classes, build, enabled=cache)


def compare(
    candidate: nn.Module,
    reference: str = "resnet50",
    *,
    input_size: int | Sequence[int],
    num_classes: int | None,
    candidate_name: str | None = None,
    cache: bool = True,
    output_key: str | None = None,
    owned: bool = False,
) -> Comparison:
    """Compare ``candidate`` with ``reference`` at ``input_size`` (N or (C, H, W)).

    ``reference`` is any model spec: a torchvision ResNet name (``resnet50``), ``torchvision:NAME``,
    a family name, ``timm:NAME``, ``FILE.py:CALLABLE`` or ``MODULE:CALLABLE``.

    ``num_classes=None``: the class count is read off the candidate's head (its last Linear or conv)
    and the reference built with it; the comparison says so (``classes_from``).
    ``cache=False`` neither reads nor writes the persistent reference-trace cache. ``output_key``
    picks the candidate's prediction out of a non-tensor output (``tracing.outputs``).
    ``owned=True``: the caller built ``candidate`` for this comparison alone, so it is traced in
    place instead of on a copy (it is left in eval mode, reparametrizations folded).
    """
    if not isinstance(candidate, nn.Module):
        raise UsageError(f"candidate must be an nn.Module, got {type(candidate).__name__}")
    shape = _input_shape(input_size)
    if not isinstance(reference, str) or not reference.strip():
        raise UsageError("the reference must be a model spec, e.g. resnet50 or FILE.py:CALLABLE")
    ref_name = reference_display(reference)
    # A user's file or module can change between two calls in one process: only names (family,
    # torchvision) are pure enough for the in-process memo.
    from resnet_verify.verify.reference_cache import is_cacheable

    traced = reference_trace if is_cacheable(ref_name) else reference_trace.__wrapped__
    cand_trace, classes_from = None, ClassesFrom.GIVEN
    if num_classes is None:  # the reference is built with the class count the candidate's head has
        cand_trace = _candidate_trace(candidate, shape, output_key, owned)
        num_classes, classes_from = classes_from_head(cand_trace)
    ref_trace = traced(ref_name, shape, num_classes, cache=cache)
    takes = channels_it_takes(ref_trace)
    if takes is not None:  # the reference is fed the channels it takes, whatever the candidate takes
        ref_trace = traced(ref_name, with_channels(shape, takes), num_classes, cache=cache)
    if ref_trace.crash is not None:
        raise _reference_cannot_run(reference, shape, ref_trace)
    if cand_trace is None:
        cand_trace = _candidate_trace(candidate, shape, output_key, owned)
    comparison = compare_traces(
        ref_trace,
        cand_trace,
        reference_name=ref_name,
        candidate_name=candidate_name or type(candidate).__name__,
        num_classes=num_classes,
        classes_from=classes_from,
        retrace=lambda other: traced(ref_name, other, num_classes, cache=cache),
    )
    comparison = spelled_otherwise(candidate, reference, comparison)
    remade = params_made_every_call(candidate, comparison)
    found = constants_differ(candidate, reference, comparison)
    found = found or backward_differs(candidate, reference, comparison)
    return _explained(comparison, (*remade, *(found or training_differs(candidate, reference, comparison))))


def _explained(comparison: Comparison, found: Sequence[Mismatch]) -> Comparison:
    """``comparison`` with the mismatches its numbers found, explained like the trace's."""
    if not found:
        return comparison
    ref, cand, pairs = comparison.reference, comparison.candidate, comparison.blocks
    mismatches = (*comparison.mismatches, *found)
    findings = tuple(explain(ref, cand, pairs, mismatches))
    stages = stage_rows(ref, cand, pairs, mismatches)
    mismatches, findings, _ = keep_for_verdict(mismatches, findings)
    return dataclasses.replace(comparison, mismatches=mismatches, findings=findings, stages=stages)


_SIZED = ("conv", "pool")  # ops that fail on a map smaller than their window: "too small" is the cause


def _reference_cannot_run(reference: str, shape: Shape, ref_trace: Trace) -> UsageError:
    """One line for a reference that crashed: a rank it rejects, a named crash cause (a hard-coded view
    at its line), a map too small for a window, or the error at the user's line."""
    rank = [c for c in wrong_dimensionality(ref_trace)]
    if rank:  # the reference's first layer rejects the input's rank: say so, not "too small"
        return UsageError(f"{reference}: {rank[0].message}")
    size = "x".join(map(str, shape[1:]))
    cause = next((c for c in diagnose(ref_trace) if not c.repaired), None)
    if cause is not None:
        return UsageError(
            f"the reference {reference} cannot run on {size} inputs: {cause.title}: {cause.message}"
        )
    crash = ref_trace.crash
    assert crash is not None
    if any(word in (crash.op_name or "") for word in _SIZED):
        return UsageError(f"input size {size} is too small for {reference}: {crash.message}")
    at = f" (at {crash.source.file}:{crash.source.line})" if crash.source is not None else ""
    return UsageError(f"the reference {reference} cannot run on {size} inputs: {crash.message}{at}")


def _candidate_trace(candidate: nn.Module, shape: Shape, output_key: str | None, owned: bool) -> Trace:
    # a grayscale (or multispectral) first conv is fed the channels it takes
    cand_trace = follow_input_size(
        candidate, trace_as_it_takes(candidate, shape, owned=owned, output_key=output_key)
    )
    if not cand_trace.output_is_tensor:
        raise no_tensor_error(type(candidate).__name__)
    return cand_trace
