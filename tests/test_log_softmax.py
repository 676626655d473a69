"""The log of a softmax is the log_softmax it computes (tracing/log_softmax.py; #23 heldout106's
nll_log_of_softmax read as 'softmax where the reference has log_softmax' and an extra log on meta)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Net(nn.Module):
    def __init__(self, head: str) -> None:
        super().__init__()
        self.head = head
        self.conv, self.fc = nn.Conv2d(3, 8, 3, padding=1), nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.fc(torch.relu(self.conv(x)).mean((2, 3)))
        if self.head == "log_softmax":
            return F.log_softmax(z, 1)
        if self.head == "log_of_softmax":
            return torch.log(F.softmax(z, 1))
        p = F.softmax(z, 1)  # the probabilities, their log beside them: two results, not one op
        return torch.log(p) + p


def _mismatches(head: str) -> int:
    c = compare_traces(trace(_Net("log_softmax"), (3, 8, 8)), trace(_Net(head), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    return len(c.mismatches)


@pytest.mark.parametrize(("head", "same"), [("log_of_softmax", True), ("log_and_probabilities", False)])
def test_the_log_of_a_softmax_read_by_nothing_else_is_log_softmax(head: str, same: bool) -> None:
    assert (_mismatches(head) == 0) is same
