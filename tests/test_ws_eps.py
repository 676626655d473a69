"""A weight standardised in forward by ``F.batch_norm`` with another eps (heldout136 nf_ws_eps, an NF-ResNet's
convs at eps 1e-4 for 1e-5: eval outputs 1% apart, a false 'no difference'): the eps is a step's argument
(``batch_norm(eps=0.0001)``, specs/steps.py), so the chains differ. Both sides standardising, otherwise, is
one computation written otherwise, described; weight_standardization is named only where one side
standardises and the other does not."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _StdConv(nn.Conv2d):
    def __init__(self, cin: int, cout: int, eps: float | None) -> None:
        super().__init__(cin, cout, 3, padding=1, bias=False)
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.eps is None:
            return super().forward(x)
        flat = self.weight.reshape(1, self.out_channels, -1)
        w = F.batch_norm(flat, None, None, training=True, momentum=0.0, eps=self.eps).reshape_as(self.weight)
        return F.conv2d(x, w, None, 1, 1)


def _net(eps: float | None) -> nn.Module:
    return nn.Sequential(_StdConv(3, 8, eps), nn.ReLU(), _StdConv(8, 8, eps), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


def _compare(reference: nn.Module, candidate: nn.Module) -> Comparison:
    r, c = trace(reference, (3, 16, 16)), trace(candidate, (3, 16, 16))
    return compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)


def test_another_eps_is_described_in_either_direction() -> None:
    for ref, cand in ((_net(1e-5), _net(1e-4)), (_net(1e-4), _net(1e-5))):
        c = _compare(ref, cand)
        assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED]
        assert "batch_norm(eps=0.0001)" in c.findings[0].message and len(c.mismatches) == 2


def test_the_same_eps_is_clean_and_standardising_against_plain_is_named() -> None:
    """Must not fire: the same eps spelled by keyword or default compares clean; WS against plain convs stays
    the named variant."""
    assert not _compare(_net(1e-5), _net(1e-5)).mismatches
    c = _compare(_net(None), _net(1e-4))
    assert [f.pattern for f in c.findings] == [Pattern.WEIGHT_STANDARDIZATION]


class _GainConv(_StdConv):
    """timm's ScaledStdConv2d: a learned gain per filter, read by the weight's standardisation."""

    def __init__(self, cin: int, cout: int, eps: float | None, bias: bool = False) -> None:
        super().__init__(cin, cout, eps)
        self.gain = nn.Parameter(torch.ones(cout, 1, 1, 1))
        if bias:
            self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.eps is None:
            return super().forward(x)
        flat = self.weight.reshape(1, self.out_channels, -1)
        w = F.batch_norm(
            flat, None, None, weight=self.gain.view(-1), training=True, momentum=0.0, eps=self.eps
        )
        return F.conv2d(x, w.reshape_as(self.weight), self.bias, 1, 1)


def _gained(bias: bool = False) -> nn.Module:
    return nn.Sequential(_GainConv(3, 8, 1e-5, bias), nn.ReLU(), _GainConv(8, 8, 1e-5, bias), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


def test_the_gain_a_standardisation_reads_is_that_finding_s() -> None:
    """heldout136 nf_ws_missing: the WS left out with its gains, one cause: the parameter counts (a gain per
    filter fewer) belong to the weight_standardization finding, not to findings of their own."""
    c = _compare(_gained(), _net(None))
    assert [f.pattern for f in c.findings] == [Pattern.WEIGHT_STANDARDIZATION]
    assert len(c.findings[0].mismatches) == len(c.mismatches) == 4
    assert "parameter counts differ by the tensors that computation reads" in c.findings[0].message


def test_a_bias_beside_the_gain_keeps_its_own_count() -> None:
    """Must not fire: where the layers' biases differ too, their parameter counts are the bias's to explain."""
    c = _compare(_gained(bias=True), _net(None))
    ws = next(f for f in c.findings if f.pattern is Pattern.WEIGHT_STANDARDIZATION)
    assert all(c.mismatches[i].field == "param_ops" for i in ws.mismatches)
