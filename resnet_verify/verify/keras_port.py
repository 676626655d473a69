"""Keras -> PyTorch weight port, verified against the Keras model itself.

The Keras model and the PyTorch target are traced in one vocabulary (Keras layers become conv /
batch_norm / linear records with PyTorch-layout shapes), aligned by structure and paired by
:func:`~resnet_verify.verify.pairing.pair_parameters`, so layer names never matter. Each paired
tensor is converted: conv kernels HWIO -> OIHW, Dense kernels transposed (rows reordered from
Keras' (H, W, C) flatten order to PyTorch's (C, H, W) when the Dense reads a flattened feature
map), BN gamma / beta / moving mean / moving variance -> weight / bias / running_mean /
running_var. The filled copy must then reproduce the Keras model on the same random input (NCHW
for PyTorch, NHWC for Keras) block by block; otherwise nothing is returned and the message names
the first divergent block.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.tracing.keras_layers import param_names, run_keras
from resnet_verify.tracing.records import Block, OpKind, Trace
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.equivalence import DEFAULT_ATOL, DEFAULT_RTOL
from resnet_verify.verify.execution import run_capturing, tensor_error
from resnet_verify.verify.pairing import pair_parameters
from resnet_verify.verify.weights import candidate_copy

KERAS_WEIGHT_SUFFIXES = (".weights.h5", ".h5", ".keras")


@dataclass(frozen=True, slots=True, eq=False)
class KerasPortResult:
    """``state_dict`` is None whenever ``ok`` is False; ``message`` says why, in one line."""

    state_dict: dict[str, torch.Tensor] | None
    ok: bool
    message: str
    block_errors: tuple[tuple[str, str, float, float], ...] = ()  # keras block, torch block, abs, rel
    output_max_abs: float | None = None
    output_rel: float | None = None
    seconds: float = 0.0


def load_keras_source(
    spec: str, weights: str | None, *, num_classes: int, input_size: tuple[int, int, int]
) -> nn.Module:
    """The Keras model to port from: ``spec`` (keras:NAME, FILE.py:CALLABLE) with ``weights``
    (``.weights.h5``) loaded, or the model a ``.keras`` file holds (its own architecture)."""
    from resnet_verify.specs.builders import build_model
    from resnet_verify.specs.keras_specs import checked_keras_model, import_keras, is_keras_model

    if weights is not None and not Path(weights).is_file():
        raise UsageError(f"--weights {weights}: file not found")
    if weights is not None and not weights.endswith(KERAS_WEIGHT_SUFFIXES):
        raise UsageError(f"--weights {weights}: a Keras source needs a .weights.h5 or .keras file")
    keras = import_keras()
    if weights is not None and weights.endswith(".keras"):
        try:
            model = keras.saving.load_model(weights, compile=False)
        except Exception as exc:  # keras raises many types for a bad archive
            raise UsageError(
                f"--weights {weights}: cannot load the Keras model ({type(exc).__name__}: {exc})"
            ) from None
        return checked_keras_model(model, weights)
    model, name = build_model(spec, num_classes=num_classes, input_size=input_size)
    if not is_keras_model(model):
        raise UsageError(f"--from {spec}: {name} is not a Keras model")
    if weights is not None:
        try:
            getattr(model, "load_weights")(weights)  # a Keras model's, not torch's  # noqa: B009
        except Exception as exc:
            raise UsageError(
                f"--weights {weights}: does not fit {name} ({type(exc).__name__}: {exc})"
            ) from None
    return model


def randomize_keras_batchnorm(model: Any, *, seed: int) -> None:
    """Non-identity BN statistics and affine parameters, so that a moved or missing BN shows."""
    gen = torch.Generator().manual_seed(seed + 7919)
    for layer, var in param_names(model).values():
        if type(layer).__name__ != "BatchNormalization":
            continue
        n = tuple(var.shape)
        values = {
            "moving_mean": torch.randn(n, generator=gen) * 0.1,
            "moving_variance": torch.rand(n, generator=gen) * 0.4 + 0.8,
            "gamma": torch.rand(n, generator=gen) * 0.4 + 0.8,
            "beta": torch.randn(n, generator=gen) * 0.1,
        }
        if var.name in values:
            var.assign(values[var.name].to(var.value.device))


def _converted(ktrace: Trace, pname: str, layer: Any, var: Any) -> torch.Tensor:
    value = var.value.detach().to("cpu", torch.float32)
    kind = type(layer).__name__
    if var.name == "kernel" and value.dim() == 4 and kind != "DepthwiseConv2D":
        return value.permute(3, 2, 0, 1).contiguous()  # HWIO -> OIHW
    if var.name == "kernel" and value.dim() == 2:
        op = next((o for o in ktrace.ops if pname in o.params), None)
        src = ktrace.ops[op.inputs[0]] if op is not None and op.inputs and op.inputs[0] >= 0 else None
        if src is not None and src.kind is OpKind.FLATTEN and src.in_shapes and len(src.in_shapes[0]) == 4:
            _, c, h, w = src.in_shapes[0]
            if h * w > 1:  # Keras flattens (H, W, C), PyTorch (C, H, W)
                value = value.reshape(h, w, c, -1).permute(2, 0, 1, 3).reshape(c * h * w, -1)
        return value.t().contiguous()
    return value.contiguous()


def _block_end(block: Block) -> int:
    if block.tail:
        return block.tail[-1]
    return block.merge_op if block.merge_op is not None else block.main[-1]


def _refuse(message: str, started: float) -> KerasPortResult:
    return KerasPortResult(None, False, message, seconds=time.perf_counter() - started)


def port_from_keras(
    source: Any,
    candidate: nn.Module,
    *,
    input_size: tuple[int, int, int],
    num_classes: int,
    seed: int = 0,
    batch: int = 2,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> KerasPortResult:
    """Port the Keras model ``source``'s weights into a copy of ``candidate``, verified."""
    started = time.perf_counter()
    shape = (1, *input_size)
    ktrace, ctrace = trace(source, shape), trace(candidate, shape)
    for who, t in (("the Keras model", ktrace), ("the target", ctrace)):
        if t.crash is not None:
            return _refuse(f"cannot port: {who}'s forward failed in {t.crash.module_path or 'the model'} "
                           f"({t.crash.error_type}: {t.crash.message})", started)  # fmt: skip
    comparison = compare_traces(
        ktrace,
        ctrace,
        reference_name="keras",
        candidate_name=type(candidate).__name__,
        num_classes=num_classes,
    )
    mapping = pair_parameters(comparison)
    if not mapping.complete:
        return _refuse(f"cannot port: parameters cannot be paired one to one: {mapping.reason}", started)
    variables = param_names(source)
    filled = candidate_copy(candidate)
    state = {k: v.detach().clone() for k, v in filled.state_dict().items()}
    for kname, cname in mapping.pairs:
        layer, var = variables[kname]
        value = _converted(ktrace, kname, layer, var)
        if cname not in state or tuple(state[cname].shape) != tuple(value.shape):
            return _refuse(f"cannot port: {kname} {list(value.shape)} does not fit {cname}", started)
        state[cname] = value.to(state[cname].dtype)
    for cname in mapping.zero_candidate:
        state[cname] = torch.zeros_like(state[cname])
    filled.load_state_dict(state, strict=True)
    return _verify(
        source,
        filled.eval(),
        comparison,
        state,
        seed=seed,
        batch=batch,
        atol=atol,
        rtol=rtol,
        started=started,
    )


