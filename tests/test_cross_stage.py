"""Cross-stage partial stages (tracing/cross_stage.py, patterns/cross_stage.py): found from dataflow
whichever way the part is cut, named in either direction, their units kept out of the block counts
and the block alignment; concats that are no CSP stage are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import BlockKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

REPO = Path(__file__).resolve().parents[1]
FIXTURE = "tests/fixtures/quirky/cross_stage.py"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _compare(builder: str, *, swap: bool = False) -> Comparison:
    if swap:
        model, _ = build_model("resnet18", num_classes=10, device="meta")
        return compare(model, f"{FIXTURE}:{builder}", input_size=64, num_classes=10)
    model, name = build_model(f"{FIXTURE}:{builder}", num_classes=10, device="meta")
    return compare(model, "resnet18", input_size=64, num_classes=10, candidate_name=name)


@pytest.mark.parametrize("builder", ["csp_chunk", "csp_two_convs"])
@pytest.mark.parametrize("swap", [False, True], ids=["candidate", "reference"])
def test_a_csp_stage_is_named_however_the_part_is_cut(builder: str, swap: bool) -> None:
    c = _compare(builder, swap=swap)
    names = {f.pattern for f in c.findings}
    assert Pattern.CROSS_STAGE_PARTIAL in names, [f.title for f in c.findings]
    # the blocks run at half the stage's width: a true consequence; the counts agree ([2, 2, 2, 2])
    assert names <= {Pattern.CROSS_STAGE_PARTIAL, Pattern.WIDTHS}, [f.title for f in c.findings]
    assert not c.unexplained, [c.mismatches[i].message for i in c.unexplained]


def test_csp_units_are_no_blocks_of_their_stage() -> None:
    model, _ = build_model(f"{FIXTURE}:csp_chunk", num_classes=10, device="meta")
    s = trace(model, 64).structure
    residual = [[b for b in st.blocks if s.blocks[b].kind is BlockKind.RESIDUAL] for st in s.stages]
    assert [len(r) for r in residual] == [2, 2, 2, 2]
    assert any(b.kind is BlockKind.CROSS_STAGE for b in s.blocks)


@pytest.mark.parametrize("builder", ["unet_skip", "stage_features"])
def test_concats_that_are_no_csp_stage(builder: str) -> None:
    c = _compare(builder)
    assert Pattern.CROSS_STAGE_PARTIAL not in {f.pattern for f in c.findings}
    model, _ = build_model(f"{FIXTURE}:{builder}", num_classes=10, device="meta")
    assert not any(b.kind is BlockKind.CROSS_STAGE for b in trace(model, 64).structure.blocks)


def test_a_plain_resnet_has_no_csp_stage() -> None:
    with torch.device("meta"):
        from torchvision.models import resnet50

        model = resnet50(num_classes=10)
    assert compare(model, "resnet50", input_size=64, num_classes=10).ok
