"""A softmax output with a temperature (DINO's teacher: ``softmax(logits / 0.04)``) is one cause: the scale
that only the softmax reads belongs to it (#23 heldout129 dino_teacher_softmax left it unclaimed). A scale
something else reads too is not the softmax's."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Net(nn.Module):
    def __init__(self, head: str) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 16, 3, padding=1)
        self.fc = nn.Linear(16, 10)
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.conv(x))
        logits = self.fc(torch.relu(x + self.conv2(x)).mean((2, 3)))
        if self.head == "tempered":
            return torch.softmax(logits / 0.04, dim=1)
        if self.head == "scaled_twice_read":  # the scaled logits returned beside the probabilities
            scaled = logits / 0.04
            return torch.softmax(scaled, dim=1) + scaled
        return logits


def _compare(head: str) -> Comparison:
    return compare_traces(trace(_Net("logits"), 16), trace(_Net(head), 16), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


def test_the_temperature_is_part_of_the_softmax_output() -> None:
    c = _compare("tempered")
    (f,) = c.findings
    assert f.pattern is Pattern.OUTPUT_SOFTMAX and "temperature (divided by 0.04)" in f.message
    assert sorted(f.mismatches) == list(range(len(c.mismatches)))


def test_a_scale_read_elsewhere_is_not_the_temperature() -> None:  # must not fire
    c = _compare("scaled_twice_read")
    assert not any("temperature" in f.message for f in c.findings)
