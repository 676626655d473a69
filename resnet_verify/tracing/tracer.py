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
- A forward that fails on meta for meta-specific reasons (``.item()``, data-dependent shapes) is
  retried on real CPU tensors; any other exception becomes a :class:`Crash` in the trace.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import torch
from torch import nn
from torch.utils.hooks import RemovableHandle

from resnet_verify.specs.frame_values import FrameValues
from resnet_verify.specs.sources import module_chains, module_sites
from resnet_verify.specs.usercode import (
    copy_model,
    model_output,
    set_training,
    strip_reparametrizations,
    unwrap,
)
from resnet_verify.tracing.crashes import crash_record
from resnet_verify.tracing.flop_mode import FlopCount
from resnet_verify.tracing.op_counter import tensors_in
from resnet_verify.tracing.outputs import select_output
from resnet_verify.tracing.recorder import Recorder, shape_of
from resnet_verify.tracing.records import (
    INPUT_ID,
    ModuleCall,
    ParamInfo,
    Shape,
    SourceLoc,
    Trace,
    make_attrs,
)
from resnet_verify.tracing.regularizers import find_regularizers
from resnet_verify.tracing.repairs import (
    Repair,
    RepairKind,
    apply_repairs,
    as_written,
    bool_arguments,
    width_repair,
)
from resnet_verify.tracing.structure import find_structure

_MODULE_HPARAMS: tuple[tuple[type, tuple[str, ...]], ...] = (
    (
        nn.modules.conv._ConvNd,
        (
            "in_channels",
            "out_channels",
            "kernel_size",
            "stride",
            "padding",
            "dilation",
            "groups",
            "padding_mode",
        ),
    ),
    (nn.modules.batchnorm._NormBase, ("num_features", "eps", "momentum", "affine", "track_running_stats")),
    (nn.modules.pooling._MaxPoolNd, ("kernel_size", "stride", "padding", "dilation", "ceil_mode")),
    (nn.modules.pooling._AvgPoolNd, ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")),
    (nn.modules.pooling._AdaptiveAvgPoolNd, ("output_size",)),
    (nn.modules.pooling._AdaptiveMaxPoolNd, ("output_size",)),
    (nn.Linear, ("in_features", "out_features")),
    (nn.ReLU, ("inplace",)),
    (nn.modules.dropout._DropoutNd, ("p",)),
    (nn.GroupNorm, ("num_groups", "num_channels", "eps", "affine")),
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_jsonable(v) for v in value)
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)


def module_hparams(module: nn.Module) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cls, names in _MODULE_HPARAMS:
        if isinstance(module, cls):
            out.update({n: _jsonable(getattr(module, n)) for n in names if hasattr(module, n)})
    if isinstance(module, (nn.modules.conv._ConvNd, nn.Linear)):
        out["bias"] = module.bias is not None
    return out


def normalize_input_shape(input_shape: int | Sequence[int]) -> Shape:
    """``224`` -> (1, 3, 224, 224); ``(3, 64, 64)`` -> (1, 3, 64, 64); ``(C, L)`` -> (1, C, L) (a 1-D
    model); 4-tuples (N, C, H, W) and 5-tuples (N, C, D, H, W) are kept. A ``torch.Size`` is always a
    whole shape, batch included: ``torch.Size([1, 3, 8, 64, 64])``, ``torch.Size([1, 12, 1000])``
    (the only spelling of a 3-D input without a batch-size ambiguity: (3, 8, 64, 64) reads as N, C, H, W)."""
    if isinstance(input_shape, int):
        return (1, 3, input_shape, input_shape)
    shape = tuple(int(s) for s in input_shape)
    if isinstance(input_shape, torch.Size) and 3 <= len(shape) <= 5:
        return shape
    if len(shape) in (2, 3):
        return (1, *shape)
    if len(shape) in (4, 5):
        return shape
    raise ValueError(
        f"input shape must be N, (C, L), (C, H, W), (N, C, H, W) or (N, C, D, H, W), got {input_shape!r}"
    )


def _meta_copy(model: nn.Module) -> nn.Module:
    memo: dict[int, Any] = {}
    for tensor in list(model.parameters()) + list(model.buffers()):
        if id(tensor) in memo:
            continue
        meta = tensor.detach().to("meta")
        if isinstance(tensor, nn.Parameter):
            meta = nn.Parameter(meta, requires_grad=tensor.requires_grad)
        memo[id(tensor)] = meta
    return copy_model(model, memo)


