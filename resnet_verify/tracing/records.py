"""Frozen records that flow through build -> trace -> align -> diff -> explain -> render.

Every stage of the pipeline produces one of these and never mutates what it received. Hyper-parameter
maps are stored as sorted ``(name, value)`` tuples so the records stay hashable and serialise without
custom encoders; use :func:`attr_dict` to read them.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from resnet_verify.specs.frame_values import FrameValues
from resnet_verify.specs.sources import SourceLoc
from resnet_verify.tracing.repairs import Repair

Shape = tuple[int, ...]
Attrs = tuple[tuple[str, Any], ...]

INPUT_ID = -1
"""Producer id of the model's input tensor in :attr:`OpRecord.inputs`."""
CONST_ID = -2
"""Producer id of a tensor that no recorded op produced (a plain attribute, a captured constant)."""


def format_shape(shape: tuple[int, ...] | list[int] | None, none: str = "none") -> str:
    """``(1, 64, 56, 56)`` -> ``1x64x56x56``: the one spelling of a shape in messages and reports."""
    if shape is None:
        return none
    return "x".join(str(s) for s in shape) or "()"


def attr_dict(attrs: Attrs) -> dict[str, Any]:
    return dict(attrs)


def make_attrs(mapping: dict[str, Any]) -> Attrs:
    return tuple(sorted((k, _canonical_number(v) if type(v) in _ROUNDED else v) for k, v in mapping.items()))


_ROUNDED = (float, tuple)


def _canonical_number(value: Any) -> Any:
    """A float to 6 significant digits, float32's precision: 1e-5 read back through float32
    (9.999999747378752e-06, as ONNX and MMdnn give it) or Haiku's momentum 1 - 0.9 is the constant
    the other side wrote, in one spelling."""
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.6g}")
    if isinstance(value, tuple) and any(type(v) is float for v in value):
        return tuple(_canonical_number(v) for v in value)
    return value


def readers(ops: Sequence[OpRecord]) -> dict[int, list[int]]:
    """Op id -> the ids of the ops that read its output, in order (the dataflow's successors)."""
    out: dict[int, list[int]] = {}
    for op in ops:
        for i in op.inputs:
            out.setdefault(i, []).append(op.id)
    return out


class OpKind(str, enum.Enum):
    """Canonical kind of a functional op; many torch spellings map onto one kind."""

    CONV = "conv"
    BATCH_NORM = "batch_norm"
    NORM = "norm"  # group/layer/instance norm
    RELU = "relu"
    ACTIVATION = "activation"  # any non-ReLU nonlinearity
    ADD = "add"
    MUL = "mul"
    MAX_POOL = "max_pool"
    AVG_POOL = "avg_pool"
    GLOBAL_POOL = "global_pool"  # adaptive pool to 1x1 or a mean over H, W
    ADAPTIVE_POOL = "adaptive_pool"  # adaptive pool to anything but 1x1
    FLATTEN = "flatten"
    RESHAPE = "reshape"
    LINEAR = "linear"
    CAT = "cat"
    PAD = "pad"
    SLICE = "slice"
    DROPOUT = "dropout"
    OTHER = "other"


# Ops that change neither values nor the meaning of the computation; alignment skips them so that
# `torch.flatten` vs `x.view(n, -1)` vs nothing-at-all (after a mean) never reads as a difference.
LAYOUT_KINDS = frozenset({OpKind.FLATTEN, OpKind.RESHAPE, OpKind.DROPOUT})


@dataclass(frozen=True, slots=True)
class OpRecord:
    """One functional op executed during the forward (a node of the dataflow graph)."""

    id: int
    name: str  # torch spelling: "conv2d", "relu", "__iadd__", "max_pool2d" ...
    kind: OpKind
    module_path: str  # innermost module whose forward ran the op ("" = the root module)
    module_stack: tuple[str, ...]  # outermost first, root excluded
    inputs: tuple[int, ...]  # producer op ids of the tensor inputs; INPUT_ID for the model input
    in_shapes: tuple[Shape, ...]
    out_shape: Shape | None
    params: tuple[str, ...]  # qualified names of parameters/buffers the op consumed
    attrs: Attrs = ()
    inplace: bool = False
    source: SourceLoc | None = None
    macs: int = 0  # multiply-accumulates torch's FLOP formulas counted inside this call (FLOPs / 2)


