"""A module of the user's in a conv's place is one described cause, not a narrow network with
depthwise convs and moved strides (verify/patterns/replaced_layer.py); a design with its own name
(an SE module after bn2) keeps its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "replaced_layer.py"


@pytest.mark.parametrize("swap", [False, True])
def test_a_module_in_a_convs_place_is_one_described_cause(swap: bool) -> None:
    spec = f"{FIXTURE}:cheap_conv2"
    if swap:
        c = compare(
            build_model("resnet18", num_classes=6, device="meta")[0], spec, input_size=64, num_classes=6
        )
    else:
        c = compare(
            build_model(spec, num_classes=6, device="meta")[0], "resnet18", input_size=64, num_classes=6
        )
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED], [f.title for f in c.findings]
    assert "CheapConv in place of conv1 (8 layers)" in c.findings[0].title
    assert "depthwise 3x3 conv" in c.findings[0].message and len(c.findings[0].mismatches) == len(
        c.mismatches
    )


def test_an_se_module_keeps_its_name() -> None:
    model = build_model(f"{FIXTURE}:se_blocks", num_classes=6, device="meta")[0]
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.SQUEEZE_EXCITATION], [f.title for f in c.findings]
