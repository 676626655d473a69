"""The parameter totals, where every op agrees (verify/param_totals.py; #23 heldout63's recnet_shared_bn
and heldout62's hyper_shared_embedding: one BatchNorm for every unrolled step, one embedding for four
layers, compared clean: each op read a tensor of the right shape)."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, MismatchKind


class _Looped(nn.Module):
    """One conv run three times with a BatchNorm per step, or (``shared``) one BatchNorm for all."""

    def __init__(self, shared: bool, width: int = 8) -> None:
        super().__init__()
        self.stem, self.conv = nn.Conv2d(3, width, 3, padding=1), nn.Conv2d(width, width, 3, padding=1)
        one = nn.BatchNorm2d(width)
        self.norms = nn.ModuleList([one] * 3 if shared else [nn.BatchNorm2d(width) for _ in range(3)])
        self.fc = nn.Linear(width, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for norm in self.norms:
            x = x + torch.relu(norm(self.conv(x)))
        return self.fc(x.mean((2, 3)))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=4)  # fmt: skip


def test_fewer_parameters_where_every_op_agrees_is_a_mismatch_either_way() -> None:
    for ref, cand, side in (
        (_Looped(False), _Looped(True), "reference"),
        (_Looped(True), _Looped(False), "candidate"),
    ):
        c = _compare(ref, cand)
        assert [(m.kind, m.field) for m in c.mismatches] == [(MismatchKind.PARAMS, "params")], c.mismatches
        assert f"the {side}'s norms.1.weight" in c.mismatches[0].message, c.mismatches[0].message


def test_equal_totals_or_other_differences_add_nothing() -> None:
    assert not _compare(_Looped(False), _Looped(False)).mismatches
    found = _compare(_Looped(False, width=8), _Looped(True, width=16)).mismatches
    assert found and all(m.field != "params" or "as a whole" not in m.message for m in found)
