"""Frozen records that flow through build -> trace -> align -> diff -> explain -> render.

Every stage of the pipeline produces one of these and never mutates what it received. Hyper-parameter
maps are stored as sorted ``(name, value)`` tuples so the records stay hashable and serialise without
custom encoders; use :func:`attr_dict` to read them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

Shape = tuple[int, ...]
Attrs = tuple[tuple[str, Any], ...]

INPUT_ID = -1
"""Producer id of the model's input tensor in :attr:`OpRecord.inputs`."""
CONST_ID = -2
"""Producer id of a tensor that no recorded op produced (a plain attribute, a captured constant)."""


def attr_dict(attrs: Attrs) -> dict[str, Any]:
    return dict(attrs)


def make_attrs(mapping: dict[str, Any]) -> Attrs:
    return tuple(sorted(mapping.items()))


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
class SourceLoc:
    """Where user code built a module or called an op. ``exact`` is False for class-level guesses."""

    file: str
    line: int
    exact: bool = True

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


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


class BlockKind(str, enum.Enum):
    RESIDUAL = "residual"  # two paths merged by an addition
    PLAIN = "plain"  # convolutions between residual blocks with no merge (e.g. a lost shortcut)


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
    device: str = "meta"  # "meta", or "cpu" when the model needed real tensors
    output_is_tensor: bool = True

    @property
    def total_params(self) -> int:
        return sum(p.numel for p in self.params if not p.is_buffer)

    @property
    def trainable_params(self) -> int:
        return sum(p.numel for p in self.params if p.trainable and not p.is_buffer)

    def op(self, op_id: int) -> OpRecord:
        return self.ops[op_id]

    def param_numel(self, names: tuple[str, ...] | list[str]) -> int:
        """Values in the named parameters (buffers count 0; shared tensors once)."""
        table = _numel_tables.get(id(self.params))
        if table is None or table[0] is not self.params:
            table = (self.params, {p.name: 0 if p.is_buffer else p.numel for p in self.params})
            _numel_tables[id(self.params)] = table
            if len(_numel_tables) > 64:
                _numel_tables.pop(next(iter(_numel_tables)))
        return sum(table[1].get(n, 0) for n in set(names))


# Derived lookup tables of traces, keyed by the identity of their (immutable) params tuple; the
# stored tuple guards against a recycled id. Bounded: old entries are dropped past 64.
_numel_tables: dict[int, tuple[tuple[ParamInfo, ...], dict[str, int]]] = {}


class MismatchKind(str, enum.Enum):
    MISSING = "missing"
    EXTRA = "extra"
    SHAPE = "shape"
    PARAMS = "params"
    ATTRIBUTE = "attribute"
    OP = "op"
    CRASH = "crash"
    NUMERIC = "numeric"


@dataclass(frozen=True, slots=True)
class Mismatch:
    kind: MismatchKind
    reference_path: str | None  # torchvision module names
    candidate_path: str | None  # the candidate's own names
    field: str | None
    expected: Any
    actual: Any
    message: str
    source: SourceLoc | None = None


class Pattern(str, enum.Enum):
    V1_STRIDE = "resnet_v1_stride"
    CIFAR_STEM = "cifar_stem"
    KERAS_BATCHNORM = "keras_batchnorm"
    FIXED_HEAD = "fixed_size_head"
    BIAS_BEFORE_BN = "conv_bias_before_bn"
    PROJECTION_WITHOUT_BN = "projection_without_bn"
    PRE_ACTIVATION = "pre_activation"
    GROUPED_1X1 = "grouped_1x1"
    BLOCK_COUNTS = "block_counts"


@dataclass(frozen=True, slots=True)
class Finding:
    pattern: Pattern
    title: str
    message: str
    locations: tuple[str, ...]  # reference paths
    mismatches: tuple[int, ...]  # indices into Comparison.mismatches explained by this finding
    suggestion: str | None = None
    source: SourceLoc | None = None


@dataclass(frozen=True, slots=True)
class StageRow:
    """One row of the stage table: stem, layer1 ... layerN, head."""

    name: str  # reference naming: "stem", "layer1" ..., "head"
    reference_path: str
    candidate_path: str | None
    reference_shape: Shape | None
    candidate_shape: Shape | None
    reference_params: int
    candidate_params: int | None
    reference_blocks: int
    candidate_blocks: int
    ok: bool


@dataclass(frozen=True, slots=True)
class BlockPair:
    """One column of the block alignment; either side may be absent (missing / extra block)."""

    reference: int | None
    candidate: int | None
    stage: int  # reference stage index (candidate's stage for extra blocks)


@dataclass(frozen=True, slots=True)
class Comparison:
    reference_name: str
    candidate_name: str
    input_shape: Shape
    num_classes: int
    reference: Trace
    candidate: Trace
    blocks: tuple[BlockPair, ...]
    stages: tuple[StageRow, ...]
    mismatches: tuple[Mismatch, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.mismatches
