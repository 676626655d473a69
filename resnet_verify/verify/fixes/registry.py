"""The fix writers, in the order their fixes are applied and verified.

Crash causes come first (their fixes change what the rest of the model is traced as), then the
fixes that move or replace arguments, then the ones that only add or flip one: where two fixes
touch one call, the later one's edit lands after the earlier one's (``padding=1, stride=s,
bias=False``), and an edit that overlaps another's waits for the next run.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from resnet_verify.verify.fixes import (
    batchnorm,
    bool_argument,
    class_count,
    conv_bias,
    conv_channels,
    head,
    layer_arguments,
    linear_width,
    stride,
)
from resnet_verify.verify.fixes.context import Writer
from resnet_verify.verify.records import Pattern

WRITERS: Mapping[Pattern, Writer] = MappingProxyType(
    {
        Pattern.BOOL_ARGUMENT: bool_argument.write,
        Pattern.LINEAR_WIDTH: linear_width.write,
        Pattern.CONV_IN_CHANNELS: conv_channels.write,
        Pattern.V1_STRIDE: stride.write,
        Pattern.FIXED_HEAD: head.write,
        Pattern.CLASS_COUNT: class_count.write,
        Pattern.KERAS_BATCHNORM: batchnorm.write,
        Pattern.BIAS_BEFORE_BN: conv_bias.write,
        # last: descriptions, whose layers' arguments are set as the reference's
        Pattern.REPEATED: layer_arguments.write,
        Pattern.DESCRIBED: layer_arguments.write,
    }
)


def order(pattern: Pattern, writers: Mapping[Pattern, Writer] = WRITERS) -> int:
    """Where ``pattern``'s fix goes among the others (patterns without a writer last)."""
    keys = list(writers)
    return keys.index(pattern) if pattern in writers else len(keys)


__all__ = ["WRITERS", "order"]
