"""One spelling per concept: the canonical passes the recorded ops go through, in order.

A straight-through estimator written with detach read as the custom gradient it is; weight products (matmul, einsum, im2col) read as the layers they compute, a conv's bias added by hand as
its bias, a conv's weight scaled per channel and its output divided by the same scale (QAT's ConvBn) the conv (a deformable conv's zero
fills part of it, and a mean over an unfolded window is the average pool); channels-last shapes read
channels-first (a Linear on NHWC is a 1x1 conv, a 1x1 conv over flattened positions the map's own); a pool of one element is a strided slice or the
identity, a negative pad a crop, a dilation along a one-tap axis none; a space-to-depth read by a 1x1
conv the patch conv it computes; a strided slice read by a 1x1 conv is its stride; zero pads folded
into the conv / pool reading them (a causal 1-D conv's left pad or chomp too), or dropped where no
pool window reads them; a mean over rows read before the Linear it follows, a mean over frames and
partial means joined into the global pool; a frozen BatchNorm's arithmetic, Caffe's BatchNorm +
Scale, a division by a vector's own norm (F.normalize), hand-written norms, GroupSort, swish, PReLU and ReLU
as the one op each computes; ops that commute in one order; an average of n predictions, a sum over
a stack of two (the add), a scaled sum and a Linear written as a 1x1 conv on a vector (or inside a
channel gate) as one op each; an einsum that is a batched matmul as
the matmul; a scalar factor on a product of two tensors (before or after it) as
the product's own scale; the log of a softmax as the log_softmax it is.
Every pass keeps op ids: kinds, attributes and how shapes are read change, and an op that becomes
part of another (layout) may leave the one that absorbed it reading its input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from resnet_verify.tracing.averages import join_averages
from resnet_verify.tracing.blocked_pools import blocked_pools, blocked_repeats
from resnet_verify.tracing.bn_scale import join_bn_scale
from resnet_verify.tracing.canonical import (
    join_hard_swish,
    join_norm_modules,
    join_partial_pools,
    join_relu,
    join_swish,
)
from resnet_verify.tracing.chomp import fold_causal_padding
from resnet_verify.tracing.commute import (
    avg_pool_before_1x1,
    relu_before_max_pool,
    slice_before_activation,
    upsample_before_1x1,
)
from resnet_verify.tracing.constant_operands import constant_operands
from resnet_verify.tracing.conv_bias import fold_conv_bias
from resnet_verify.tracing.crops import crops_as_slices
from resnet_verify.tracing.einsum_matmul import einsums_as_matmuls
from resnet_verify.tracing.flat_pointwise import flat_pointwise
from resnet_verify.tracing.frame_means import frame_mean_into_pool, mean_before_linear
from resnet_verify.tracing.fresh_stats import fresh_statistics
from resnet_verify.tracing.frozen_bn import join_frozen_bn
from resnet_verify.tracing.layout import channels_first
from resnet_verify.tracing.log_softmax import join_log_softmax
from resnet_verify.tracing.normalize import join_normalize
from resnet_verify.tracing.output_scaled_conv import scaled_outputs_as_weights
from resnet_verify.tracing.pad_ratio import pad_ratio_pools
from resnet_verify.tracing.padfold import drop_unread_pads, fold_pads
from resnet_verify.tracing.product_scales import scales_into_products
from resnet_verify.tracing.products import deform_fills, read_products, strided_slices
from resnet_verify.tracing.records import OpRecord
from resnet_verify.tracing.rescaled_conv import unscale_convs
from resnet_verify.tracing.s2d_conv import s2d_convs
from resnet_verify.tracing.scaled_add import (
    divisions_as_multiplies,
    fold_scaled_adds,
    root_divisions_as_multiplies,
)
from resnet_verify.tracing.sort_activation import sort_activations
from resnet_verify.tracing.stacked_sums import join_stacked_sums
from resnet_verify.tracing.straight_through import straight_through
from resnet_verify.tracing.strided_pools import strided_pools
from resnet_verify.tracing.unfold_pools import unfold_pools
from resnet_verify.tracing.unfold_s2d import unfolds_as_unshuffles
from resnet_verify.tracing.unit_dilation import unit_dilations
from resnet_verify.tracing.unit_pools import unit_pools
from resnet_verify.tracing.vector_convs import linears_as_convs
from resnet_verify.tracing.whole_precision import whole_model_precision
from resnet_verify.tracing.written_bn import join_written_bn
from resnet_verify.tracing.written_prelu import join_prelu

SPELLINGS: tuple[Callable[[Sequence[OpRecord]], tuple[OpRecord, ...]], ...] = (
    straight_through, unfolds_as_unshuffles, s2d_convs, read_products, scaled_outputs_as_weights, fold_conv_bias, unscale_convs, deform_fills, unfold_pools, strided_pools, blocked_pools, blocked_repeats, channels_first, flat_pointwise,
    unit_dilations, unit_pools, pad_ratio_pools, crops_as_slices, strided_slices, fold_pads, drop_unread_pads, fold_causal_padding, mean_before_linear, frame_mean_into_pool,
    join_partial_pools, fresh_statistics, join_frozen_bn, join_written_bn, join_bn_scale, join_normalize, join_norm_modules, sort_activations,
    join_swish, join_hard_swish, join_relu, join_prelu, relu_before_max_pool, avg_pool_before_1x1, upsample_before_1x1, slice_before_activation,
    join_averages, join_stacked_sums, join_log_softmax, constant_operands, fold_scaled_adds, linears_as_convs, divisions_as_multiplies,
    root_divisions_as_multiplies, einsums_as_matmuls, scales_into_products, whole_model_precision,
)  # fmt: skip


def one_spelling(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    out = tuple(ops)
    for spelling in SPELLINGS:
        out = spelling(out)
    return out


__all__ = ["SPELLINGS", "one_spelling"]
