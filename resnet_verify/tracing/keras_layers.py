"""Trace a Keras 3 model (torch backend) layer by layer, in the trace's own (PyTorch) vocabulary.

Decisions:
- On the torch backend every Keras layer is an ``nn.Module`` and its ``__call__`` runs through
  ``nn.Module.__call__``, so *global* module hooks see every layer call, nested models included.
  The torch ops inside a layer are not what the user wrote (BatchNormalization is a handful of
  elementwise ops on NHWC tensors, convs come wrapped in permutes), so each known layer becomes
  one record built from its configuration: Conv2D -> conv, BatchNormalization -> batch_norm ...
- Keras cannot run on meta tensors, so this is one real forward of zeros on the device of the
  model's variables (a 64 px ResNet50 forward costs well under a second on CPU).
- Shapes are reported NCHW, kernels OIHW, Dense weights (out, in), Keras' BN momentum m as
  PyTorch's 1 - m, ``padding="same"`` as explicit padding (4 values when TF pads asymmetrically).
- ``ZeroPadding2D`` folds into the conv / pool that consumes it when that is the same function
  (``padfold.folded_padding``, the rule the torch trace folds ``F.pad`` by): before a conv or an
  average pool, or before a max pool whose input is a ReLU output (zeros never win a max over
  non-negative values, just like PyTorch's -inf padding); one-sided padding folds as four numbers.
- Torch calls *between* layers (``x + y`` in a subclassed model's ``call``) are recorded through a
  ``TorchFunctionMode`` with :func:`opkinds.classify`, as the torch tracer records them.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from resnet_verify.specs.sources import SourceLoc, site_of, user_frame
from resnet_verify.tracing import keras_vocab, opkinds
from resnet_verify.tracing.padfold import folded_padding
from resnet_verify.tracing.records import (
    CONST_ID,
    INPUT_ID,
    Crash,
    ModuleCall,
    OpKind,
    OpRecord,
    ParamInfo,
    Shape,
    Trace,
    make_attrs,
)
from resnet_verify.tracing.structure import find_structure

_OUTSIDE_KINDS = frozenset({OpKind.ADD, OpKind.MUL, OpKind.RELU, OpKind.ACTIVATION, OpKind.CAT})
_HAS_MACS = "macs" in OpRecord.__dataclass_fields__


def is_keras_model(model: object) -> bool:
    return any((cls.__module__ or "").split(".", 1)[0] == "keras" for cls in type(model).__mro__)


def _layer_paths(root: Any) -> dict[int, str]:
    paths: dict[int, str] = {}

    def walk(layer: Any, prefix: str) -> None:
        for child in layer._flatten_layers(include_self=False, recursive=False):
            if id(child) in paths:
                continue
            path = f"{prefix}.{child.name}" if prefix else child.name
            paths[id(child)] = path
            walk(child, path)

    walk(root, "")
    return paths


def _tensors(obj: Any) -> list[torch.Tensor]:
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for item in obj for t in _tensors(item)]
    if isinstance(obj, dict):
        return [t for item in obj.values() for t in _tensors(item)]
    return []


@dataclass(frozen=True, slots=True)
class _Pad:
    """A ZeroPadding2D output not yet emitted: it may fold into its consumer."""

    source: int
    in_shape: Shape
    out_shape: Shape
    pad: tuple[int, int, int, int]  # top, bottom, left, right
    path: str
    stack: tuple[str, ...]
    site: SourceLoc | None


class _Recorder(TorchFunctionMode):
    def __init__(self, root: Any, capture: frozenset[int]) -> None:
        super().__init__()
        self.root = root
        self.capture = capture
        self.captured: dict[int, torch.Tensor] = {}
        self.paths = _layer_paths(root)
        self.ops: list[OpRecord] = []
        self.producer: dict[int, int] = {}
        self.pads: dict[int, _Pad] = {}
        self.keep: list[torch.Tensor] = []
        self.stack: list[str] = []
        self.open: list[tuple[int, bool, list[torch.Tensor]]] = []
        self.calls: dict[int, dict[str, Any]] = {}
        self.leaf_depth = 0
        self.stop: Any = None
        self.failed: tuple[str, tuple[Shape, ...], str, SourceLoc | None] | None = None

    # ---- torch ops between layers ---------------------------------------------------------------
    def __torch_function__(
        self, func: Any, types: Any, args: tuple = (), kwargs: dict[str, Any] | None = None
    ) -> Any:
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if self.leaf_depth or not self.open:
            return out
        name = getattr(func, "__name__", str(func))
        tensors = [t for t in _tensors((args, kwargs)) if id(t) in self.producer or id(t) in self.pads]
        outs = _tensors(out)
        if not tensors or not outs or name in opkinds.IGNORED:
            return out
        try:
            kind, attrs = opkinds.classify(name, tuple(args), kwargs, len(tensors))
        except Exception:  # an unusual call signature must never break the trace
            return out
        if kind in _OUTSIDE_KINDS:
            site = user_frame(sys._getframe(1), stop=self.stop)
            self.emit(name, kind, attrs, tensors, outs[0], (), site=site)
        elif kind in (OpKind.RESHAPE, OpKind.DROPOUT) and len(tensors) == 1:
            self.alias(outs[0], tensors[0])
        return out

    # ---- records ----------------------------------------------------------------------------------
    def alias(self, out: torch.Tensor, src: torch.Tensor) -> None:
        """``out`` carries the same values as ``src`` (an identity layer, a linear activation)."""
        if id(src) in self.pads:
            self.pads[id(out)] = self.pads[id(src)]
        else:
            self.producer[id(out)] = self.producer.get(id(src), CONST_ID)
        self.keep.append(out)

    def source_of(self, t: torch.Tensor) -> tuple[int, Shape]:
        pad = self.pads.get(id(t))
        if pad is not None:  # consumed by something it cannot fold into: it becomes a pad op
            top, bottom, left, right = pad.pad
            op_id = self._append(
                "ZeroPadding2D", OpKind.PAD, {"pad": (left, right, top, bottom)}, (pad.source,),
                (pad.in_shape,), pad.out_shape, (), pad.path, pad.stack, pad.site,
            )  # fmt: skip
            for key in [k for k, v in self.pads.items() if v is pad]:
                del self.pads[key]
                self.producer[key] = op_id
        return self.producer.get(id(t), CONST_ID), keras_vocab.nchw(tuple(t.shape))

    def emit(
        self,
        name: str,
        kind: OpKind,
        attrs: dict[str, Any],
        inputs: list[torch.Tensor],
        out: torch.Tensor,
        params: tuple[str, ...],
        *,
        site: SourceLoc | None,
        macs: int = 0,
        folded: tuple[int, Shape] | None = None,
    ) -> int:
        sources = [folded] if folded is not None else [self.source_of(t) for t in inputs]
        path = self.stack[-1] if self.stack else ""
        op_id = self._append(
            name, kind, attrs, tuple(s for s, _ in sources), tuple(s for _, s in sources),
            keras_vocab.nchw(tuple(out.shape)), params, path, tuple(self.stack), site, macs,
        )  # fmt: skip
        self.producer[id(out)] = op_id
        self.keep.append(out)
        if op_id in self.capture:
            self.captured[op_id] = keras_vocab.to_nchw(out.detach()).clone()
        return op_id

    def _append(
        self, name: str, kind: OpKind, attrs: dict[str, Any], inputs: tuple[int, ...],
        in_shapes: tuple[Shape, ...], out_shape: Shape, params: tuple[str, ...], path: str,
        stack: tuple[str, ...], site: SourceLoc | None, macs: int = 0,
    ) -> int:  # fmt: skip
        extra: dict[str, Any] = {"macs": macs} if _HAS_MACS else {}
        op = OpRecord(
            id=len(self.ops), name=name, kind=kind, module_path=path, module_stack=stack,
            inputs=inputs, in_shapes=in_shapes, out_shape=out_shape, params=params,
            attrs=make_attrs(attrs), source=site, **extra,
        )  # fmt: skip
        self.ops.append(op)
        return op.id

    def fold_pad(self, t: torch.Tensor, kind: OpKind, attrs: dict[str, Any]) -> tuple[int, Shape] | None:
        """Fold a pending ZeroPadding2D into a conv / pool's padding (``attrs``) when equivalent;
        returns the padding's own input (producer, shape), which the conv / pool then reads."""
        pad = self.pads.get(id(t))
        if pad is None:
            return None
        padding = folded_padding(pad.pad, kind, attrs, self._relu_output(pad.source))
        if padding is None:
            return None
        attrs["padding"] = padding
        if kind is OpKind.AVG_POOL:
            attrs["count_include_pad"] = True
        return pad.source, pad.in_shape

    def _relu_output(self, op_id: int) -> bool:
        return op_id >= 0 and self.ops[op_id].kind is OpKind.RELU

    # ---- layer calls --------------------------------------------------------------------------
    def pre(self, layer: Any, args: tuple) -> None:
        if layer is self.root or self.leaf_depth or not _is_layer(layer):
            if self.leaf_depth and _is_layer(layer):
                self.leaf_depth += 1
            return
        leaf = keras_vocab.is_leaf(layer)
        path = self.paths.get(id(layer), layer.name)
        order = len(self.calls)
        inputs = _tensors(args)
        own = [v for v in layer.weights] if leaf else []
        self.calls[order] = {
            "order": order, "path": path, "type_name": type(layer).__name__,
            "call_index": sum(1 for c in self.calls.values() if c["path"] == path),
            "in_shapes": tuple(keras_vocab.nchw(tuple(t.shape)) for t in inputs), "out_shapes": (),
            "num_params": sum(math.prod(v.shape) for v in own if v.trainable),
            "num_trainable": sum(math.prod(v.shape) for v in own if v.trainable),
            "hparams": (), "first_op": len(self.ops), "end_op": len(self.ops), "source": site_of(layer),
        }  # fmt: skip
        self.open.append((order, leaf, inputs))
        self.stack.append(path)
        if leaf:
            self.leaf_depth = 1

    def post(self, layer: Any, output: Any) -> None:
        if layer is self.root or not _is_layer(layer):
            return
        if self.leaf_depth > 1:
            self.leaf_depth -= 1
            return
        order, leaf, inputs = self.open.pop()
        outs = _tensors(output)
        call = self.calls[order]
        if leaf:
            self.leaf_depth = 0
            if outs:
                keras_vocab.record_layer(self, layer, inputs, outs[0], call["source"])
        self.stack.pop()
        call["out_shapes"] = tuple(keras_vocab.nchw(tuple(t.shape)) for t in outs)
        call["end_op"] = len(self.ops)


