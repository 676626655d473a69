"""A weighted average of a tensor with what was made of it (AdaIN's ``feat * alpha + content * (1 -
alpha)``) is no residual shortcut: against the same network without the blend it is described where
it is, not "residual additions where the reference has none" nor another kind of network; a real
residual add (or one scaled the same on both sides) still is one."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.blends import convex_blend
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _Unit(nn.Module):
    def __init__(self, c: int, merge: str) -> None:
        super().__init__()
        self.merge = merge
        self.body = nn.Sequential(
            nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
            nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.body(x)
        if self.merge == "blend":
            return torch.relu(y * 0.6 + x * 0.4)
        if self.merge == "add":
            return torch.relu(y + x)
        if self.merge == "unequal":
            return torch.relu(y * 0.7 + x * 0.5)
        if self.merge == "halves":
            return torch.relu(y * 0.5 + x * 0.5)
        return torch.relu(y)


def _net(merge: str) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), _Unit(8, merge), _Unit(8, merge),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10),
    )  # fmt: skip


def _compare(ref: str, cand: str) -> Comparison:
    return compare_traces(trace(_net(ref), (3, 8, 8)), trace(_net(cand), (3, 8, 8)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


@pytest.mark.parametrize("blend_is_candidate", [True, False])
def test_a_blend_with_the_input_is_described_not_a_shortcut(blend_is_candidate: bool) -> None:
    c = _compare(*(("none", "blend") if blend_is_candidate else ("blend", "none")))
    assert c.mismatches
    assert {f.pattern for f in c.findings} <= {Pattern.DESCRIBED, Pattern.REPEATED}
    assert not trace(_net("blend"), (3, 8, 8)).structure.blocks


@pytest.mark.parametrize("merge", ["add", "halves"])
def test_a_residual_add_is_still_a_shortcut(merge: str) -> None:
    assert len(trace(_net(merge), (3, 8, 8)).structure.blocks) == 2
    c = _compare("none", merge)
    assert Pattern.RESIDUAL_ADD_MISSING in {f.pattern for f in c.findings}


def test_weights_that_do_not_sum_to_one_are_no_blend() -> None:
    blended = trace(nn.Sequential(_Unit(8, "blend")), (8, 8, 8)).ops
    assert convex_blend(blended, next(op for op in blended if op.name == "add"))
    weighted = trace(nn.Sequential(_Unit(8, "unequal")), (8, 8, 8)).ops
    assert not convex_blend(weighted, next(op for op in weighted if op.name == "add"))
    assert len(trace(_net("unequal"), (3, 8, 8)).structure.blocks) == 2