@dataclass(frozen=True, slots=True)
class ModuleCall:
    """One call of one module (a module called twice gives two records)."""

    order: int  # position among all module calls, by start
    path: str
    type_name: str
    call_index: int  # 0 for the first call of this module, 1 for the second ...
    in_shapes: tuple[Shape, ...]
    out_shapes: tuple[Shape, ...]
    num_params: int  # own parameters (not recursing into children)
    num_trainable: int
    hparams: Attrs
    first_op: int  # op ids [first_op, end_op) ran inside this call
    end_op: int
    source: SourceLoc | None = None
    # the user-code calls that built the module, innermost (``source``) first; () when unrecorded
    chain: tuple[SourceLoc, ...] = ()
    frames: tuple[FrameValues, ...] = ()  # the plain values each frame of ``chain`` held


@dataclass(frozen=True, slots=True)
class ParamInfo:
    name: str  # first qualified name; aliases hold the others for shared tensors
    shape: Shape
    numel: int
    trainable: bool
    is_buffer: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Crash:
    """Where a forward failed. The trace keeps every op that ran before."""

    module_path: str
    op_name: str | None
    in_shapes: tuple[Shape, ...]
    error_type: str
    message: str
    ops_before: int
    source: SourceLoc | None = None  # the user's line that made the failing call
    module_type: str = ""  # the failing module's class ("Linear"); "" for the root forward
    input_ops: tuple[int, ...] = ()  # op ids that produced the failing call's tensor inputs


class BlockKind(str, enum.Enum):
    RESIDUAL = "residual"  # two paths merged by an addition
    PLAIN = "plain"  # convolutions between residual blocks with no merge (e.g. a lost shortcut)
    # a cross-stage partial stage's own ops (its split or its concat and transition: CSPNet), which
    # are the stage's, not a block's (tracing/cross_stage.py)
    CROSS_STAGE = "cross_stage"
    # a stage's own downsampling layer between its blocks (ConvNeXt's norm + 2x2 stride-2 conv): one
    # conv that changes the map, no add, no block
    TRANSITION = "transition"


# Units that are a stage's own layers, not blocks: they pair with their kind only and count in no stage.
STAGE_OWN = frozenset({BlockKind.CROSS_STAGE, BlockKind.TRANSITION})


@dataclass(frozen=True, slots=True)
class Block:
    index: int
    kind: BlockKind
    path: str  # common module prefix of the block's ops ("layer3.0", "stage4.0" ...)
    fork_op: int  # producer of the block input (INPUT_ID if the block starts at the model input)
    merge_op: int | None  # the add that joins both paths (None for PLAIN)
    main: tuple[int, ...]  # op ids on the longer path (the one with more convolutions)
    shortcut: tuple[int, ...]  # op ids on the other path; () for an identity shortcut
    tail: tuple[int, ...]  # ops after the merge that belong to this block (the final ReLU)
    in_shape: Shape
    out_shape: Shape
    params: tuple[str, ...]
    num_params: int
    # indices of the blocks whose adds lie on this block's paths: a skip over whole blocks (RCAN's
    # residual groups), whose paths keep only its own ops (tracing/structure.py)
    held: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Stage:
    index: int
    path: str
    blocks: tuple[int, ...]  # block indices
    in_shape: Shape
    out_shape: Shape
    num_params: int


@dataclass(frozen=True, slots=True)
class Structure:
    stem: tuple[int, ...]  # op ids before the first block
    blocks: tuple[Block, ...]
    stages: tuple[Stage, ...]
    head: tuple[int, ...]  # op ids after the last block
    stem_params: int
    head_params: int
    stem_out_shape: Shape | None
    stem_path: str
    head_path: str
    # ops of the unit a crashed forward was inside when it failed: in neither stem, block nor head
    partial: tuple[int, ...] = ()


