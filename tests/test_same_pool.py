"""TF's 'same' padding on a strided max pool alone (TF-slim's pool1, the convs padded as PyTorch
pads them) is tf_same_padding either way; a pool merely left unpadded is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "same_pool.py"


@pytest.mark.parametrize("swap", [False, True])
def test_a_same_padded_pool_is_tf_same_padding_either_way(swap: bool) -> None:
    same = f"{FIXTURE}:same_pool"
    if swap:
        c = compare(
            build_model("resnet18", num_classes=6, device="meta")[0], same, input_size=64, num_classes=6
        )
    else:
        c = compare(
            build_model(same, num_classes=6, device="meta")[0], "resnet18", input_size=64, num_classes=6
        )
    assert [f.pattern for f in c.findings] == [Pattern.SAME_PADDING], [f.title for f in c.findings]
    assert "max pools" in c.findings[0].message and "bottom / right" in c.findings[0].message


def test_an_unpadded_pool_is_no_tf_same_padding() -> None:
    model = build_model(f"{FIXTURE}:unpadded_pool", num_classes=6, device="meta")[0]
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    assert c.mismatches and not any(f.pattern is Pattern.SAME_PADDING for f in c.findings)


def test_pads_in_another_axis_order_are_no_tf_same_padding() -> None:
    model = build_model(f"{FIXTURE}:axes_swapped_pool", num_classes=6, device="meta")[0]
    c = compare(model, f"{FIXTURE}:same_pool", input_size=64, num_classes=6)
    assert c.mismatches and not any(f.pattern is Pattern.SAME_PADDING for f in c.findings)
