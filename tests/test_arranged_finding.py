"""A tensor read arranged otherwise gets a finding that says what each side's layout ops do and the fix
(verify/patterns/arranged.py), where it was a mismatch no finding claimed (heldout139 flat_channels_first:
a Keras port's channels-last flatten left out before its Dense, eval outputs 1e3 apart, no cause given).
The two flatten orders are said in words, either way round; another arrangement is said by its ops."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Net(nn.Module):
    def __init__(self, order: str) -> None:
        super().__init__()
        self.order = order
        self.conv, self.bn = nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8)
        self.fc = nn.Linear(8 * 4 * 4, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn(self.conv(x)))
        if self.order == "last":
            x = x.permute(0, 2, 3, 1)
        elif self.order == "wh":
            x = x.transpose(2, 3)
        return self.fc(x.reshape(x.shape[0], -1))


def _compare(reference: str, candidate: str) -> Comparison:
    r, c = trace(_Net(reference), (3, 8, 8)), trace(_Net(candidate), (3, 8, 8))
    return compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)


def test_the_two_flatten_orders_are_said_either_way() -> None:
    for ref, cand, words in (
        ("last", "first", "the candidate flattens channels-first (PyTorch's order) where the reference flattens "
         "channels-last (Keras' Flatten order)"),
        ("first", "last", "the candidate flattens channels-last (Keras' Flatten order) where the reference "
         "flattens channels-first (PyTorch's order)"),
    ):  # fmt: skip
        c = _compare(ref, cand)
        (finding,) = c.findings
        assert finding.pattern is Pattern.DESCRIBED and words in finding.message
        assert finding.suggestion and "permute the next Linear's input columns" in finding.suggestion
        assert set(finding.mismatches) == set(range(len(c.mismatches)))


def test_another_arrangement_is_said_by_its_ops_and_one_order_is_clean() -> None:
    """Must not fire: the same order both sides compares clean; a transposed map is no flatten order."""
    assert not _compare("last", "last").findings
    (finding,) = _compare("first", "wh").findings
    assert "layout ops (transpose" in finding.message and "channels-" not in finding.message
