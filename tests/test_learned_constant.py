"""GeM pooling with a learned exponent against the same pooling with a fixed one: the reference's
``pow`` reads a parameter (and its ``1 / p``) where the candidate's reads a number. No weight is
transformed on the side that has none, so the difference is the learned value, said in words at the
pool (not "weights computed in forward"), either way round. Where both sides learn p and one
transforms it (``softplus(p)``), the transform is the difference and keeps its name."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _GeM(nn.Module):
    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.p: nn.Parameter | float = nn.Parameter(torch.ones(1) * 3) if how != "fixed" else 3.0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p = F.softplus(self.p) if isinstance(self.p, torch.Tensor) and self.how == "softplus" else self.p
        return F.avg_pool2d(x.clamp(min=1e-6).pow(p), x.shape[-2:]).pow(1.0 / p).flatten(1)


class _Net(nn.Module):
    def __init__(self, how: str) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.body = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))
        self.pool = _GeM(how)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        return self.fc(self.pool(torch.relu(self.body(x) + x)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 16), trace(cand, 16), reference_name="r", candidate_name="c", num_classes=4
    )


@pytest.mark.parametrize("swap", [False, True])
def test_a_fixed_exponent_for_a_learned_one_is_described_at_the_pool(swap: bool) -> None:
    cand, ref = _Net("fixed"), _Net("learned")
    c = _compare(ref, cand) if swap else _compare(cand, ref)
    (f,) = c.findings
    assert f.pattern is Pattern.DESCRIBED and "learned value in the" in f.message
    assert {c.mismatches[i].candidate_path for i in f.mismatches} == {"pool"}


def test_a_transformed_exponent_keeps_its_name() -> None:
    c = _compare(_Net("softplus"), _Net("learned"))
    assert Pattern.PARAM_OPS in {f.pattern for f in c.findings}
