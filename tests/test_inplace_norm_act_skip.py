"""An in-place activated norm (BN and activation run on their input's storage at inference, the
in-place ABN idiom) run on a pre-activation block's input without a clone: the skip adds the
normalised map. The norm moved before the fork with the activation, so every mismatch it leaves is
that one cause, never "the reference is pre-activation" (both are)."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class InPlaceNormAct(nn.BatchNorm2d):
    def forward(self, x: Tensor) -> Tensor:
        mean, var = self.running_mean, self.running_var
        assert mean is not None and var is not None
        with torch.no_grad():
            scale = self.weight / torch.sqrt(var + self.eps)
            shift = self.bias - mean * scale
        x.mul_(scale.view(1, -1, 1, 1)).add_(shift.view(1, -1, 1, 1))
        return torch.relu_(x)


class PreActBlock(nn.Module):
    def __init__(self, c: int, clone: bool) -> None:
        super().__init__()
        self.clone = clone
        self.bn1, self.conv1 = InPlaceNormAct(c), nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2, self.conv2 = InPlaceNormAct(c), nn.Conv2d(c, c, 3, padding=1, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        out = self.bn1(x.clone() if self.clone else x)
        return x + self.conv2(self.bn2(self.conv1(out)))


class Net(nn.Module):
    def __init__(self, clone: bool) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.blocks = nn.Sequential(PreActBlock(8, clone), PreActBlock(8, clone))
        self.fc = nn.Linear(8, 3)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(self.blocks(self.stem(x)).mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref.eval(), 16), trace(cand.eval(), 16), reference_name="r", candidate_name="c", num_classes=3
    )


def test_the_missing_clone_is_one_cause_and_no_pre_activation() -> None:
    c = _compare(Net(clone=False), Net(clone=True))
    assert c.mismatches
    assert Pattern.PRE_ACTIVATION not in {f.pattern for f in c.findings}
    claimed = {i for f in c.findings for i in f.mismatches}
    assert claimed == set(range(len(c.mismatches)))
    # its norm normalises with running statistics in training too (a training-mode layer): the places it
    # takes there moved with it, and follow from the in-place mismatch
    assert all(
        m.field == "inplace_skip" or (m.cause is not None and c.mismatches[m.cause].field == "inplace_skip")
        for m in c.mismatches
    )


def test_with_its_clone_it_compares_clean() -> None:
    assert not _compare(Net(clone=True), Net(clone=True)).mismatches