def _is_layer(module: nn.Module) -> bool:
    return is_keras_model(module) and hasattr(module, "_flatten_layers")


def _param_infos(root: Any, paths: dict[int, str]) -> tuple[ParamInfo, ...]:
    infos: dict[str, ParamInfo] = {}
    for layer in root._flatten_layers(include_self=False, recursive=True):
        if not keras_vocab.is_leaf(layer):
            continue
        path = paths.get(id(layer), layer.name)
        for var in layer.weights:
            name = f"{path}.{var.name}"
            shape = keras_vocab.torch_shape(layer, var.name, tuple(int(s) for s in var.shape))
            buffer = var.name in keras_vocab.BN_STATISTICS
            infos.setdefault(
                name, ParamInfo(name, shape, math.prod(shape), bool(var.trainable) and not buffer, buffer)
            )
    return tuple(infos.values())


def param_names(root: Any) -> dict[str, tuple[Any, Any]]:
    """``{trace parameter name: (layer, keras variable)}``: the names :func:`trace_keras` uses."""
    paths = _layer_paths(root)
    out: dict[str, tuple[Any, Any]] = {}
    for layer in root._flatten_layers(include_self=False, recursive=True):
        if keras_vocab.is_leaf(layer):
            for var in layer.weights:
                out.setdefault(f"{paths.get(id(layer), layer.name)}.{var.name}", (layer, var))
    return out


