"""BatchNorm folded into the convs is the reference in inference form: every conv kept as it was. A
norm-free network of other convs with biases never had the BatchNorms (patterns/folded.py)."""

from __future__ import annotations

from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "never_normalized.py"


def test_a_norm_free_network_of_other_widths_is_no_folded_reference() -> None:
    model = build_model(f"{FIXTURE}:half_width_no_norm", num_classes=6, device="meta")[0]
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    patterns = {f.pattern for f in c.findings}
    assert Pattern.BN_FOLDED not in patterns, [f.title for f in c.findings]
    assert {Pattern.NORMALIZATION, Pattern.WIDTHS} <= patterns, [f.title for f in c.findings]
