"""The CIFAR-family verdict names a whole ResNet of another depth, never a network whose stages keep their
width (#23 heldout118's scaled_dense_concat: blocks joined by torch.cat split its stages as
16/32/32/64/64, and the swapped comparison called it "a different member of the ResNet family")."""

from __future__ import annotations

from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "heldout" / "batch118_scaled.py"


def test_a_concatenating_network_is_no_family_member_either_way() -> None:
    concat = f"{FIXTURE}:scaled_dense_concat"
    plain = f"{FIXTURE}:scaled_resnet118"
    for cand, ref in ((plain, concat), (concat, plain)):
        model = build_model(cand, num_classes=10, device="meta")[0]
        c = compare(model, ref, input_size=32, num_classes=10)
        assert Pattern.CIFAR_RESNET not in {f.pattern for f in c.findings}, [f.message for f in c.findings]
