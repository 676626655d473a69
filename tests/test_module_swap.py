"""Another of its own modules run where the reference runs one the candidate also built (verify/
module_swap.py; #23 heldout25, AdvProp's MixBatchNorm left on its auxiliary BN): the same ops, other
weights, said at each norm and grouped as one change, either way round. Modules merely named
otherwise, or the same choice on both sides, are no difference."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.module_swap import FIELD
from resnet_verify.verify.records import Comparison


class _MixBN(nn.Module):
    def __init__(self, c: int, adv: bool) -> None:
        super().__init__()
        self.main_bn, self.aux_bn, self.adv = nn.BatchNorm2d(c), nn.BatchNorm2d(c), adv

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.aux_bn(x) if self.adv else self.main_bn(x)


def _net(adv: bool, renamed: bool = False) -> nn.Module:
    layers = [nn.Conv2d(3, 8, 3), _MixBN(8, adv), nn.ReLU(), nn.Conv2d(8, 8, 3), _MixBN(8, adv), nn.ReLU()]
    if renamed:  # other module names, the same layers
        return nn.Sequential(nn.Sequential(*layers), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 12, 12)), trace(cand, (3, 12, 12)), reference_name="a",
                          candidate_name="b", num_classes=4)  # fmt: skip


def test_the_auxiliary_bn_run_where_the_main_one_should_is_one_change_either_way() -> None:
    for ref, cand, ran in ((_net(False), _net(True), "aux_bn"), (_net(True), _net(False), "main_bn")):
        c = _compare(ref, cand)
        found = [m for m in c.mismatches if m.field == FIELD]
        assert len(found) == 2 and {m.actual for m in found} == {ran}, [m.message for m in c.mismatches]
        assert len(c.findings) == 1 and not c.unexplained, [f.title for f in c.findings]


def test_other_names_or_the_same_choice_are_no_difference() -> None:
    assert not _compare(_net(False), _net(False, renamed=True)).mismatches
    assert not _compare(_net(True), _net(True)).mismatches
