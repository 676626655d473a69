"""A model prepared for QAT compares as the network it computes (#23 heldout96): with fake quantization off
it is the float network (tracing/fake_quant.py: the fused fake-quantize op is the identity and, with its
observer off, writes nothing; tracing/rescaled_conv.py: the QAT ConvBn's ``conv(x, w * s) / s`` is the
conv; tracing/opkinds.py ``adds_bias``: its ``torch.zeros`` bias no bias); with fake quantization on it is
another function; with ``freeze_bn_stats`` its BatchNorms are kept in eval mode by the QAT modules' own
``train()`` (specs/usercode.py ``train_as_built``), never a false "no difference"."""

from __future__ import annotations

from pathlib import Path

from fixtures.spelled.qat_convbn import prepared

from resnet_verify.tracing.records import OpKind, RegularizerKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare

SIZE = (3, 16, 16)
FLOAT = f"{Path(__file__).parent / 'fixtures' / 'spelled' / 'qat_convbn.py'}:Net"


def test_fake_quantization_off_is_the_float_network() -> None:
    c = compare(prepared("off"), FLOAT, input_size=16, num_classes=10)
    assert not c.mismatches and not c.findings
    convs = [op for op in trace(prepared("off"), SIZE).ops if op.kind is OpKind.CONV]
    assert len(convs) == 2 and all("param_ops" not in dict(op.attrs) for op in convs)
    assert not any(dict(op.attrs)["bias"] for op in convs)


def test_fake_quantization_on_is_another_function() -> None:
    c = compare(prepared("on"), FLOAT, input_size=16, num_classes=10)
    assert c.mismatches and c.findings
    assert any(
        "fake_quant" in str(dict(op.attrs).get("param_ops", "")) for op in trace(prepared("on"), SIZE).ops
    )


def test_frozen_batch_norm_statistics_are_a_difference() -> None:
    t = trace(prepared("frozen"), SIZE)
    kept = [r.path for r in t.regularizers if r.kind is RegularizerKind.EVAL_IN_TRAINING]
    assert kept == ["conv1.bn", "conv2.bn"]
    c = compare(prepared("frozen"), FLOAT, input_size=16, num_classes=10)
    assert c.mismatches and c.findings
