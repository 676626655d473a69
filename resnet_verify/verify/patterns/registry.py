"""The detectors, in the order they claim mismatches, and the one function that runs them.

Every mismatch belongs to at most one finding: a detector may only claim what earlier detectors left,
so the order below is a priority (whole-model verdicts, then structural variants, then single
layers). A claimed mismatch takes its consequences (``Mismatch.cause`` chains) with it. A verdict
claims everything and ends the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import Trace
from resnet_verify.verify.diff_support import extra_unused
from resnet_verify.verify.patterns.activation import detect_activation
from resnet_verify.verify.patterns.arranged import detect_arranged_otherwise
from resnet_verify.verify.patterns.avg_down import detect_avg_pool_shortcut
from resnet_verify.verify.patterns.axis_stride import detect_axis_stride
from resnet_verify.verify.patterns.backward_only import detect_backward_only
from resnet_verify.verify.patterns.batchnorm import detect_keras_batchnorm
from resnet_verify.verify.patterns.block_counts import detect_block_counts
from resnet_verify.verify.patterns.blocks import detect_pre_activation
from resnet_verify.verify.patterns.blur_pool import detect_blur_pool
from resnet_verify.verify.patterns.bool_argument import detect_bool_argument
from resnet_verify.verify.patterns.branch_attention import detect_branch_attention
from resnet_verify.verify.patterns.cardinality import detect_cardinality
from resnet_verify.verify.patterns.context import Context, Detector
from resnet_verify.verify.patterns.conv_head import detect_conv_classifier
from resnet_verify.verify.patterns.crash_cause import detect_crash_cause
from resnet_verify.verify.patterns.cross_stage import detect_cross_stage
from resnet_verify.verify.patterns.deep_stem import detect_deep_stem
from resnet_verify.verify.patterns.described import detect_described
from resnet_verify.verify.patterns.downsampling import detect_first_stage_stride, detect_output_stride
from resnet_verify.verify.patterns.downsampling_moved import detect_downsampling_moved
from resnet_verify.verify.patterns.dropout import detect_regularizers
from resnet_verify.verify.patterns.extra_module import detect_extra_module
from resnet_verify.verify.patterns.factorised_conv import detect_factorised_conv
from resnet_verify.verify.patterns.family import detect_cifar_resnet, detect_not_residual
from resnet_verify.verify.patterns.feature_cut import detect_feature_cut
from resnet_verify.verify.patterns.flip import flipped, unflipped
from resnet_verify.verify.patterns.folded import detect_bn_folded
from resnet_verify.verify.patterns.gate_otherwise import detect_gate_otherwise
from resnet_verify.verify.patterns.grouped_branches import detect_grouped_branches
from resnet_verify.verify.patterns.head import detect_fixed_head
from resnet_verify.verify.patterns.input_channels import detect_input_channels
from resnet_verify.verify.patterns.keras_pool import detect_keras_pool_padding
from resnet_verify.verify.patterns.layers import (
    detect_conv_bias,
    detect_grouped_1x1,
    detect_option_a_shortcut,
    detect_projection_without_bn,
)
from resnet_verify.verify.patterns.low_rank import detect_low_rank
from resnet_verify.verify.patterns.moved_blocks import detect_moved_blocks
from resnet_verify.verify.patterns.multi_scale import detect_multi_scale
from resnet_verify.verify.patterns.norm_axes import detect_norm_axes
from resnet_verify.verify.patterns.norm_composite import detect_composite_norm
from resnet_verify.verify.patterns.norm_eval import detect_norm_eval
from resnet_verify.verify.patterns.norm_frozen import detect_frozen_bn
from resnet_verify.verify.patterns.norm_switches import detect_bn_switches
from resnet_verify.verify.patterns.normalization import detect_normalization
from resnet_verify.verify.patterns.output_activation import detect_output_softmax
from resnet_verify.verify.patterns.padding import detect_keras_stem, detect_same_padding
from resnet_verify.verify.patterns.param_ops import detect_param_ops
from resnet_verify.verify.patterns.preact_stem import detect_pre_activation_stem
from resnet_verify.verify.patterns.repeated import detect_repeated
from resnet_verify.verify.patterns.replaced_layer import detect_replaced_layer
from resnet_verify.verify.patterns.residual_removed import detect_residual_removed
from resnet_verify.verify.patterns.run_order import detect_run_order
from resnet_verify.verify.patterns.squeeze_excitation import detect_squeeze_excitation
from resnet_verify.verify.patterns.stage_end import detect_stage_end_stride
from resnet_verify.verify.patterns.state_update import detect_state_updates
from resnet_verify.verify.patterns.stem import detect_cifar_stem
from resnet_verify.verify.patterns.stride import detect_stride_placement
from resnet_verify.verify.patterns.strided_blocks import detect_strides_moved
from resnet_verify.verify.patterns.training_mode import detect_training_mode
from resnet_verify.verify.patterns.uniform_setting import detect_uniform_setting
from resnet_verify.verify.patterns.unused_class_count import detect_unused_class_count
from resnet_verify.verify.patterns.widths import detect_class_count, detect_widths
from resnet_verify.verify.records import BlockPair, Finding, Mismatch, Region

DETECTORS: tuple[Detector, ...] = (
    detect_bool_argument,  # a crash cause repaired to trace past it: independent of every variant
    detect_crash_cause,  # the other crash causes (verify/crash_causes), repaired or not
    detect_input_channels,  # each side fed its own channels: only the first conv differs by it
    detect_residual_removed,  # before not-a-ResNet: a ResNet without its adds is not another family
    detect_not_residual,
    detect_cifar_resnet,
    # Right after the verdicts: it claims only regularizer mismatches, which no variant explains, and
    # must claim them before detectors that take every mismatch of a region (a fixed head's).
    detect_backward_only,  # a model-level gradient mismatch (verify/hidden_backward.py), no other rule's
    detect_training_mode,  # a model-level training-forward mismatch (verify/hidden_training.py)
    detect_state_updates,  # layer state written in training (a buffer update): before the regularizers
    detect_norm_eval,  # every BatchNorm held in eval while training: one frozen-BN cause, before the regularizers
    detect_regularizers,
    detect_cifar_stem,
    detect_deep_stem,
    detect_keras_stem,
    detect_keras_pool_padding,  # only against a model traced from Keras layers
    detect_bn_folded,  # BN folded into the convs: before "no normalization" claims the missing BNs
    # Layer kinds swapped everywhere (norm, activation, weight transform) before pre-activation,
    # which takes every op-order difference of its blocks but not what their layers are.
    detect_frozen_bn,  # BN whose scale and shift are buffers: before any other norm rule reads it
    detect_composite_norm,  # several norms over split channels (IBN) in place of one BN
    detect_bn_switches,  # track_running_stats / affine set otherwise on most BNs
    detect_normalization,  # another norm where the reference has BN (or none): every block's, one cause
    detect_activation,  # another activation where the reference has ReLU: one swap, one finding
    detect_param_ops,  # weights computed in forward (weight standardization)
    detect_pre_activation,
    detect_pre_activation_stem,
    # a stage's split, concat and transition, and the stride and projection its entry conv took from
    # the stage's first block: before the stride and block-count rules read those
    detect_cross_stage,
    detect_stride_placement,
    detect_output_stride,
    detect_first_stage_stride,
    detect_avg_pool_shortcut,
    detect_same_padding,
    detect_squeeze_excitation,
    detect_gate_otherwise,  # gates on both sides, at another place or of another kind: SE is not missing
    detect_branch_attention,  # softmax-weighted branches in a block (SK, ResNeSt): before extra modules
    detect_stage_end_stride,
    detect_feature_cut,  # the last stages and the head gone, a map returned: before counts read the stages
    detect_moved_blocks,  # the same blocks at other places of a stage: before counts and extra units read them
    detect_strides_moved,  # strides at other blocks cut the stages otherwise: the code's stages agree, no count
    detect_block_counts,
    detect_class_count,
    detect_unused_class_count,  # a training-only head's: read from the shapes of what neither side runs
    detect_conv_classifier,  # before the fixed head's rule takes every head mismatch: the classifier's own
    detect_fixed_head,
    detect_output_softmax,
    detect_keras_batchnorm,
    detect_conv_bias,
    detect_option_a_shortcut,
    detect_projection_without_bn,
    detect_factorised_conv,  # a conv written as a chain of smaller ones: before extra modules/widths
    detect_low_rank,  # a conv written as a rank-r kxk + 1x1 pair: before extra modules/widths too
    # before extra modules and widths: group convs are no width change; a 1x1's width is left to widths
    detect_grouped_branches,  # a grouped conv written as branch convs: before multi-scale and cardinality
    detect_multi_scale,
    detect_blur_pool,  # a fixed depthwise filter at a stride (moved onto it, or run first): before the
    # replaced-layer rule reads a BlurConv2d wrapper as a layer of another design
    # a module of the user's in a conv's place (Ghost): its inner widths, groups and strides are its
    # design, claimed before the group, moved-stride, extra-module and width rules read them as the
    # network's (after the rules that name a composite design: SE, split attention, multi-scale)
    detect_replaced_layer,
    detect_grouped_1x1,
    detect_cardinality,  # groups on the k x k conv: ResNeXt cardinality, depthwise
    detect_downsampling_moved,  # any other op taking a unit's stride: after the named moves
    detect_norm_axes,  # statistics over other axes in many norms: one described cause, before a norm
    # read as an extra module and before grouping per line
    detect_extra_module,  # a whole sub-module extra in blocks: before widths and per-line grouping
    detect_axis_stride,  # a stride on some axes only (a 3-D net's time axis): one layer, said per axis
    detect_widths,
    detect_run_order,  # the model's own layers at other places: one cause, before the grouping rules
    detect_arranged_otherwise,  # a tensor's elements elsewhere, every shape the same: described, not grouped
    detect_uniform_setting,  # one setting changed alike at places written on several lines: one cause
    detect_repeated,  # it groups what no named variant explains, across blocks
    detect_described,  # last: several differences left in one block, the stem or the head
)


def _with_consequences(mismatches: Sequence[Mismatch], claimed: set[int]) -> set[int]:
    out = set(claimed)
    changed = True
    while changed:
        more = {i for i, m in enumerate(mismatches) if m.cause in out and i not in out}
        out |= more
        changed = bool(more)
    return out


def _unused_within(ctx: Context, own: Sequence[int], taken: set[int]) -> set[int]:
    """The candidate's parameters forward never reads, where every one belongs to a layer the finding
    already names (a Bayesian conv's rho of the bias it adds, unread in eval where the layer uses the
    means): part of the same change, not a cause of their own."""
    loose = [
        i for i, m in enumerate(ctx.mismatches)
        if i not in taken and i not in own and m.region is Region.MODEL and m.field == "params" and m.expected == 0
    ]  # fmt: skip
    if not loose:
        return set()
    layers = {ctx.mismatches[i].candidate_path for i in own} - {None, ""}
    unused = extra_unused(ctx.reference, ctx.candidate)
    if not unused or not all(p.name.rpartition(".")[0] in layers for p in unused):
        return set()
    return set(loose)


def _either_way(detect: Detector, ctx: Context, swapped: Context) -> Sequence[Finding]:
    """The detector's findings; where it has none, those it makes with the two sides swapped (a
    variant the reference holds), told from the candidate's side (``flip.py``)."""
    found = detect(ctx)
    if found:
        return found
    return [unflipped(ctx, f) for f in detect(swapped)]


def run_detectors(ctx: Context, detectors: Sequence[Detector] = DETECTORS) -> tuple[Finding, ...]:
    everything = set(range(len(ctx.mismatches)))
    taken: set[int] = set()
    out: list[Finding] = []
    swapped = flipped(ctx)  # once: only ``claimed`` changes from one detector to the next
    for detect in detectors:
        claimed = frozenset(taken)
        for finding in _either_way(detect, replace(ctx, claimed=claimed), replace(swapped, claimed=claimed)):
            wanted = (
                everything if finding.verdict else _with_consequences(ctx.mismatches, set(finding.mismatches))
            )
            own = tuple(sorted(wanted - taken))
            if not own and not finding.verdict:
                continue  # it explains nothing, or nothing that is not explained already
            own = tuple(sorted({*own, *_unused_within(ctx, own, taken)}))
            taken |= set(own)
            out.append(replace(finding, mismatches=own))
            if finding.verdict:
                return tuple(out)
    return tuple(out)


def explain(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], mismatches: Sequence[Mismatch]
) -> tuple[Finding, ...]:
    return run_detectors(Context(ref, cand, tuple(pairs), tuple(mismatches)))