def _verify(
    source: Any, filled: nn.Module, comparison: Any, state: dict[str, torch.Tensor], *,
    seed: int, batch: int, atol: float, rtol: float, started: float,
) -> KerasPortResult:  # fmt: skip
    ktrace, ctrace = comparison.reference, comparison.candidate
    points = []
    for bp in comparison.blocks:
        if bp.reference is not None and bp.candidate is not None:
            kb, cb = ktrace.structure.blocks[bp.reference], ctrace.structure.blocks[bp.candidate]
            points.append((kb.path or f"block {kb.index}", cb.path, _block_end(kb), _block_end(cb)))
    x = torch.randn((batch, *ktrace.input_shape[1:]), generator=torch.Generator().manual_seed(seed))
    recorder, k_out, error = run_keras(source, x, frozenset(p[2] for p in points))
    if error is not None or not isinstance(k_out, torch.Tensor):
        return _refuse(f"cannot verify: the Keras forward failed ({type(error).__name__}: {error})", started)
    c_out, capture = run_capturing(filled, x, {p[3] for p in points})
    if capture.names != [op.name for op in ctrace.ops] or len(recorder.ops) != len(ktrace.ops):
        points = []  # control flow differs from the trace: compare final outputs only
    errors = []
    for klabel, cpath, ko, co in points:
        max_abs, rel, ok, why = tensor_error(recorder.captured[ko].cpu(), capture.captured[co], atol, rtol)
        errors.append((klabel, cpath, max_abs, rel))
        if not ok:
            detail = why or f"max abs error {max_abs:.3g}, rel {rel:.3g}"
            return KerasPortResult(None, False, f"refused: block {klabel} (target {cpath or '?'}) diverges "
                                   f"from the Keras model ({detail}); every earlier block matches",
                                   tuple(errors), seconds=time.perf_counter() - started)  # fmt: skip
    max_abs, rel, ok, why = tensor_error(k_out.detach().cpu(), c_out, atol, rtol)
    seconds = time.perf_counter() - started
    if not ok:
        return KerasPortResult(None, False, f"refused: the output diverges from the Keras model "
                               f"({why or f'max abs error {max_abs:.3g}, rel {rel:.3g}'})",
                               tuple(errors), max_abs, rel, seconds)  # fmt: skip
    rel_text = f"{rel:.2g}" if math.isfinite(rel) else "inf"
    message = (f"ported {len(state)} tensors from the Keras model into {type(filled).__name__}; outputs "
               f"match (max abs error {max_abs:.2g}, rel {rel_text}, {len(errors)} blocks checked)")  # fmt: skip
    return KerasPortResult(state, True, message, tuple(errors), max_abs, rel, seconds)


__all__ = [
    "KERAS_WEIGHT_SUFFIXES",
    "KerasPortResult",
    "load_keras_source",
    "port_from_keras",
    "randomize_keras_batchnorm",
]
