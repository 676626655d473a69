"""A transposed conv's bias before a BatchNorm is the conv-bias cause too (op_args' transposed-conv
arguments, patterns/layers.py; #23 heldout38, CenterNet's ``deconv_with_bias``): named, either way round;
a deconv with a bias and no BatchNorm after it is not."""

from __future__ import annotations

from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


def _net(bias: bool, bn: bool = True) -> nn.Module:
    up = [
        nn.ConvTranspose2d(8, 8, 4, stride=2, padding=1, bias=bias),
        *([nn.BatchNorm2d(8)] if bn else []),
        nn.ReLU(),
    ]
    return nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), *up, nn.Conv2d(8, 4, 1))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 16, 16)), trace(cand, (3, 16, 16)), reference_name="a",
                          candidate_name="b", num_classes=4)  # fmt: skip


def test_a_deconv_bias_before_bn_is_named_either_way() -> None:
    for ref, cand in ((_net(False), _net(True)), (_net(True), _net(False))):
        c = _compare(ref, cand)
        assert [f.pattern for f in c.findings] == [Pattern.BIAS_BEFORE_BN] and not c.unexplained


def test_a_deconv_bias_without_bn_is_not_it() -> None:
    c = _compare(_net(False, bn=False), _net(True, bn=False))
    assert c.mismatches and Pattern.BIAS_BEFORE_BN not in [f.pattern for f in c.findings]
