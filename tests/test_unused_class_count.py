"""A classifier the traced forward never runs (an auxiliary head used in training only) compared by its
parameters' shapes, paired by name (#23 heldout105's aux_class_count_1000: ``aux_fc = nn.Linear(32, 1000)``
where the builder's is ``nn.Linear(32, num_classes)`` was "parameters never used in forward")."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Block(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv, self.bn = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.bn(self.conv(x)))


class _Aux(nn.Module):
    def __init__(self, aux_out: int = 4, aux_in: int = 8) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.layer1, self.layer2 = _Block(8), _Block(8)
        self.fc = nn.Linear(8, 4)
        self.aux_fc = nn.Linear(aux_in, aux_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        mid = self.layer1(self.stem(x))
        logits = self.fc(self.layer2(mid).mean((2, 3)))
        if self.training:
            return logits, self.aux_fc(mid.mean((2, 3)))
        return logits


def _compare(candidate: nn.Module, reference: nn.Module) -> Comparison:
    return compare_traces(trace(reference.eval(), (3, 8, 8)), trace(candidate.eval(), (3, 8, 8)),
                          reference_name="ref", candidate_name="cand", num_classes=4)  # fmt: skip


def test_a_training_only_head_with_a_written_class_count_is_named_either_way() -> None:
    for cand, ref, words in ((_Aux(1000), _Aux(), "where the reference's has 4"),
                             (_Aux(), _Aux(1000), "The reference holds this variant")):  # fmt: skip
        c = _compare(cand, ref)
        assert [f.pattern for f in c.findings] == [Pattern.CLASS_COUNT], [f.message for f in c.findings]
        assert "aux_fc" in c.findings[0].message and words in c.findings[0].message


def test_another_input_width_is_not_a_class_count() -> None:
    """Linear(16, 4) for Linear(8, 4): the head reads another width, said as the shapes that differ."""
    c = _compare(_Aux(aux_in=16), _Aux())
    assert Pattern.CLASS_COUNT not in {f.pattern for f in c.findings}
    assert any(m.field == "unused weight shape" for m in c.mismatches)


def test_the_same_training_only_head_compares_clean() -> None:
    assert not _compare(_Aux(), _Aux()).mismatches
