"""The average of n predictions is one op however written (tracing/averages.py, #23 heldout30's deep
ensembles): ``sum(outs) / len(outs)``, ``(a + b + c) / 3`` and ``torch.stack(outs).mean(0)`` compare
equal; an average over another count, or a sum of maps halved inside a block, stays what it is."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces

Average = Callable[[list[torch.Tensor]], torch.Tensor]


class _Ensemble(nn.Module):
    def __init__(self, average: Average, members: int = 3) -> None:
        super().__init__()
        self.members = nn.ModuleList(
            nn.Sequential(
                nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5)
            )
            for _ in range(members)
        )
        self.average = average

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.average([m(x) for m in self.members])


def _stacked(outs: list[torch.Tensor]) -> torch.Tensor:
    return torch.stack(outs, dim=0).mean(dim=0)


@pytest.mark.parametrize(
    "average",
    [lambda outs: sum(outs) / len(outs), lambda outs: (outs[0] + outs[1] + outs[2]) / 3],
    ids=["sum_len", "written_out"],
)
def test_an_average_of_predictions_is_one_op(average: Average) -> None:
    c = compare_traces(trace(_Ensemble(_stacked), 16), trace(_Ensemble(average), 16), reference_name="a",
                       candidate_name="b", num_classes=5)  # fmt: skip
    assert not c.mismatches, [m.message for m in c.mismatches[:4]]


def test_another_count_or_a_halved_residual_sum_stays_itself() -> None:
    wrong = compare_traces(trace(_Ensemble(_stacked), 16), trace(_Ensemble(lambda o: (o[0] + o[1] + o[2]) / 2), 16),
                           reference_name="a", candidate_name="b", num_classes=5)  # fmt: skip
    assert wrong.mismatches

    class Halved(nn.Module):  # (x + f(x)) / 2 on maps: a residual merge, scaled
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 3, 3, padding=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return (x + self.conv(x)) / 2

    t = trace(Halved(), 8)
    assert [op.kind for op in t.ops if op.kind is OpKind.ADD] == [OpKind.ADD] and len(t.structure.blocks) == 1


def test_a_sum_over_a_stack_of_two_is_the_residual_add() -> None:
    """zennit's canonizer writes the residual add as ``torch.stack([x, out], -1).sum(-1)``: the block is
    the block; a sum over a stack of three (x + 2 * out) is not that add."""

    class Block(nn.Module):
        def __init__(self, how: str) -> None:
            super().__init__()
            self.conv, self.how = nn.Conv2d(4, 4, 3, padding=1), how

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = self.conv(x)
            if self.how == "add":
                return torch.relu(x + out)
            parts = [x, out] if self.how == "stack" else [x, out, out]
            return torch.relu(torch.stack(parts, dim=-1).sum(-1))

    def net(how: str) -> nn.Module:
        return nn.Sequential(
            nn.Conv2d(3, 4, 3), Block(how), Block(how), nn.AdaptiveAvgPool2d(1), nn.Flatten()
        )

    stacked = trace(net("stack"), 16)
    assert len(stacked.structure.blocks) == 2
    c = compare_traces(trace(net("add"), 16), stacked, reference_name="a", candidate_name="b", num_classes=5)
    assert not c.mismatches, [m.message for m in c.mismatches]
    other = trace(net("other"), 16)
    assert other.crash is None and not other.structure.blocks