def _param_names(model: nn.Module) -> dict[int, str]:
    """Tensor id -> the first qualified name of every parameter and buffer."""
    param_names: dict[int, str] = {}
    for name, p in model.named_parameters(remove_duplicate=False):
        param_names.setdefault(id(p), name)
    for name, b in model.named_buffers(remove_duplicate=False):
        param_names.setdefault(id(b), name)
    return param_names


_Chains = dict[str, tuple[tuple[SourceLoc, ...], tuple[FrameValues, ...]]]
_Sites = tuple[dict[str, SourceLoc], _Chains]  # (site, (call chain, frame values)) per path


class _ModuleHooks:
    """Records every module call of one forward: a pre-hook opens its record, a post-hook closes it."""

    def __init__(self, recorder: Recorder, sites: dict[str, SourceLoc], chains: _Chains) -> None:
        self.recorder = recorder
        self.sites = sites
        self.chains = chains
        self.pending: dict[int, dict[str, Any]] = {}
        self.open_calls: list[int] = []
        self.call_counts: dict[str, int] = {}

    def pre_hook(self, path: str) -> Callable[[nn.Module, tuple, dict], None]:
        def hook(mod: nn.Module, args: tuple, kwargs: dict) -> None:
            order = len(self.pending)
            flat = tensors_in((args, kwargs))
            own = list(mod.parameters(recurse=False))
            self.pending[order] = {
                "order": order,
                "path": path,
                "type_name": type(mod).__name__,
                "call_index": self.call_counts.get(path, 0),
                "in_shapes": tuple(shape_of(t) for t in flat),
                "out_shapes": (),
                "num_params": sum(p.numel() for p in own),
                "num_trainable": sum(p.numel() for p in own if p.requires_grad),
                "hparams": make_attrs(module_hparams(mod)),
                "first_op": len(self.recorder.ops),
                "end_op": len(self.recorder.ops),
                "source": self.sites.get(path),
                "chain": self.chains.get(path, ((), ()))[0],
                "frames": self.chains.get(path, ((), ()))[1],
            }
            self.call_counts[path] = self.call_counts.get(path, 0) + 1
            self.open_calls.append(order)
            self.recorder.stack.append(path)

        return hook

    def post_hook(self, mod: nn.Module, args: tuple, kwargs: dict, output: Any) -> None:
        order = self.open_calls.pop()
        self.recorder.stack.pop()
        flat = tensors_in(output)
        self.pending[order]["out_shapes"] = tuple(shape_of(t) for t in flat)
        self.pending[order]["end_op"] = len(self.recorder.ops)

    def attach(self, model: nn.Module) -> list[RemovableHandle]:
        handles = []
        for path, module in model.named_modules():
            if path:
                handles.append(module.register_forward_pre_hook(self.pre_hook(path), with_kwargs=True))
                handles.append(module.register_forward_hook(self.post_hook, with_kwargs=True))
        return handles

    def calls(self) -> tuple[ModuleCall, ...]:
        """Every call in the order it began; calls a crash left open end at the last op."""
        for order in self.open_calls:
            self.pending[order]["end_op"] = len(self.recorder.ops)
        return tuple(ModuleCall(**self.pending[k]) for k in sorted(self.pending))


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


def _run(model: nn.Module, shape: Shape, device: str, sites: _Sites, *, meta_failed: bool = False) -> _Run:
    recorder = Recorder(_param_names(model))
    hooks = _ModuleHooks(recorder, *sites)
    handles = hooks.attach(model)
    x = torch.zeros(shape, device=device) if device != "meta" else torch.empty(shape, device="meta")
    recorder.producer[id(x)] = INPUT_ID
    recorder.stop = sys._getframe(0)
    error: BaseException | None = None
    output: Any = None
    try:
        # FlopCount (a dispatch mode, torch's formulas) sees the aten ops each recorded call lowers
        # to, so the recorder attributes every MAC to the op that caused it, name-independently.
        with torch.no_grad(), FlopCount() as flops, recorder:
            recorder.flops = flops
            with model_output():  # the model's prints must not reach the report on stdout
                output = model(x)
    except (Exception, SystemExit) as exc:  # the candidate's own bug: recorded, never re-raised
        error = exc  # (SystemExit too: a sys.exit() in forward must not end the run with its code)
    finally:
        for h in handles:
            h.remove()
    return _Run(recorder, hooks.calls(), output, error, model, device, meta_failed)


def _looks_meta_specific(exc: BaseException) -> bool:
    text = f"{type(exc).__name__}: {exc}".lower()
    return isinstance(exc, NotImplementedError) or "meta" in text or "data-dependent" in text


