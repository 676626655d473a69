"""Caffe's BatchNorm + Scale read as the affine BatchNorm they compute (tracing/bn_scale.py)."""

from __future__ import annotations

from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "bn_scale.py"


def _built(name: str) -> object:
    return build_model(f"{FIXTURE}:{name}", num_classes=6, device="meta")[0]


def test_batch_norm_and_scale_are_one_affine_batch_norm_either_way() -> None:
    model = _built("caffe_split")
    t = trace(model, 64)  # type: ignore[arg-type]
    norms = [op for op in t.ops if op.kind is OpKind.BATCH_NORM]
    assert len(norms) == 20 and all(dict(op.attrs)["affine"] is True and len(op.params) == 4 for op in norms)
    c = compare(model, "resnet18", input_size=64, num_classes=6)  # type: ignore[arg-type]
    assert not c.mismatches and not c.findings
    plain = build_model("resnet18", num_classes=6, device="meta")[0]
    swapped = compare(plain, f"{FIXTURE}:caffe_split", input_size=64, num_classes=6)
    assert not swapped.mismatches and not swapped.findings


def test_a_gain_without_its_shift_is_no_batch_norm_affine() -> None:
    c = compare(_built("gain_only"), "resnet18", input_size=64, num_classes=6)  # type: ignore[arg-type]
    assert c.mismatches and c.findings
    assert any(m.field == "affine" for m in c.mismatches)
