"""The tracer's op recorder: every counted op of a meta forward as an :class:`OpRecord`.

Dataflow edges come from tensor identity (``id``): every produced tensor is kept alive in ``keep``
until the trace ends, so an id is never recycled while the table is in use. MACs per op are the
difference of :class:`~resnet_verify.tracing.flop_mode.FlopCount`'s running total around the call (torch's
formulas, not ours).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import FrameType
from typing import Any

import torch

from resnet_verify.specs.sources import user_frame
from resnet_verify.tracing import opkinds
from resnet_verify.tracing.buffer_values import MAX_VALUES
from resnet_verify.tracing.constants import CONSTRUCTORS, constant_text
from resnet_verify.tracing.crashes import FailedOp, real_message
from resnet_verify.tracing.custom_grad import custom_backward
from resnet_verify.tracing.flop_mode import FlopCount
from resnet_verify.tracing.fused import split_fused
from resnet_verify.tracing.normalize import join_steps
from resnet_verify.tracing.op_args import PIECES, piece_bounds, step_name
from resnet_verify.tracing.op_counter import OpCounter
from resnet_verify.tracing.records import CONST_ID, OpRecord, Shape, make_attrs


def shape_of(t: Any) -> Shape:
    return tuple(int(s) for s in t.shape)


@dataclass(slots=True)
class _Read:
    producers: list[int] = field(default_factory=list)
    in_shapes: list[Shape] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    chains: list[tuple[str, ...]] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)  # small buffers' values read as stored (or laid out)


_LOW_PRECISION = frozenset({torch.float16, torch.bfloat16})
_PERMUTES = frozenset({"permute", "transpose", "transpose_", "movedim", "moveaxis", "swapaxes", "swapdims"})
_CASTS = frozenset({"to", "float", "double", "half", "bfloat16", "type", "type_as"})
_AUTOCAST = frozenset({"matmul", "bmm", "mm", "addmm", "baddbmm", "einsum"})  # beside convs and Linears


def _precision(
    kind: opkinds.OpKind, name: str, inputs: list[torch.Tensor], outs: list[torch.Tensor]
) -> dict[str, str]:
    """Where an op computes in 16 bits: under CPU autocast a conv, Linear or matmul on float32 (read from
    autocast's state, so a meta trace, where autocast does nothing, records it too), else an output
    cast down (``x.to(torch.bfloat16)``, ``.half()``). Float64 tensors autocast leaves alone."""
    lowered = kind in (opkinds.OpKind.CONV, opkinds.OpKind.LINEAR) or name in _AUTOCAST
    if torch.is_autocast_enabled("cpu"):
        if lowered and any(t.dtype == torch.float32 for t in inputs):
            return {"autocast": str(torch.get_autocast_dtype("cpu")).removeprefix("torch.")}
        return {}
    if outs and outs[0].dtype in _LOW_PRECISION:
        return {"dtype": str(outs[0].dtype).removeprefix("torch.")}
    return {}


class Recorder(OpCounter):
    def __init__(self, param_names: dict[int, str], values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.param_names = param_names
        self.values = values or {}  # small constant buffers' values, by name (``buffer_values``)
        self.stop: FrameType | None = None  # the tracer's own frame: user code lies below it
        self.producer: dict[int, int] = {}
        self.keep: list[torch.Tensor] = []
        self.ops: list[OpRecord] = []
        self.stack: list[str] = []
        self.failed: FailedOp | None = None
        # Tensors computed from parameters alone (a standardized conv weight, a frozen BN's scale):
        # tensor id -> (the parameter it comes from, the ops that computed it). Such ops are not on the
        # data path, so they are not recorded as ops; the op that reads the tensor carries their names.
        self.derived: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.permuted: dict[int, str] = {}  # derived tensors whose axes a permute moved (``_reordered``)
        self.split: set[int] = set()  # derived tensors a view made by splitting an axis (``_reordered``)
        self.flops: FlopCount | None = None  # active under this mode while the forward runs
        self.flops_before = 0  # the count when the current op started (modes do not nest)
        self.function_calls: dict[object, list[int]] = {}  # a custom Function call's ctx -> its op ids (held)
        self.consts: dict[int, str] = {}  # small constant tensors the forward made -> their values

    def _flops_so_far(self) -> int:
        return self.flops.total if self.flops is not None else 0

    def call(
        self, name: str, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
        inputs: list[torch.Tensor], caller: FrameType,
    ) -> Any:  # fmt: skip
        self.flops_before = self._flops_so_far()
        try:
            out = meta_batch_norm(args, kwargs) if name == "batch_norm" else None
            return func(*args, **kwargs) if out is None else out
        except Exception:
            if self.failed is None:
                data = [t for t in inputs if id(t) not in self.param_names]
                self.failed = FailedOp(
                    name,
                    tuple(shape_of(t) for t in data),
                    tuple(self.stack),
                    user_frame(caller, stop=self.stop),
                    tuple(self.producer.get(id(t), CONST_ID) for t in data),
                    real_message(func, args, kwargs),
                )
            raise

    def record(
        self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        inputs: list[torch.Tensor], outs: list[torch.Tensor], caller: FrameType,
    ) -> None:  # fmt: skip
        if name == "__setitem__" and not (len(args) > 2 and id(args[2]) in self.producer):
            return  # a constant or a parameter written into a region (a pad's border values): no data moves
        if self._constant(name, args, inputs, outs):
            return
        if name in _CASTS and outs and inputs and outs[0] is inputs[0]:
            return  # x.float() on a float32 x, type_as a tensor of its dtype: x itself, nothing computed
        read = self._read(inputs)
        producers, in_shapes, params, chains = read.producers, read.in_shapes, read.params, read.chains
        if params and all(p == CONST_ID for p in producers):
            self._derive(name, args, kwargs, read, outs, inputs)
            return
        try:
            kind, attrs = opkinds.classify(name, tuple(args), kwargs, len(producers))
        except Exception:  # an unusual call signature must never break the trace
            kind, attrs = opkinds.OpKind.OTHER, {"function": name}
        steps = join_steps(tuple(dict.fromkeys(op for c in chains for op in c)))
        if not set(steps) <= opkinds.LAYOUT_NAMES:  # a parameter computed in forward: how, so that a
            attrs = {**attrs, "param_ops": "→".join(steps)}  # difference in it is seen (``W.T``,
            # ``W.view(o, -1)`` are the stored weight laid out otherwise, not computed)
        if (function := custom_backward(caller)) is not None:
            attrs = {**attrs, "custom_backward": function[0]}
        attrs = {**attrs, **_precision(kind, name, inputs, outs)}
        if read.constants and (kind in _ARITHMETIC or _fixed_filter(kind, read)):
            attrs = {**attrs, "values": "; ".join(read.constants)}
        op = OpRecord(
            id=len(self.ops),
            name=name,
            kind=kind,
            module_path=self.stack[-1] if self.stack else "",
            module_stack=tuple(self.stack),
            inputs=tuple(producers),
            in_shapes=tuple(in_shapes),
            out_shape=shape_of(outs[0]),
            params=tuple(params),
            attrs=make_attrs(attrs),
            inplace=opkinds.is_inplace(name, kwargs),
            source=user_frame(caller, stop=self.stop),
            macs=(self._flops_so_far() - self.flops_before) // 2,
        )
        start = len(self.ops)
        self._append(op, attrs, kwargs, outs, in_shapes)
        if function is not None:  # every op this call recorded belongs to the Function's call
            self.function_calls.setdefault(function[1], []).extend(range(start, len(self.ops)))

    def _append(
        self, op: OpRecord, attrs: dict[str, Any], kwargs: dict[str, Any], outs: list[torch.Tensor],
        in_shapes: list[Shape],
    ) -> None:  # fmt: skip
        """The op recorded: a fused op as the ops it fuses, a chunk's pieces as one slice op each."""
        fused = split_fused(op, kwargs)
        if fused is not None:
            self.ops.extend(fused)
            self._produced(outs[:1], op.inplace)
            return
        pieces = (
            piece_bounds(in_shapes[0], [shape_of(t) for t in outs])
            if op.name in PIECES and in_shapes
            else None
        )
        for i, t in enumerate(outs):
            if pieces is not None or i == 0:
                bounds = {"bounds": pieces[i]} if pieces is not None else {}
                self.ops.append(replace(op, id=len(self.ops), out_shape=shape_of(t),
                                        attrs=make_attrs({**attrs, **bounds})))  # fmt: skip
            self._produced([t], False)
        if outs and op.inplace:
            self._write_through(outs[0], len(self.ops) - 1)

    def _derive(
        self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], read: _Read, outs: list[torch.Tensor],
        inputs: list[torch.Tensor],
    ) -> None:  # fmt: skip
        """Outputs computed from parameters alone: a derived parameter, not a data-path op. Its steps:
        every branch's, in order; a step that reads the whole weight as it is (``w[:c_out, :c_in]`` at
        the full width, an elastic net at its largest setting) computes nothing."""
        whole = _layout_step(name, args, kwargs)
        merged = self._reordered(name, args, inputs, outs) if whole else None
        chain = (
            *dict.fromkeys(op for c in read.chains for op in c),
            *(() if whole and merged is None else (merged or step_name(name, args, kwargs),)),
        )
        for t in outs:
            self.derived[id(t)] = (tuple(read.params), chain)
            self.keep.append(t)

    def _reordered(
        self, name: str, args: tuple[Any, ...], inputs: list[torch.Tensor], outs: list[torch.Tensor]
    ) -> str | None:
        """A kernel's axes permuted and then merged (``w.permute(0, 2, 3, 1).reshape(out, -1)``, TF's HWIO
        order flattened), or split and then permuted (a flat product viewed in HWIO order), puts each
        weight at another tap: a step, where ``w.view(out, -1)`` and a permute
        alone (a kernel stored in another layout, read back by a conv) are the weight laid out otherwise."""
        first = inputs[0] if inputs else None
        if first is None or not outs:
            return None
        if name in _PERMUTES and first.dim() >= 3:
            if first.is_contiguous() and outs[0].squeeze().is_contiguous():
                return None  # only axes of size 1 moved (a 1x1 kernel's): every weight keeps its place
            if id(first) in self.split:  # ``(u @ v).view(o, k, k, i).permute(0, 3, 1, 2)``: other taps
                return f"{name}{tuple(a for a in args[1:] if not isinstance(a, torch.Tensor))}"
            for t in outs:
                self.permuted[id(t)] = (
                    f"{name}{tuple(a for a in args[1:] if not isinstance(a, torch.Tensor))}"
                )
            return None
        if name not in _PERMUTES and outs[0].squeeze().dim() > first.squeeze().dim():
            for t in outs:  # an axis split (a flat product viewed as a kernel): a permute now moves taps
                self.split.add(id(t))
        moved = self.permuted.get(id(first))
        if moved is None:
            return None
        if outs[0].dim() < first.dim():
            return moved
        for t in outs:
            self.permuted[id(t)] = moved
        return None

    def _produced(self, outs: list[torch.Tensor], inplace: bool) -> None:
        """The last recorded op produced ``outs`` (an in-place one wrote through into its base)."""
        for t in outs:
            self.producer[id(t)] = len(self.ops) - 1
            self.keep.append(t)
        if outs and inplace:
            self._write_through(outs[0], len(self.ops) - 1)

    def _constant(
        self, name: str, args: tuple[Any, ...], inputs: list[torch.Tensor], outs: list[torch.Tensor]
    ) -> bool:
        """A small tensor made from Python numbers (``torch.as_tensor(mean)`` in torchvision's
        ``Normalize``), or computed from such tensors alone: a constant like a small buffer, its values
        carried to the ops that read it, no op of the data path."""
        if not outs or any(t.numel() > MAX_VALUES for t in outs):
            return False
        if inputs and not all(id(t) in self.consts for t in inputs):
            return False
        if not inputs and name not in CONSTRUCTORS:
            return False
        text = constant_text(name, args) if not inputs else ""
        if inputs and name in opkinds.LAYOUT_NAMES | {"clone", "to", "float", "double", "contiguous"}:
            text = self.consts[id(inputs[0])]
        for t in outs:
            self.consts[id(t)] = text
            self.keep.append(t)
        return True

    def _read(self, inputs: list[torch.Tensor]) -> _Read:
        """What an op's tensor inputs are: data (their producers), parameters, derived parameters."""
        read = _Read()
        for t in inputs:
            if id(t) in self.consts:  # a constant the model made (``_constant``)
                if self.consts[id(t)]:
                    read.constants.append(self.consts[id(t)])
                continue
            pname = self.param_names.get(id(t))
            derived = self.derived.get(id(t))
            if derived is not None:  # every parameter it was computed from is used by this op
                names, chain = derived
                read.chains.append(chain)
                read.params.extend(n for n in names if n not in read.params)
                if len(names) == 1 and set(chain) <= opkinds.LAYOUT_NAMES and names[0] in self.values:
                    read.constants.append(self.values[names[0]])
            elif pname is not None:
                read.params.append(pname)
                if pname in self.values:
                    read.constants.append(self.values[pname])
            else:
                read.producers.append(self.producer.get(id(t), CONST_ID))
                read.in_shapes.append(shape_of(t))
        return read

    def _write_through(self, written: torch.Tensor, op_id: int) -> None:
        """An in-place op on a view writes into its base (``out[:, :c] += identity``): what reads the
        base from here on reads this op's result."""
        base = getattr(written, "_base", None)
        if isinstance(base, torch.Tensor):
            self.producer[id(base)] = op_id
            self.keep.append(base)


