"""One canonical spelling per concept: the same network written with other ops compares clean, and a
partial reduction that is not a pool, or a clamp that is not a ReLU, still differs."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "builder", ["clamp_two_means", "threshold_flattened", "clamp_window_pool", "same_padding"]
)
def test_equivalent_spellings_compare_clean(builder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    model, name = build_model(f"tests/fixtures/quirky/spellings.py:{builder}", num_classes=10, device="meta")
    c = compare(model, "resnet18", input_size=64, num_classes=10, candidate_name=name)
    assert c.ok, [m.message for m in c.mismatches]


class _Net(nn.Module):
    def __init__(self, op: str) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.op = op

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        if self.op == "clamp6":
            return y.clamp(min=0, max=6)
        if self.op == "clamp_neg":
            return y.clamp(min=-1)
        return y.mean(-1)  # a reduction over one axis that feeds no pool


@pytest.mark.parametrize("op", ["clamp6", "clamp_neg", "partial"])
def test_what_is_not_the_concept_keeps_its_own_kind(op: str) -> None:
    kinds = [o.kind for o in trace(_Net(op), 32).ops]
    assert OpKind.RELU not in kinds and OpKind.GLOBAL_POOL not in kinds and OpKind.RESHAPE not in kinds
