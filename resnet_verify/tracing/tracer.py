"""``trace(model, input_shape) -> Trace``: one forward of a meta-tensor copy, recorded op by op.

Decisions:
- The model is deep-copied with a memo that maps every parameter and buffer to a *meta* tensor, so
  the copy costs no weight memory and the caller's instance is never touched.
- Ops are recorded through a ``TorchFunctionMode``: it sees the outermost torch call (``F.relu``,
  ``Tensor.__iadd__``), which is the level users write code at, and is disabled inside its own
  handler, so nested calls are not double counted.
- Dataflow edges come from tensor identity. Every produced tensor is kept alive until the trace
  ends so ids are never recycled; an in-place op re-points its tensor at the new op.
- Module calls are recorded with per-module hooks on the copy (a module called twice gives two
  records); the hook stack gives each op its module stack.
- A forward that fails on meta (``.item()``, data-dependent shapes, autocast) is retried on real CPU
  tensors; what fails there too becomes a :class:`Crash` in the trace.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import torch
from torch import nn

from resnet_verify.specs.sources import module_chains, module_sites
from resnet_verify.specs.usercode import (
    copy_model,
    model_output,
    strip_reparametrizations,
    train_as_built,
    unwrap,
)
from resnet_verify.tracing import outputs as returned_tensors
from resnet_verify.tracing.batch_folds import unfold_batches
from resnet_verify.tracing.buffer_values import holds_flags, small_buffer_values
from resnet_verify.tracing.copies import cpu_copy, meta_copy
from resnet_verify.tracing.crashes import crash_record
from resnet_verify.tracing.custom_grad import keep_gradient_functions
from resnet_verify.tracing.flop_mode import FlopCount
from resnet_verify.tracing.grad_mode import GradModeWatch
from resnet_verify.tracing.hand_spectral import read_spectral_norms
from resnet_verify.tracing.lazy import has_lazy, materialized
from resnet_verify.tracing.module_hooks import ModuleHooks, Sites
from resnet_verify.tracing.outputs import select_output
from resnet_verify.tracing.parallel_passes import fold_parallel_passes
from resnet_verify.tracing.param_table import param_infos, param_names
from resnet_verify.tracing.recorder import Recorder, shape_of
from resnet_verify.tracing.records import (
    INPUT_ID,
    Crash,
    GradOff,
    ModuleCall,
    OpRecord,
    Regularizer,
    Shape,
    Structure,
    Trace,
)
from resnet_verify.tracing.regularizers import Places, find_regularizers
from resnet_verify.tracing.repairs import (
    Repair,
    RepairKind,
    apply_repairs,
    as_written,
    bool_arguments,
    width_repair,
)
from resnet_verify.tracing.reparam import tag_reparametrized
from resnet_verify.tracing.spellings import one_spelling
from resnet_verify.tracing.state_updates import state_updates, written_in_training
from resnet_verify.tracing.structure import find_structure
from resnet_verify.tracing.train_mode import kept_in_eval
from resnet_verify.tracing.train_only import train_only_regularizers
from resnet_verify.tracing.untracked_stats import untracked_stats
from resnet_verify.tracing.vmap_loop import VmapLoop, member_params
from resnet_verify.tracing.written_bn import own_training


def normalize_input_shape(input_shape: int | Sequence[int]) -> Shape:
    """``224`` -> (1, 3, 224, 224); ``(3, 64, 64)`` -> (1, 3, 64, 64); ``(C, L)`` -> (1, C, L) (a 1-D
    model); 4-tuples (N, C, H, W) and 5-tuples (N, C, D, H, W) are kept. A ``torch.Size`` is always a
    whole shape, batch included: ``torch.Size([1, 3, 8, 64, 64])``, ``torch.Size([1, 12, 1000])``
    (the only spelling of a 3-D input without a batch-size ambiguity: (3, 8, 64, 64) reads as N, C, H, W),
    ``torch.Size([1, 32])`` one vector of 32 features (a residual MLP)."""
    if isinstance(input_shape, int):
        return (1, 3, input_shape, input_shape)
    shape = tuple(int(s) for s in input_shape)
    if isinstance(input_shape, torch.Size) and 2 <= len(shape) <= 5:
        return shape  # (N, F): a vector of features (a tabular or embedding MLP)
    if len(shape) in (2, 3):
        return (1, *shape)
    if len(shape) in (4, 5):
        return shape
    raise ValueError(
        f"input shape must be N, (C, L), (C, H, W), (N, C, H, W) or (N, C, D, H, W), got {input_shape!r}"
    )


@dataclass(frozen=True, slots=True)
class _Run:
    """One recorded forward: its ops and module calls, and what it returned or raised."""

    recorder: Recorder
    calls: tuple[ModuleCall, ...]
    output: Any
    error: BaseException | None
    model: nn.Module  # the copy that ran
    device: str
    meta_failed: bool = False  # a CPU run that retried a forward meta tensors could not run
    reparametrized: dict[str, str] = field(default_factory=dict)  # weight name -> weight_norm ...
    owned: dict[str, tuple[str, ...]] = field(default_factory=dict)  # weight -> its parametrization's tensors
    grad_off: tuple[GradOff, ...] = ()
    vmap_slices: dict[str, dict[int, tuple[str, int]]] = field(default_factory=dict)  # ``vmap_loop``


def _run(
    model: nn.Module, shape: Shape, device: str, sites: Sites, *, meta_failed: bool = False,
    values: dict[str, str] | None = None,
) -> _Run:  # fmt: skip
    """One forward of ``model``, a copy made for it (or a model built for this trace alone): its
    reparametrizations folded first, eval mode set. ``values``: the small constant buffers' values
    of the model the user built (``buffer_values``), which a copy on meta no longer holds."""
    owned: dict[str, tuple[str, ...]] = {}
    reparametrized = _prepare(model, owned)
    recorder = Recorder(param_names(model), values)
    hooks = ModuleHooks(recorder, *sites)
    handles = hooks.attach(model)
    x = torch.zeros(shape, device=device) if device != "meta" else torch.empty(shape, device="meta")
    recorder.producer[id(x)] = INPUT_ID
    recorder.stop = sys._getframe(0)
    watch = GradModeWatch(
        lambda: len(recorder.ops), lambda: recorder.stack[-1] if recorder.stack else "", recorder.stop,
        frozenset(c for m in model.modules() if (c := getattr(m.__dict__.get("forward"), "__code__", None))),
    )  # fmt: skip
    error: BaseException | None = None
    output: Any = None
    vmap = VmapLoop(recorder, hooks)
    try:
        # FlopCount (a dispatch mode, torch's formulas) sees the aten ops each recorded call lowers
        # to, so the recorder attributes every MAC to the op that caused it, name-independently.
        with torch.no_grad(), FlopCount() as flops, recorder, watch, vmap.patched():
            recorder.flops = flops
            with model_output():  # the model's prints must not reach the report on stdout
                output = model(x)
    except (Exception, SystemExit) as exc:  # the candidate's own bug: recorded, never re-raised
        error = exc  # (SystemExit too: a sys.exit() in forward must not end the run with its code)
    finally:
        for h in handles:
            h.remove()
    return _Run(
        recorder,
        hooks.calls(),
        output,
        error,
        model,
        device,
        meta_failed,
        reparametrized,
        owned,
        tuple(watch.regions),
        vmap.slices,
    )


def _looks_meta_specific(exc: BaseException) -> bool:
    text = f"{type(exc).__name__}: {exc}".lower()
    return isinstance(exc, NotImplementedError) or "meta" in text or "data-dependent" in text


def _prepare(copied: nn.Module, owned: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Make a copy ready to trace: reparametrizations folded (what each weight was computed by is
    returned, and tagged on the ops that read it), eval mode set as the model's own ``train(False)``
    sets it where it has nn.Module's signature (``usercode.train_as_built``), never a ``train`` of
    another signature (a training loop). ``owned`` receives the tensors a user's parametrization held."""
    reparametrized = strip_reparametrizations(copied, owned)
    train_as_built(copied, False)
    return reparametrized


