"""A skip around the whole trunk (EDSR's and SRResNet's long skip) is no block of its own: the blocks
are counted alike with it or without it, and a missing long skip is one missing add after the trunk
(tracing/structure.py ``_around_the_trunk``). Skips around some blocks only stay units."""

from __future__ import annotations

from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.align import held_blocks
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "long_skip.py"


def _trace(name: str) -> object:
    return trace(build_model(f"{FIXTURE}:{name}", num_classes=10, device="meta")[0], 32)


def test_the_long_skip_is_the_trunks_surround_not_a_block() -> None:
    with_skip, without = _trace("with_long_skip"), _trace("without_long_skip")
    assert len(with_skip.structure.blocks) == len(without.structure.blocks) == 4  # type: ignore[attr-defined]
    c = compare(build_model(f"{FIXTURE}:without_long_skip", num_classes=10, device="meta")[0],
                f"{FIXTURE}:with_long_skip", input_size=32, num_classes=10)  # fmt: skip
    (m,) = c.mismatches
    assert m.field == "op" and m.actual is None and m.op_kind is OpKind.ADD
    assert not any(f.pattern is Pattern.BLOCK_COUNTS for f in c.findings)


def test_skips_around_some_blocks_stay_units() -> None:
    t = _trace("residual_in_residual")
    residual = [b for b in t.structure.blocks if b.merge_op is not None]  # type: ignore[attr-defined]
    assert len(residual) == 6  # four blocks and the two group skips; the long skip around all is none
    # each op in one block: a group skip keeps its own conv and holds its two blocks, compared as themselves
    groups = [b for b in residual if held_blocks(t, b)]  # type: ignore[arg-type]
    assert [b.path for b in groups] == ["body.0", "body.1"]
    assert [len(b.main) for b in groups] == [1, 1]
    assert held_blocks(t, groups[0]) == ["body.0.blocks.0", "body.0.blocks.1"]  # type: ignore[arg-type]


def test_a_group_skip_missing_is_its_add_alone() -> None:
    """RCAN's residual groups without their own skip (#23 heldout48): one residual add missing per
    group, no block count, no squeeze-excitation read into the blocks it held."""
    c = compare(build_model(f"{FIXTURE}:residual_in_residual_no_group_skip", num_classes=10, device="meta")[0],
                f"{FIXTURE}:residual_in_residual", input_size=32, num_classes=10)  # fmt: skip
    roots = [m for m in c.mismatches if m.cause is None]
    assert len(roots) == 2
    assert all(m.field == "op" and m.op_kind is OpKind.ADD and m.actual is None for m in roots)
    # the last group's own conv, now after the last block, reads as the head's: it follows from that skip
    assert all(c.mismatches[m.cause].op_kind is OpKind.ADD for m in c.mismatches if m.cause is not None)
    assert not any(f.pattern is Pattern.BLOCK_COUNTS for f in c.findings)


def test_a_skip_from_the_input_to_the_output_keeps_the_blocks_it_holds() -> None:
    """MSRResNet's upsampled input added to the output (#23 heldout48: its blocks were not found, the
    whole network read as one block): the three blocks are the blocks, the skip around them none."""
    t = _trace("input_skip")
    assert [b.path for b in t.structure.blocks] == ["body.0", "body.1", "body.2"]  # type: ignore[attr-defined]