def run_keras(
    model: Any, x_nchw: torch.Tensor, capture: frozenset[int] = frozenset()
) -> tuple[_Recorder, Any, BaseException | None]:
    """One recorded forward of ``model`` on ``x_nchw`` (given NCHW, fed channels-last)."""
    recorder = _Recorder(model, capture)
    device = next((v.value.device for v in model.weights), torch.device("cpu"))
    x = keras_vocab.to_keras_layout(x_nchw).to(device)
    recorder.producer[id(x)] = INPUT_ID
    pre = nn.modules.module.register_module_forward_pre_hook(lambda m, a: recorder.pre(m, a))
    post = nn.modules.module.register_module_forward_hook(lambda m, a, o: recorder.post(m, o))
    recorder.stop = sys._getframe(0)
    error: BaseException | None = None
    output: Any = None
    try:
        with torch.no_grad(), recorder:
            output = model(x, training=False)
    except (Exception, SystemExit) as exc:  # the candidate's own bug: recorded, never re-raised
        error = exc
    finally:
        pre.remove()
        post.remove()
    return recorder, output, error


def trace_keras(model: Any, input_shape: Shape) -> Trace:
    """Trace a Keras model at NCHW ``input_shape`` with one real forward (see the module doc)."""
    recorder, output, error = run_keras(model, torch.zeros(input_shape))
    crash = None
    if error is not None:
        path = recorder.stack[-1] if recorder.stack else ""
        text = str(error).strip()
        crash = Crash(
            module_path=path,
            op_name=recorder.calls[recorder.open[-1][0]]["type_name"] if recorder.open else None,
            in_shapes=tuple(recorder.calls[recorder.open[-1][0]]["in_shapes"]) if recorder.open else (),
            error_type=type(error).__name__,
            message=text.splitlines()[0] if text else type(error).__name__,
            ops_before=len(recorder.ops),
            source=recorder.calls[recorder.open[-1][0]]["source"] if recorder.open else None,
        )
    for order, _, _ in recorder.open:
        recorder.calls[order]["end_op"] = len(recorder.ops)
    outs = _tensors(output)
    ops = tuple(recorder.ops)
    params = _param_infos(model, recorder.paths)
    structure = keras_vocab.named_structure(find_structure(ops, params, input_shape), ops)
    return Trace(
        model_type=type(model).__name__,
        input_shape=input_shape,
        ops=ops,
        modules=tuple(ModuleCall(**recorder.calls[k]) for k in sorted(recorder.calls)),
        params=params,
        output_shape=keras_vocab.nchw(tuple(outs[0].shape)) if outs and crash is None else None,
        crash=crash,
        structure=structure,
        device="keras",
        output_is_tensor=isinstance(output, torch.Tensor) or crash is not None,
    )


__all__ = ["is_keras_model", "param_names", "run_keras", "trace_keras"]
