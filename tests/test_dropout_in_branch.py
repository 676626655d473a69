"""A dropout inside a branch the other side lacks goes with that branch: attention-MIL's gated
attention (a tanh branch times a sigmoid branch, each Linear, activation, Dropout) against the ungated
one (the tanh branch alone) lacks the sigmoid branch's Dropout with it; naming "dropout" for it would
name a second cause that is not there. Either way round. A dropout removed on its own keeps its name."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import MismatchKind, Pattern


class _Attention(nn.Module):
    def __init__(self, gated: bool, drop_b: bool = True) -> None:
        super().__init__()
        self.a = nn.Sequential(nn.Linear(8, 6), nn.Tanh(), nn.Dropout(0.25))
        self.b = nn.Sequential(nn.Linear(8, 6), nn.Sigmoid(), *([nn.Dropout(0.25)] if drop_b else []))
        self.gated = gated
        self.c = nn.Linear(6, 1)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        a = self.a(h)
        return self.c(a * self.b(h) if self.gated else a)


class _Net(nn.Module):
    def __init__(self, gated: bool = True, drop_b: bool = True) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.body = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))
        self.attention = _Attention(gated, drop_b)
        self.fc = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        h = torch.relu(self.body(x) + x).flatten(2).transpose(1, 2)  # one vector per position
        w = torch.softmax(self.attention(h), dim=1)
        return self.fc((w * h).sum(1))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 16), trace(cand, 16), reference_name="r", candidate_name="c", num_classes=3
    )


@pytest.mark.parametrize("swap", [False, True])
def test_a_dropout_inside_a_missing_branch_goes_with_it(swap: bool) -> None:
    cand, ref = _Net(gated=False), _Net()
    c = _compare(ref, cand) if swap else _compare(cand, ref)
    assert Pattern.DROPOUT not in {f.pattern for f in c.findings}
    (drop,) = [m for m in c.mismatches if m.kind is MismatchKind.REGULARIZER]
    assert drop.cause is not None


def test_a_dropout_removed_on_its_own_keeps_its_name() -> None:
    c = _compare(_Net(drop_b=False), _Net())
    assert Pattern.DROPOUT in {f.pattern for f in c.findings}


class _MLPHead(nn.Module):
    def __init__(self, deep: bool) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.body = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))
        layers = (
            [nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3)] if deep else [nn.Linear(8, 3)]
        )
        self.fc = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        return self.fc(torch.relu(self.body(x) + x).mean((2, 3)))


def test_a_dropout_between_the_layers_of_a_deeper_head_keeps_its_name() -> None:
    c = compare_traces(trace(_MLPHead(False), 16), trace(_MLPHead(True), 16), reference_name="r",
                       candidate_name="c", num_classes=3)  # fmt: skip
    assert Pattern.DROPOUT in {f.pattern for f in c.findings}