# Meta tensors cost no memory and no compute, but their first use in a process imports
# torch._dynamo (torch's meta kernels of relu, add, mean, addmm, batch_norm ... are Python refs
# wrapped in torch._disable_dynamo): ~0.8 s, a quarter of a command-line compare of resnet50 at
# 64 px, where the whole forward on real CPU tensors takes ~0.1 s. So a CPU model at a small input
# traces on a real CPU copy until that import has happened; once it has, meta is the cheaper one at
# every size (41 vs 73 ms for resnet50 at 64 px). Both give the same trace (tests pin it).
CPU_TRACE_MAX_INPUT = 3 * 128 * 128  # input elements (batch included)
CPU_TRACE_MAX_TENSORS = 64_000_000  # parameter and buffer elements: the copy is a real one


def _numel(shape: Shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def _on_cpu(model: nn.Module, shape: Shape, device: str) -> bool:
    """Whether to trace a real CPU copy: asked for, or ``auto`` and the cheaper (above)."""
    tensors = (*model.parameters(), *model.buffers())
    if not all(t.device.type == "cpu" for t in tensors):  # meta has no data; CUDA copies are not cheap
        return False
    if device != "auto":
        return device == "cpu"
    if sum(t.numel() for t in tensors) > CPU_TRACE_MAX_TENSORS:
        return False
    # a model reading its own flags is traced as built: a meta copy would run every branch they gate
    return holds_flags(model) or ("torch._dynamo" not in sys.modules and _numel(shape) <= CPU_TRACE_MAX_INPUT)


def _traced_run(
    model: nn.Module,
    shape: Shape,
    *,
    owned: bool,
    real_fallback_max_elements: int,
    device: str,
    sites: Sites | None = None,
) -> _Run:
    """A forward of a CPU copy when that is the cheaper (above), else of a meta copy, retried on
    real CPU tensors when it failed for meta's own reasons. ``sites``: of the model the user built,
    when ``model`` is a copy of it (copies are unrecorded)."""
    sites = sites or (module_sites(model), module_chains(model))
    values = small_buffer_values(
        model
    )  # before any copy: a meta copy has none, a CPU copy of meta fakes them
    if _on_cpu(model, shape, device):  # a failure here is the model's own: CPU is the real thing
        return _run(model if owned else cpu_copy(model), shape, "cpu", sites, values=values)
    meta = all(t.device.type == "meta" for t in (*model.parameters(), *model.buffers()))
    run = _run(
        model if owned and meta else meta_copy(model), shape, "meta", sites, values=values
    )  # owned: eval too
    if run.error is None or _numel(shape) > real_fallback_max_elements:
        return run
    retried = _run(cpu_copy(model), shape, "cpu", sites, meta_failed=True, values=values)
    if retried.error is None:
        return retried
    return retried if _looks_meta_specific(run.error) and not _looks_meta_specific(retried.error) else run


def _first_run(model: nn.Module, shape: Shape, owned: bool, limit: int, device: str) -> _Run:
    before = {n for n, _ in model.named_parameters(remove_duplicate=False)}  # (a model traced in place grows)
    traced = _traced_run(model, shape, owned=owned, real_fallback_max_elements=limit, device=device)
    return _built_by_first_call(model, shape, traced, before)


def _built_by_first_call(model: nn.Module, shape: Shape, run: _Run, before: set[str]) -> _Run:
    """A model whose forward made parameters (a layer built on its first call, Keras-style) is the model
    that call leaves: measured by a second forward of the same copy, where the first also recorded the new
    layers' initialisation and read their tensors as no parameters. Names a folded reparametrization
    gave (``weight`` for spectral norm's ``weight_orig``) are no layer made: its first run keeps them."""
    made = (
        {n for n, _ in run.model.named_parameters()}
        - before
        - set(run.reparametrized)
        - {t for names in run.owned.values() for t in names}
    )
    if run.error is not None or not made:
        return run
    sites = (module_sites(model), module_chains(model))
    again = _run(
        run.model, shape, run.device, sites, meta_failed=run.meta_failed, values=small_buffer_values(model)
    )
    if again.error is not None:
        return run
    return dataclasses.replace(again, reparametrized=run.reparametrized, owned=run.owned)


_MAX_REPAIRS = 8  # rounds of width repairs: each is one more forward of the copy


def _next_repairs(model: nn.Module, run: _Run, sites: Sites, done: tuple[Repair, ...]) -> tuple[Repair, ...]:
    """What to repair next: the width of the layer the forward failed in, else every bool argument
    (known before running: a bool anywhere is the likely cause of a crash that is not a width's)."""
    failed = run.recorder.failed
    # A layer reading the model's input is given the input we chose: re-sizing it would hide that the
    # input, not the layer, has the wrong channels.
    if failed is not None and failed.stack and INPUT_ID not in failed.producers:
        path = failed.stack[-1]
        module = dict(model.named_modules()).get(path)
        repair = (
            width_repair(module, path, failed.in_shapes, sites[0].get(path)) if module is not None else None
        )
        if repair is not None:
            return (repair,)
    if any(r.kind is RepairKind.BOOL_ARGUMENT for r in done):
        return ()
    return bool_arguments(model, sites[0])


def _repaired(model: nn.Module, shape: Shape, run: _Run, **kwargs: Any) -> tuple[_Run, tuple[Repair, ...]]:
    """A crashed forward retried on a copy with the repairs of ``repairs.py`` (bool arguments read as
    PyTorch 1.x read them, a layer re-sized to the width that reaches it), kept while each round gets
    further; the user's model is not touched."""
    if run.error is None:
        return run, ()
    sites = (module_sites(model), module_chains(model))
    repairs: tuple[Repair, ...] = ()
    for _ in range(_MAX_REPAIRS):
        new = _next_repairs(model, run, sites, repairs)
        if not new:
            break
        fixed = copy_model(model)
        apply_repairs(fixed, (*repairs, *new))
        retry = _traced_run(fixed, shape, owned=True, sites=sites, **kwargs)
        if retry.error is not None and len(retry.recorder.ops) <= len(run.recorder.ops):
            break
        run, repairs = retry, (*repairs, *new)
        if run.error is None:
            break
    return run, repairs


def _returned(
    run: _Run, chosen: torch.Tensor | None, ran: bool
) -> tuple[int | None, tuple[int, ...], tuple[int, ...]]:
    """The ops that made the prediction, the side outputs and every other returned tensor."""
    made = run.recorder.producer
    output_op = made.get(id(chosen)) if chosen is not None else None
    if not ran:
        return output_op, (), ()
    side = returned_tensors.side_outputs(made, run.recorder.ops, run.output, chosen)
    return output_op, side, returned_tensors.taps(made, run.output, chosen)


def _prepared(model: nn.Module, shape: Shape, device: str, owned: bool) -> tuple[nn.Module, bool]:
    """The model to trace: a lazy one as its first call makes it (tracing/lazy.py)."""
    if device not in ("auto", "meta", "cpu"):
        raise ValueError(f"device must be auto, meta or cpu, not {device!r}")
    return (materialized(model, shape), False) if has_lazy(model) else (model, owned)


def _crash(run: _Run, shape: Shape) -> Crash | None:
    if run.error is None:
        return None
    recorder = run.recorder
    return crash_record(
        recorder.failed, tuple(recorder.stack), run.error, run.calls, len(recorder.ops), shape
    )


def _canonical_ops(run: _Run) -> tuple[OpRecord, ...]:
    """The recorded ops in one spelling per concept, a network's parallel second run as one op."""
    recorded = keep_gradient_functions(run.recorder.ops, run.recorder.function_calls)
    ops = untracked_stats(
        run.model, one_spelling(tag_reparametrized(recorded, run.reparametrized, run.owned))
    )
    return unfold_batches(fold_parallel_passes(ops, run.calls))


def _holds_values(model: nn.Module) -> bool:
    return not any(t.is_meta for t in (*model.parameters(), *model.buffers()))


def _regularizers(
    run: _Run, shape: Shape, ops: Sequence[OpRecord], structure: Structure, ran: bool
) -> tuple[tuple[Regularizer, ...], set[str] | None]:
    """Regularizer modules and calls of the traced forward, and what only a training forward runs;
    with the module paths that training forward writes state at (None: the forward crashed)."""
    found = find_regularizers(run.model, run.calls, ops, structure)
    if not ran:
        return found, None
    places = Places(structure, len(ops))
    extra = train_only_regularizers(
        run.model, shape, run.device, ops, places, frozenset(c.path for c in run.calls)
    )
    frozen = kept_in_eval(run.model, ops, places)
    written = written_in_training(run.model, shape, run.device)
    updates = state_updates(run.model, ops, places, run.reparametrized, written)
    return tuple(sorted((*found, *extra, *frozen, *updates), key=lambda r: r.position)), set(written)


def trace(
    model: nn.Module,
    input_shape: int | Sequence[int],
    *,
    real_fallback_max_elements: int = 64_000_000,
    owned: bool = False,
    output_key: str | None = None,
    device: Literal["auto", "meta", "cpu"] = "auto",
) -> Trace:
    """Trace one forward of a copy of ``model`` at ``input_shape`` (N, (C,H,W) or (N,C,H,W)).

    ``owned=True`` skips the copy (the model is traced in place: eval mode set, reparametrizations
    folded): only for a model the caller built for this trace alone.
    ``output_key`` picks the prediction out of a non-tensor output (see ``tracing.outputs``).
    ``device``: ``meta`` or ``cpu`` (a real copy; only for a model whose tensors are on the CPU);
    ``auto`` picks the cheaper (see ``CPU_TRACE_MAX_INPUT``; a model reading its own flag buffers is
    traced as built, on CPU). Wrappers (DataParallel, ``torch.compile``) are traced as the model they wrap."""
    shape = normalize_input_shape(input_shape)
    if any((cls.__module__ or "").split(".", 1)[0] == "keras" for cls in type(model).__mro__):
        from resnet_verify.tracing.keras_layers import trace_keras  # Keras layers, not torch ops

        return trace_keras(model, shape)
    model = unwrap(model)
    model, owned = _prepared(model, shape, device, owned)
    limit = real_fallback_max_elements
    first = _first_run(model, shape, owned, limit, device)
    run, repairs = _repaired(model, shape, first, real_fallback_max_elements=limit, device=device)
    crash = _crash(run, shape)
    chosen = select_output(run.output, output_key) if crash is None else None
    output_shape = shape_of(chosen) if chosen is not None else None
    ops = _canonical_ops(run)
    params = as_written(member_params(param_infos(run.model), run.vmap_slices), repairs)
    ops = read_spectral_norms(ops, params)
    output_op, side_outputs, taps = _returned(run, chosen, crash is None)
    returned = (*([output_op] if output_op is not None else []), *side_outputs)
    crashed_in = tuple(run.recorder.stack) if crash is not None else ()
    structure = find_structure(ops, params, shape, crashed_in, returned)
    found, written = _regularizers(run, shape, ops, structure, crash is None)
    ops, regularizers = own_training(found, ops, _holds_values(model), written)
    return Trace(
        model_type=type(model).__name__,
        input_shape=shape,
        ops=ops,
        modules=run.calls,
        params=params,
        output_shape=output_shape,
        crash=crash,
        structure=structure,
        device=run.device,
        meta_failed=run.meta_failed,
        output_is_tensor=chosen is not None or crash is not None,
        side_outputs=side_outputs,
        output_op=output_op,
        grad_off=run.grad_off,
        taps=taps,
        regularizers=regularizers,
        repairs=repairs,
    )
