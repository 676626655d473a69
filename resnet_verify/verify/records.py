"""Records of the verify stage: typed mismatches, findings and the comparison that carries them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from resnet_verify.tracing.records import Shape, SourceLoc, Trace


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
