"""A second result the forward returns with its gradient cut on one side only (verify/returned_cuts.py):
BYOL's target encoder run under ``torch.no_grad()`` against the same target left trainable (#23
heldout126 byol_target_trainable, a false "no difference": the same values, but a loss on the target
trains through it). A ``.detach()`` of it and the ``no_grad`` are the same cut."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


class _TwoViews(nn.Module):
    def __init__(self, cut: str) -> None:
        super().__init__()
        self.online = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()
        )
        self.target = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()
        )
        self.cut = cut

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.cut == "no_grad":
            with torch.no_grad():
                z = self.target(x)
        else:
            z = self.target(x)
            z = z.detach() if self.cut == "detach" else z
        return self.online(x), z


def _compare(candidate: str, reference: str) -> Comparison:
    return compare_traces(trace(_TwoViews(reference), 16), trace(_TwoViews(candidate), 16), reference_name="r",
                          candidate_name="c", num_classes=8)  # fmt: skip


def test_a_target_cut_on_one_side_only_is_a_difference_either_way() -> None:
    for cut in ("no_grad", "detach"):
        (m,) = _compare("none", cut).mismatches
        assert m.field == "gradient" and m.expected.startswith("stopped") and m.actual == "flows"
        assert "result 2" in m.message
        (m,) = _compare(cut, "none").mismatches
        assert m.actual.startswith("stopped")


def test_the_same_cut_spelled_otherwise_is_no_difference() -> None:  # must not fire
    for candidate, reference in (("detach", "no_grad"), ("no_grad", "detach"), ("none", "none")):
        assert not _compare(candidate, reference).mismatches
