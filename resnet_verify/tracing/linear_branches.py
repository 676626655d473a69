"""Sums that are no residual block: branches summed that are one linear layer written as branches
(RepVGG's 3x3 + 1x1 + BN, ACNet's 3x3 + 1x3 + 3x1, LoRA's frozen conv plus its scaled low-rank pair),
and sums with no learned layer on either path (arithmetic inside a layer: a membrane update, a
piecewise polynomial, a sum of a loop's terms), and branches that each end in their own nonlinearity
(a multi-scale head's dilated conv-BN-ReLU branches summed, CSRNet / MCNN style): a residual block's
skip is its input or a linear projection of it, never a path activated after its own conv."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.blends import convex_blend
from resnet_verify.tracing.records import INPUT_ID, LAYOUT_KINDS, OpKind, OpRecord, attr_dict


def linear_branch(ops: Sequence[OpRecord], path: Sequence[int]) -> bool:
    """A branch of a linear layer written as branches: convs and norms only, at least one of them
    (RepVGG's identity branch is a BN alone); an option-A shortcut (pool, slice, zeros) is no such."""
    # (the branches summed so far; a branch scaled by a constant, LoRA's ``up(down(x)) * scaling``)
    kinds = {ops[o].kind for o in path if not _constant_scale(ops[o])} - LAYOUT_KINDS - {OpKind.ADD}
    return (
        bool(kinds)
        and kinds <= {OpKind.CONV, OpKind.BATCH_NORM, OpKind.NORM, OpKind.AVG_POOL}
        and (OpKind.CONV in kinds or kinds <= {OpKind.BATCH_NORM, OpKind.NORM})
    )


def not_a_skip(
    ops: Sequence[OpRecord], op: OpRecord, paths: Sequence[Sequence[int]], fork: int = INPUT_ID
) -> bool:
    """The add ``op`` of these two paths merges no skip: one linear layer's branches, a blend with
    the input (blends.py), branches each activated after their own layers, or two streams."""
    return (
        all(linear_branch(ops, p) for p in paths)
        or convex_blend(ops, op)
        or activated_branches(ops, paths, op.inputs[:2])
        or (_from_the_input(ops, fork) and all(_sums_inside(ops, p) for p in paths))
    )


def _from_the_input(ops: Sequence[OpRecord], fork: int) -> bool:
    """The paths fork at the model's input, or at a part of it (two images, or RGB and depth, stacked
    on the channels): two streams of their own. Paths forking inside the network that both hold sums
    (HRNet's branches, an octave conv's two frequencies, a WaveNet's skip sum) are one network's."""
    return fork == INPUT_ID or (
        ops[fork].kind in LAYOUT_KINDS | {OpKind.SLICE} and set(ops[fork].inputs) == {INPUT_ID}
    )


def _sums_inside(ops: Sequence[OpRecord], path: Sequence[int]) -> bool:
    """The path holds a sum of two maps of its own: both paths holding one, from the input, the add
    fuses two streams (a siamese trunk run on two inputs, RGB and depth encoders); a residual block's
    skip is its input or a projection of it, and a long skip's is the identity."""
    return any(
        ops[o].kind is OpKind.ADD and len(ops[o].inputs) >= 2 and len(set(ops[o].in_shapes[:2])) == 1
        for o in path
    )


def activated_branches(
    ops: Sequence[OpRecord], paths: Sequence[Sequence[int]], operands: Sequence[int]
) -> bool:
    """Every path holds a learned layer and hands the add the output of a nonlinearity."""
    # no add inside a branch but the sum of earlier branches itself: a path through residual blocks (an
    # HRNet fusion of a branch's blocks with a resampled neighbour) stays a merge whatever its last op,
    # so an extra ReLU on one side cannot turn a merge into a branch sum on that side only
    return all(
        _activated_end(ops, operand)
        and any(ops[o].kind in (OpKind.CONV, OpKind.LINEAR) for o in path)
        and not any(ops[o].kind is OpKind.ADD and o != operand for o in path)
        for path, operand in zip(paths, operands, strict=True)
    )


def _activated_end(ops: Sequence[OpRecord], at: int) -> bool:
    """``at`` is a nonlinearity's output, or a sum of such (the third branch added to the first two)."""
    while at >= 0 and ops[at].kind in LAYOUT_KINDS | {OpKind.DROPOUT} and ops[at].inputs:
        at = ops[at].inputs[0]
    if at >= 0 and ops[at].kind is OpKind.ADD and len(ops[at].inputs) >= 2:
        return all(_activated_end(ops, i) for i in ops[at].inputs[:2])
    return at >= 0 and ops[at].kind in (OpKind.RELU, OpKind.ACTIVATION)


def learns(op: OpRecord, learned: frozenset[str]) -> bool:
    """Applies a learned tensor: one of the model's parameters, or a conv's or Linear's weight that
    no module registers (layers kept in a plain Python list)."""
    return op.kind in (OpKind.CONV, OpKind.LINEAR) or bool(learned.intersection(op.params))


def _constant_scale(op: OpRecord) -> bool:
    a = attr_dict(op.attrs)
    return (
        op.kind is OpKind.OTHER
        and a.get("function") in ("mul", "div")
        and "scalar" in a
        and len(op.inputs) == 1
    )