class RegularizerKind(str, enum.Enum):
    """A layer that only acts in training mode: an eval-mode forward cannot see what it does."""

    DROPOUT = "dropout"
    CHANNEL_DROPOUT = "channel_dropout"  # Dropout1d/2d/3d: whole feature maps (spatial dropout)
    DROP_PATH = "drop_path"  # stochastic depth: a residual branch dropped per sample
    DROP_BLOCK = "drop_block"
    ALPHA_DROPOUT = "alpha_dropout"
    # other computation behind ``if self.training:`` (MixStyle, a hand-written augmentation layer)
    TRAINING_ONLY = "training_only"
    # a BatchNorm the model's own train() keeps in eval mode: running statistics, never batch ones
    EVAL_IN_TRAINING = "eval_in_training"
    # buffers a training forward writes (a power iteration's vectors, a moving average): the layer's
    # state after training differs (tracing/state_updates.py); ``calls`` holds the buffers' names
    STATE_UPDATE = "state_update"


class Part(str, enum.Enum):
    """Which part of the network a regularizer sits in (MODEL: no residual structure to place it)."""

    STEM = "stem"
    BLOCK = "block"
    HEAD = "head"
    MODEL = "model"


@dataclass(frozen=True, slots=True)
class Regularizer:
    """One train-mode regularizer the forward ran through, module or functional call, with p > 0."""

    kind: RegularizerKind
    p: float
    path: str  # the module's path; for a functional call, the module whose forward made it
    spelling: str  # "Dropout", "DropPath", "StochasticDepth" ... or the torch function ("dropout")
    functional: bool
    part: Part
    block: int | None  # Structure.blocks index when part is BLOCK
    position: int  # op index it sits before: orders regularizers along the forward
    op: int | None = None  # the functional call's op id
    source: SourceLoc | None = None
    # a training-mode branch's torch calls in order (its own computation, gradient stops included):
    # two MixStyles that differ only in a detach compute the same forward
    calls: tuple[str, ...] = ()
    in_eval: bool = False  # it drops in the eval forward too (MC dropout, F.dropout's default flag)
    # a drop path's unit, where the module says it: "batch" (torchvision's StochasticDepth(mode="batch"):
    # one draw keeps or drops the branch for the whole batch); "" each sample on its own
    unit: str = ""


@dataclass(frozen=True, slots=True)
class GradOff:
    """A stretch of the forward the user ran with gradients off (``tracing/grad_mode.py``): ops
    ``first`` to ``end - 1`` produce tensors nothing learns through."""

    first: int
    end: int
    path: str  # the module whose forward was running when it began ("" = the root's)
    spelling: str  # "torch.no_grad()", "torch.inference_mode()" ...
    source: SourceLoc | None = None  # the ``with`` line, or the decorated function's


@dataclass(frozen=True, slots=True)
class Trace:
    model_type: str
    input_shape: Shape
    ops: tuple[OpRecord, ...]
    modules: tuple[ModuleCall, ...]
    params: tuple[ParamInfo, ...]
    output_shape: Shape | None
    crash: Crash | None
    structure: Structure
    device: str = "meta"  # where the forward ran: "meta", "cpu" or "keras" (tracer.py says when)
    meta_failed: bool = False  # "cpu" because the forward could not run on meta tensors
    output_is_tensor: bool = True
    # ops whose results the forward also returns besides the prediction (an auxiliary classifier)
    side_outputs: tuple[int, ...] = ()
    regularizers: tuple[Regularizer, ...] = ()  # train-mode layers (tracing/regularizers.py)
    repairs: tuple[Repair, ...] = ()  # bools read as ints on the traced copy after a crash (repairs.py)
    output_op: int | None = None  # the op that made the prediction (None: not recorded, e.g. Keras)
    grad_off: tuple[GradOff, ...] = ()  # where the user's forward turned gradients off
    # the ops that made every other tensor the forward returns, in the order returned (-1: no op made it):
    # features returned beside the prediction, whose place a refactor must keep (verify/returned_taps.py)
    taps: tuple[int, ...] = ()

    @property
    def total_params(self) -> int:
        return sum(p.numel for p in self.params if not p.is_buffer)

    @property
    def trainable_params(self) -> int:
        return sum(p.numel for p in self.params if p.trainable and not p.is_buffer)

    # Jupyter shows the shape report (resnet_verify._display says why it is looked up by name)
    def _repr_html_(self) -> str:
        from resnet_verify._display import html

        return html(self)

    def _repr_markdown_(self) -> str:
        from resnet_verify._display import markdown

        return markdown(self)

    def __repr__(self) -> str:
        from resnet_verify._display import one_line

        return one_line(self)

    def op(self, op_id: int) -> OpRecord:
        return self.ops[op_id]
