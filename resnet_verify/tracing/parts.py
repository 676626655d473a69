"""Names and sizes of a found structure's parts: the module path a group of ops shares (dotted
module stacks, or Keras' flat layer names), the parameters it owns, and the stages blocks group into.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from resnet_verify.tracing.records import STAGE_OWN, Block, BlockKind, OpRecord, ParamInfo, Stage


def common_prefix(seqs: Sequence[Sequence[str]]) -> tuple[str, ...]:
    if not seqs:
        return ()
    prefix = tuple(seqs[0])
    for seq in seqs[1:]:
        n = 0
        while n < min(len(prefix), len(seq)) and prefix[n] == seq[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


def common_stack(ops: Sequence[OpRecord]) -> tuple[str, ...]:
    return common_prefix([op.module_stack for op in ops])


def params_of(ops: Sequence[OpRecord], table: dict[str, ParamInfo]) -> tuple[tuple[str, ...], int]:
    names = sorted({p for op in ops for p in op.params})
    return tuple(names), sum(table[n].numel for n in names if n in table and not table[n].is_buffer)


def dotted_prefix(ops: Sequence[OpRecord]) -> str:
    """Common dotted prefix of the module paths of the ops that own parameters.

    Used when no module's call encloses the whole block (blocks kept in a ModuleDict and wired in
    the parent's forward); parameter-free ops are skipped because a shared ReLU lives elsewhere.
    """
    owners = [op.module_path.split(".")[:-1] for op in ops if op.params and op.module_path]
    return ".".join(common_prefix(owners))


def flat_prefix(names: Sequence[str]) -> str:
    """The shared part of flat layer names, as Keras graphs name them: ``res2a_branch2a`` and
    ``bn2a_branch2b`` -> ``res2a``; ``conv2_block1_1_conv`` and ``conv2_block1_add`` -> ``conv2_block1``;
    block names ``res2a``, ``res2b`` -> ``res2``. The leading letters say the layer type and differ
    from layer to layer, so they are set aside and the first name's put back."""
    names = [n for n in names if n and "." not in n]
    if not names:
        return ""
    lead = re.match(r"[A-Za-z]*", names[0]).group(0)  # type: ignore[union-attr]
    rest = [re.sub(r"^[A-Za-z]*", "", n) for n in names]
    common = "".join(common_prefix([list(r) for r in rest]))
    if common not in rest and "_" in common:
        common = common[: common.rindex("_")]
    common = common.rstrip("_")
    return f"{lead}{common}" if common and common[0].isdigit() else ""


def path_of(ops: Sequence[OpRecord]) -> str:
    paths = sorted({op.module_path for op in ops if op.module_path})
    if not paths:
        return ""
    stack = common_stack(ops)
    if stack:
        return stack[-1]
    ordered = [op.module_path for op in ops if op.module_path]
    return ordered[0] if len(set(ordered)) == 1 else f"{ordered[0]}..{ordered[-1]}"


def group_stages(blocks: list[Block]) -> list[list[Block]]:
    """Stages from the blocks' shapes (``_runs``); a cross-stage partial unit (its own shape is the
    stage's transition) joins the stage it closes, the first after a run of blocks, or else the one
    it opens."""
    core = [b for b in blocks if b.kind not in STAGE_OWN]
    if len(core) == len(blocks) or not core:
        return _runs(blocks)
    groups = _runs(core)
    where = {b.index: g for g in groups for b in g}
    for unit in (b for b in blocks if b.kind in STAGE_OWN):
        before = [b for b in blocks if b.index < unit.index]
        prev = next((b for b in reversed(before) if b.kind not in STAGE_OWN), None)
        closes = prev is not None and before[-1] is prev
        nxt = next((b for b in core if b.index > unit.index), None)
        # the stage at the resolution it makes (a downsampling layer opens the next stage); where
        # both are (a stride-1 CSP stage), the one it closes
        fits = [b for b in (prev, nxt) if b is not None and b.out_shape[2:] == unit.out_shape[2:]]
        owner = fits[0] if len(fits) == 1 else (prev if prev is not None and (closes or nxt is None) else nxt)
        assert owner is not None
        where[owner.index].append(unit)
    return [sorted(g, key=lambda b: b.index) for g in groups]


def _runs(blocks: list[Block]) -> list[list[Block]]:
    """Runs of blocks with the same output shape; except that a run of four or more blocks at one
    resolution that widens a little at most of its blocks (< x1.5 a step, never narrower: PyramidNet's
    additive widening, rounded) is one stage."""
    by_resolution: list[list[Block]] = []
    for block in blocks:
        if by_resolution and by_resolution[-1][-1].out_shape[2:] == block.out_shape[2:]:
            by_resolution[-1].append(block)
        else:
            by_resolution.append([block])
    groups: list[list[Block]] = []
    for run in by_resolution:
        widths = [b.out_shape[1] if len(b.out_shape) > 1 else 0 for b in run]
        steps = list(itertools.pairwise(widths))
        gradual = all(0 < a <= b and b / a < 1.5 for a, b in steps)
        if len(run) >= 4 and gradual and 2 * sum(a != b for a, b in steps) >= len(steps):
            groups.append(run)
            continue
        for block in run:
            if groups and groups[-1][-1] in run and block.out_shape[1:] == groups[-1][-1].out_shape[1:]:
                groups[-1].append(block)
            else:
                groups.append([block])
    return groups


def stages_of(blocks: list[Block], ops: Sequence[OpRecord], table: dict[str, ParamInfo]) -> tuple[Stage, ...]:
    groups = group_stages(blocks)
    stages = []
    for i, group in enumerate(groups):
        above = []
        for b in group:
            core = [ops[o] for o in (*b.main, *b.shortcut, *([b.merge_op] if b.merge_op is not None else []))]
            stack = common_stack(core)
            # a cross-stage unit's ops are the stage module's own (its split, concat, transition)
            above.append(stack if b.kind is BlockKind.CROSS_STAGE else stack[:-1])
        common = common_prefix(above)
        _, count = params_of([ops[o] for b in group for o in (*b.main, *b.shortcut, *b.tail)], table)
        stages.append(
            Stage(
                index=i,
                path=common[-1] if common else flat_prefix([b.path for b in group]),
                blocks=tuple(b.index for b in group),
                in_shape=group[0].in_shape,
                out_shape=group[-1].out_shape,
                num_params=count,
            )
        )
    return tuple(stages)
