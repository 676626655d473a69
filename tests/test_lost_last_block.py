"""A last block that lost its add before a head of other shapes (a generator's up-sampling) is that
block without its add, not a block fewer and extra head modules (tracing/structure.py)."""

from __future__ import annotations

from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import BlockKind, OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "generator.py"


def _built(name: str) -> object:
    return build_model(f"{FIXTURE}:{name}", num_classes=10, device="meta")[0]


def test_the_last_block_without_its_add_is_that_block() -> None:
    t = trace(_built("last_block_without_add"), 32)  # type: ignore[arg-type]
    kinds = [b.kind for b in t.structure.blocks]
    assert kinds == [BlockKind.RESIDUAL, BlockKind.RESIDUAL, BlockKind.PLAIN]
    c = compare(_built("last_block_without_add"), f"{FIXTURE}:generator", input_size=32, num_classes=10)  # type: ignore[arg-type]
    assert not any(f.pattern in (Pattern.BLOCK_COUNTS, Pattern.EXTRA_MODULE) for f in c.findings), [
        f.title for f in c.findings
    ]
    assert any(m.op_kind is OpKind.ADD and m.actual is None for m in c.mismatches)


def test_the_up_sampling_stays_the_head() -> None:
    t = trace(_built("generator"), 32)  # type: ignore[arg-type]
    assert [b.kind for b in t.structure.blocks] == [BlockKind.RESIDUAL] * 3
    assert any(t.ops[o].name == "conv_transpose2d" for o in t.structure.head)
