"""A functional batch norm given running statistics and ``training=True`` in eval mode too (a MAML
learner's forward) normalises test batches by their own statistics and rewrites its running ones:
against ``training=self.training`` it is a difference, either way round, even built on meta where no
statistic has a value; a BatchNorm without running statistics (which torch always runs on the batch)
is no such difference."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Mismatch

FIELD = "batch_statistics_in_eval"


class _Norm(nn.Module):
    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.how = how
        self.weight, self.bias = nn.Parameter(torch.ones(c)), nn.Parameter(torch.zeros(c))
        self.running_mean: torch.Tensor
        self.running_var: torch.Tensor
        self.register_buffer("running_mean", torch.zeros(c))
        self.register_buffer("running_var", torch.ones(c))
        if how == "untracked_module":
            self.untracked = nn.BatchNorm2d(c, track_running_stats=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.how == "untracked_module":
            return self.untracked(x)
        tracked = self.how != "untracked"
        mean, var = (self.running_mean, self.running_var) if tracked else (None, None)
        training = self.training if self.how == "flag" else True
        return F.batch_norm(x, mean, var, self.weight, self.bias, training=training)


def _net(how: str) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, bias=False), _Norm(8, how), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10),
    )  # fmt: skip


def _mismatches(ref: str, cand: str, device: str = "cpu") -> list[Mismatch]:
    r, c = _net(ref).to(device), _net(cand).to(device)
    cmp = compare_traces(trace(r, (3, 8, 8)), trace(c, (3, 8, 8)), reference_name="r", candidate_name="c",
                         num_classes=10)  # fmt: skip
    return list(cmp.mismatches)


@pytest.mark.parametrize("device", ["cpu", "meta"])
@pytest.mark.parametrize("always_is_reference", [True, False])
def test_batch_statistics_in_eval_are_a_difference(device: str, always_is_reference: bool) -> None:
    found = _mismatches(*(("always", "flag") if always_is_reference else ("flag", "always")), device=device)
    assert [m.field for m in found] == [FIELD]
    assert (found[0].expected, found[0].actual) == ((True, None) if always_is_reference else (None, True))


def test_a_norm_without_running_statistics_is_no_such_difference() -> None:
    assert not [m for m in _mismatches("untracked", "untracked_module") if m.field == FIELD]
    assert _mismatches("flag", "flag") == []