def _layout_step(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    try:
        return opkinds.classify(name, tuple(args), kwargs, 1)[0] is opkinds.OpKind.RESHAPE
    except Exception:  # an unusual call signature is a step like any other
        return False


# Ops whose constant operand is a value a user chose (``x - mean``); a conv's or a norm's tensors are
# weights and statistics, never compared by value, except a conv's that are all small constant buffers.
_ARITHMETIC = frozenset({opkinds.OpKind.OTHER, opkinds.OpKind.ADD, opkinds.OpKind.MUL})


def _fixed_filter(kind: opkinds.OpKind, read: _Read) -> bool:
    """A conv every tensor of which is a small constant buffer: a filter the user wrote down (a blur's
    [1, 2, 1], a pre-emphasis [-0.97, 1], a Sobel kernel), whose taps are the design."""
    return kind is opkinds.OpKind.CONV and len(read.constants) == len(read.params) > 0


def meta_batch_norm(args: tuple, kwargs: dict) -> torch.Tensor | None:
    """Shape-only batch norm for meta inputs, with the checks torch's kernel makes.

    torch's meta batch_norm is a Python decomposition costing ~1.2 ms a call: 85% of a resnet50
    trace. The output shape is the input's, so only the argument checks are worth keeping.
    """
    x = args[0] if args else kwargs.get("input")
    if not isinstance(x, torch.Tensor) or x.device.type != "meta" or x.dim() < 2:
        return None
    names = ("running_mean", "running_var", "weight", "bias")
    for i, key in enumerate(names, start=1):
        t = kwargs.get(key, args[i] if len(args) > i else None)
        if t is not None and (t.dim() != 1 or t.shape[0] != x.shape[1]):
            raise RuntimeError(f"{key} should contain {x.shape[1]} elements not {t.numel()}")
    training = kwargs.get("training", args[5] if len(args) > 5 else False)
    if training and x.numel() // x.shape[1] <= 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {list(x.shape)}"
        )
    return torch.empty_like(x)
