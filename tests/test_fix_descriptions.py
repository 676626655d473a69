"""Fixes for descriptions (``fixes/layer_arguments.py``): when every difference a described or
repeated finding holds is a literal argument of a torch.nn layer call, the reference's values are
written there (one line per block class) and verified; otherwise no patch, with why."""

from __future__ import annotations

import shutil
from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.fixes.check import Rerun, compare_patched
from resnet_verify.verify.fixes.plan import Plan, plan
from resnet_verify.verify.fixes.records import Applicability, Status
from resnet_verify.verify.records import Pattern

UNITS = Path(__file__).resolve().parent / "fixtures" / "quirky" / "described_units.py"
SIZE = (3, 64, 64)


def _plan(spec: str, reference: str = "torchvision:resnet18") -> Plan:
    model, _ = build_model(spec, num_classes=10, input_size=SIZE)
    before = compare(model, reference, input_size=SIZE, num_classes=10)
    return plan(before, lambda files: compare_patched(Rerun(spec, reference, SIZE, 10), files))


def test_a_described_layer_gets_the_references_arguments(tmp_path: Path) -> None:
    shutil.copy(UNITS, tmp_path / "units.py")
    p = _plan(f"{tmp_path / 'units.py'}:dilated_conv")
    [outcome] = p.outcomes
    assert outcome.pattern is Pattern.DESCRIBED and outcome.status is Status.FIXED
    assert outcome.fix is not None and outcome.fix.applicability is Applicability.NEEDS_REVIEW
    assert "padding=1, dilation=1" in p.diff and p.after is not None and p.after.ok


def test_a_stem_pool_written_caffe_style_is_put_back(tmp_path: Path) -> None:
    shutil.copy(UNITS, tmp_path / "units.py")
    p = _plan(f"{tmp_path / 'units.py'}:caffe_pool")
    assert "padding=1, ceil_mode=False" in p.diff and p.after is not None and p.after.ok


def test_a_value_from_a_variable_or_an_op_is_left_to_the_user(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "from torch import nn\nfrom torchvision.models import resnet18\n\n\n"
        "def build(num_classes: int = 10) -> nn.Module:\n"
        "    model = resnet18(num_classes=num_classes)\n"
        "    k = 5\n"
        "    model.layer3[1].conv1 = nn.Conv2d(256, 256, k, padding=2, bias=False)\n"
        "    return model\n"
    )
    p = _plan(f"{source}:build")
    [outcome] = p.outcomes
    assert outcome.status is not Status.FIXED and "is `k`" in (outcome.reason or "")
    assert p.files == ()
