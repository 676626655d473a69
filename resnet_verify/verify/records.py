"""Records of the verify stage: typed mismatches, findings and the comparison that carries them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from resnet_verify.tracing.records import OpKind, Shape, SourceLoc, Trace
from resnet_verify.verify.classes import ClassesFrom


class MismatchKind(str, enum.Enum):
    MISSING = "missing"
    EXTRA = "extra"
    SHAPE = "shape"
    PARAMS = "params"
    ATTRIBUTE = "attribute"
    OP = "op"
    CRASH = "crash"
    NUMERIC = "numeric"
    REPAIR = "repair"  # a crash repaired on the traced copy (a bool read as an int): the model still fails
    REGULARIZER = "regularizer"  # a train-mode layer (dropout, drop path ...) differs: eval hides it


@dataclass(frozen=True, slots=True)
class BlockPair:
    """One column of the block alignment; either side may be absent (missing / extra block)."""

    reference: int | None
    candidate: int | None
    stage: int  # reference stage index (candidate's stage for extra blocks)


class Region(str, enum.Enum):
    """Where in the network a mismatch sits; detectors key on this, never on message text."""

    STEM = "stem"
    MAIN = "main"  # a residual block's main path
    SHORTCUT = "shortcut"
    TAIL = "tail"  # after a block's residual add (the final ReLU)
    BLOCK = "block"  # a whole block: missing, extra, or its residual add
    HEAD = "head"
    MODEL = "model"  # the model as a whole: output shape, unused parameters, a crash, numerics


@dataclass(frozen=True, slots=True)
class Mismatch:
    kind: MismatchKind
    reference_path: str | None  # the reference's module names
    candidate_path: str | None  # the candidate's own names
    field: str | None  # the attribute (stride, eps ...), or "op", "block", "params", "output_shape"
    expected: Any
    actual: Any
    message: str  # for people only: no code outside the renderers reads it
    source: SourceLoc | None = None
    region: Region | None = None
    op_kind: OpKind | None = None  # the reference op's kind, else the candidate op's
    block: BlockPair | None = None  # the aligned block pair it belongs to (None outside blocks)
    reference_op: int | None = None  # op ids in the reference / candidate traces
    candidate_op: int | None = None
    cause: int | None = None  # index of the mismatch this one follows from (a bias -> a params delta)
    # the layer's own construction line when ``source`` is the call above it that chose the value
    layer_source: SourceLoc | None = None
    # indices into Trace.regularizers of the two sides, for REGULARIZER mismatches
    reference_regularizer: int | None = None
    candidate_regularizer: int | None = None


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
    DEEP_STEM = "resnet_c_deep_stem"
    AVG_DOWN = "resnet_d_avg_pool_shortcut"
    KERAS_STEM = "keras_stem"
    KERAS_POOL_PADDING = "keras_pool_padding"  # a pool unpadded because the other side is Keras ('valid')
    SAME_PADDING = "tf_same_padding"
    SQUEEZE_EXCITATION = "squeeze_excitation"
    CARDINALITY = "grouped_conv"  # groups on the block's k x k conv differ (ResNeXt / depthwise)
    ACTIVATION = "activation_function"  # SiLU / GELU / LeakyReLU ... where the other side has ReLU
    BLUR_POOL = "blur_pool"  # a fixed depthwise low-pass filter at a stride (moved onto it, or just before)
    DOWNSAMPLING_MOVED = "downsampling_moved"  # described: another op of the unit carries its stride
    MULTI_SCALE = "multi_scale_block"  # the middle conv cut into channel groups (Res2Net's hierarchy)
    BRANCH_ATTENTION = "branch_attention"  # selective kernel / split attention: softmax over branches
    ECA = "efficient_channel_attention"  # a 1-D conv across pooled channels gates them (ECA-Net)
    CHANNEL_GATE = "channel_gate"  # described: pool ... sigmoid ... multiply, neither SE nor ECA
    OUTPUT_STRIDE = "dilated_output_stride"
    FIRST_STAGE_STRIDE = "first_stage_downsampling"
    OUTPUT_SOFTMAX = "softmax_output"
    NOT_RESIDUAL = "not_a_residual_network"
    RESIDUAL_ADD_MISSING = "residual_add_missing"  # every block lost its add, on either side
    CIFAR_RESNET = "cifar_resnet_family"
    OPTION_A_SHORTCUT = "option_a_shortcut"
    WIDTHS = "widths"
    CLASS_COUNT = "hard_coded_class_count"
    BN_FOLDED = "batchnorm_folded"
    STAGE_END_STRIDE = "stage_end_downsampling"
    PRE_ACTIVATION_STEM = "pre_activation_stem"
    CONV_CLASSIFIER = "conv_classifier"
    REPEATED = "repeated_in_blocks"
    DESCRIBED = "described_difference"  # described: several differences in one unit, no variant named
    BOOL_ARGUMENT = "bool_argument"  # crash cause: padding=True, repaired to trace past it
    # crash causes (verify/crash_causes): the first two are repaired to trace past them
    LINEAR_WIDTH = "linear_in_features"
    CONV_IN_CHANNELS = "conv_in_channels"
    HARD_CODED_VIEW = "hard_coded_view_size"
    POOL_TOO_LARGE = "pool_larger_than_feature_map"
    INPUT_SIZE_ASSERT = "input_size_assert"
    FIXED_DEVICE = "fixed_device_tensor"
    WEIGHT_STANDARDIZATION = "weight_standardization"
    PARAM_OPS = "parameters_computed_in_forward"  # described: a weight transform that is not a known one
    NORMALIZATION = "normalization_layer"  # GroupNorm / LayerNorm / frozen BN ... where the other has BN
    AXIS_STRIDE = "axis_stride"  # a stride that differs on some axes only (a 3-D net's time axis)
    FACTORISED_CONV = "factorised_conv"  # a kxkxk conv written as (1xkxk, kx1x1): (2+1)-D, or 1xk + kx1
    INPUT_DIMENSIONALITY = "input_dimensionality"  # a 2-D network given a 3-D input, or the reverse
    INPUT_CHANNELS = "input_channels"  # a grayscale (or multispectral) first conv: each side fed its own
    EXTRA_MODULE = "extra_module_in_blocks"  # described, not named: a sub-module the other side lacks
    DROPOUT = "dropout"  # dropout, channel (spatial) dropout, alpha dropout
    STOCHASTIC_DEPTH = "stochastic_depth"
    DROP_BLOCK = "drop_block"
    # a stage's blocks run on part of its channels, the rest concatenated back after them (CSPNet)
    CROSS_STAGE_PARTIAL = "cross_stage_partial"


# Findings that say what differs and where without naming a variant (one place to ask "is this a
# name?": reports, the corpus judge and the benchmarks count names and descriptions apart).
DESCRIPTIONS: frozenset[Pattern] = frozenset({
    Pattern.REPEATED, Pattern.DESCRIBED, Pattern.EXTRA_MODULE, Pattern.DOWNSAMPLING_MOVED,
    Pattern.CHANNEL_GATE, Pattern.PARAM_OPS,
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    pattern: Pattern
    title: str
    message: str
    locations: tuple[str, ...]  # reference paths
    mismatches: tuple[int, ...]  # indices into Comparison.mismatches explained by this finding
    suggestion: str | None = None
    source: SourceLoc | None = None
    # A verdict is about the whole model ("not a residual network of this kind"): it claims every
    # mismatch, and no other detector runs after it.
    verdict: bool = False


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
    # Cost and view (tracing.metrics): MACs of the row's ops; receptive field and effective stride
    # of its output in input pixels. None where a side has no such part or it is unknown.
    reference_macs: int | None = None
    candidate_macs: int | None = None
    reference_receptive_field: int | None = None
    candidate_receptive_field: int | None = None
    reference_stride: int | None = None
    candidate_stride: int | None = None
    # per spatial axis (a 3-D network's time axis differs): None where unknown
    reference_receptive_field_axes: tuple[int, ...] | None = None
    candidate_receptive_field_axes: tuple[int, ...] | None = None
    reference_stride_axes: tuple[int, ...] | None = None
    candidate_stride_axes: tuple[int, ...] | None = None


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
    classes_from: ClassesFrom = ClassesFrom.GIVEN  # num_classes asked for, or read off the head

    @property
    def ok(self) -> bool:
        return not self.mismatches

    @property
    def unexplained(self) -> tuple[int, ...]:
        """Indices of the mismatches no finding claims, in order."""
        claimed = {i for f in self.findings for i in f.mismatches}
        return tuple(i for i in range(len(self.mismatches)) if i not in claimed)

    @property
    def root_causes(self) -> int:
        """The headline count: one per finding, plus each unexplained mismatch that is no other
        mismatch's consequence."""
        loose = sum(1 for i in self.unexplained if self.mismatches[i].cause is None)
        return len(self.findings) + loose

    # Jupyter shows the report (resnet_verify._display says why it is looked up by name)
    def _repr_html_(self) -> str:
        from resnet_verify._display import html

        return html(self)

    def _repr_markdown_(self) -> str:
        from resnet_verify._display import markdown

        return markdown(self)

    def __repr__(self) -> str:
        from resnet_verify._display import one_line

        return one_line(self)