def _param_infos(model: nn.Module) -> tuple[ParamInfo, ...]:
    infos: dict[int, ParamInfo] = {}
    for is_buffer, items in (
        (False, model.named_parameters(remove_duplicate=False)),
        (True, model.named_buffers(remove_duplicate=False)),
    ):
        for name, t in items:
            if id(t) in infos:
                old = infos[id(t)]
                infos[id(t)] = ParamInfo(
                    old.name, old.shape, old.numel, old.trainable, old.is_buffer, (*old.aliases, name)
                )
            else:
                infos[id(t)] = ParamInfo(
                    name, shape_of(t), t.numel(), bool(t.requires_grad) and not is_buffer, is_buffer
                )
    return tuple(infos.values())


def _prepared(copied: nn.Module) -> nn.Module:
    """A copy ready to trace: reparametrizations folded, eval mode set without calling a user's
    ``train()``/``eval()`` (whose return value or signature may not be nn.Module's)."""
    strip_reparametrizations(copied)
    set_training(copied, False)
    return copied


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
    return (
        "torch._dynamo" not in sys.modules
        and _numel(shape) <= CPU_TRACE_MAX_INPUT
        and sum(t.numel() for t in tensors) <= CPU_TRACE_MAX_TENSORS
    )


def _cpu_copy(model: nn.Module) -> nn.Module:
    real = copy_model(model)
    nn.Module.to(real, "cpu")  # never a user's `to` override, which may return None
    return real


def _traced_run(
    model: nn.Module,
    shape: Shape,
    *,
    owned: bool,
    real_fallback_max_elements: int,
    device: str,
    sites: _Sites | None = None,
) -> _Run:
    """A forward of a CPU copy when that is the cheaper (above), else of a meta copy, retried on
    real CPU tensors when it failed for meta's own reasons. ``sites``: of the model the user built,
    when ``model`` is a copy of it (copies are unrecorded)."""
    sites = sites or (module_sites(model), module_chains(model))
    if _on_cpu(model, shape, device):  # a failure here is the model's own: CPU is the real thing
        return _run(_prepared(model if owned else _cpu_copy(model)), shape, "cpu", sites)
    meta = all(t.device.type == "meta" for t in (*model.parameters(), *model.buffers()))
    copied = _prepared(model if owned and meta else _meta_copy(model))  # owned: eval mode too
    run = _run(copied, shape, "meta", sites)
    if run.error is None or not _looks_meta_specific(run.error) or _numel(shape) > real_fallback_max_elements:
        return run
    retried = _run(_prepared(_cpu_copy(model)), shape, "cpu", sites, meta_failed=True)
    return retried if retried.error is None or not _looks_meta_specific(retried.error) else run


_MAX_REPAIRS = 8  # rounds of width repairs: each is one more forward of the copy


def _next_repairs(model: nn.Module, run: _Run, sites: _Sites, done: tuple[Repair, ...]) -> tuple[Repair, ...]:
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
    ``auto`` picks the cheaper (see ``CPU_TRACE_MAX_INPUT``). The trace is the same either way.
    Wrappers (DataParallel, ``torch.compile``) are traced as the model they wrap.
    """
    shape = normalize_input_shape(input_shape)
    if any(cls.__module__.split(".", 1)[0] == "keras" for cls in type(model).__mro__):
        from resnet_verify.tracing.keras_layers import trace_keras  # Keras layers, not torch ops

        return trace_keras(model, shape)
    model = unwrap(model)
    if device not in ("auto", "meta", "cpu"):
        raise ValueError(f"device must be auto, meta or cpu, not {device!r}")
    first = _traced_run(
        model, shape, owned=owned, real_fallback_max_elements=real_fallback_max_elements, device=device
    )
    run, repairs = _repaired(
        model, shape, first, real_fallback_max_elements=real_fallback_max_elements, device=device
    )
    crash = (
        crash_record(
            run.recorder.failed, tuple(run.recorder.stack), run.error, run.calls, len(run.recorder.ops), shape
        )
        if run.error is not None
        else None
    )
    chosen = select_output(run.output, output_key) if crash is None else None
    output_shape = shape_of(chosen) if chosen is not None else None
    ops = tuple(run.recorder.ops)
    params = as_written(_param_infos(run.model), repairs)
    structure = find_structure(ops, params, shape, tuple(run.recorder.stack) if crash is not None else ())
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
        regularizers=find_regularizers(run.model, run.calls, ops, structure),
        repairs=repairs,
    )
