"""Parameters forward never reads, all in layers a finding names (a Bayesian conv's rho of the bias it
adds, unread in eval where the layer convolves with its means), are part of that finding's change, not
a cause of their own left unexplained; unused parameters anywhere else stay a mismatch of their own."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern, Region


class _MeanConv(nn.Module):
    """A mean-field conv in eval: convolves with its means; its rhos are read only when sampling."""

    def __init__(self, cin: int, cout: int, bias: bool) -> None:
        super().__init__()
        self.mu_weight = nn.Parameter(torch.randn(cout, cin, 3, 3) * 0.1)
        self.rho_weight = nn.Parameter(torch.full((cout, cin, 3, 3), -5.0))
        self.mu_bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.rho_bias = nn.Parameter(torch.full((cout,), -5.0)) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.mu_weight, self.mu_bias, padding=1)


class _Net(nn.Module):
    def __init__(self, bias: bool, spare: bool = False) -> None:
        super().__init__()
        self.conv1, self.bn1 = _MeanConv(3, 8, bias), nn.BatchNorm2d(8)
        self.conv2, self.bn2 = _MeanConv(8, 8, bias), nn.BatchNorm2d(8)
        self.conv3, self.bn3 = _MeanConv(8, 8, bias), nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 4)
        self.spare = nn.Linear(8, 3) if spare else None  # built, never called

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn3(self.conv3(torch.relu(self.bn2(self.conv2(x))))) + x)
        return self.fc(x.mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="r",
                          candidate_name="c", num_classes=4)  # fmt: skip


def test_the_unread_rho_of_a_named_bias_is_part_of_it() -> None:
    c = _compare(_Net(bias=True), _Net(bias=False))
    (f,) = c.findings
    assert f.pattern is Pattern.BIAS_BEFORE_BN
    assert set(f.mismatches) == set(range(len(c.mismatches)))
    assert any(m.region is Region.MODEL and m.field == "params" for m in c.mismatches)


def test_an_unused_layer_elsewhere_stays_its_own() -> None:
    c = _compare(_Net(bias=True, spare=True), _Net(bias=False))
    unused = [i for i, m in enumerate(c.mismatches) if m.region is Region.MODEL and m.field == "params"]
    assert unused and not set(unused) & {
        i for f in c.findings if f.pattern is Pattern.BIAS_BEFORE_BN for i in f.mismatches
    }
    assert Pattern.BIAS_BEFORE_BN in {f.pattern for f in c.findings}
