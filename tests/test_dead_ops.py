"""An op computed and dropped where the other side uses it (verify/dead_ops.py; #23 heldout39, a
classifier fed the feature before reid's BNNeck): ``self.bn(x)`` without ``x =`` was a false "no
difference"; it is a mismatch at the op, either side. An auxiliary output returned beside the
prediction, and ops the two sides both drop, are not."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.dead_ops import FIELD
from resnet_verify.verify.records import Comparison


class _Block(nn.Module):
    def __init__(self, forget: bool) -> None:
        super().__init__()
        self.conv, self.bn = nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.forget = forget

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv(x)
        if self.forget:
            self.bn(out)  # the slip: the result is dropped
        else:
            out = self.bn(out)
        return torch.relu(out + x)


class _Net(nn.Module):
    def __init__(self, forget: bool = False, aux: bool = False) -> None:
        super().__init__()
        self.stem, self.blocks = nn.Conv2d(3, 8, 3, padding=1), nn.Sequential(_Block(forget), _Block(forget))
        self.pool, self.fc, self.aux = (
            nn.AdaptiveAvgPool2d(1),
            nn.Linear(8, 5),
            nn.Linear(8, 5) if aux else None,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        f = self.pool(self.blocks(self.stem(x))).flatten(1)
        return (self.fc(f), self.aux(f)) if self.aux is not None else self.fc(f)


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=5)  # fmt: skip


def test_a_dropped_result_is_a_mismatch_either_way() -> None:
    for ref, cand, side in (
        (_Net(), _Net(forget=True), "candidate"),
        (_Net(forget=True), _Net(), "reference"),
    ):
        found = [m for m in _compare(ref, cand).mismatches if m.field == FIELD]
        assert len(found) == 2, found
        assert all(f"the {side}'s" in m.message and "nothing reads its result" in m.message for m in found)


def test_both_dropping_it_or_an_aux_output_is_not() -> None:
    assert not _compare(_Net(forget=True), _Net(forget=True)).mismatches
    assert not any(m.field == FIELD for m in _compare(_Net(aux=True), _Net(aux=True)).mismatches)


class _LastStageForNothing(nn.Module):
    """STFPM's MS3 student: layer4 runs after the features are taken, its result unused."""

    def __init__(self, run_layer4: bool) -> None:
        super().__init__()
        from torchvision.models import resnet18

        self.net, self.run_layer4 = resnet18(), run_layer4

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = self.net
        f = n.layer3(n.layer2(n.layer1(n.maxpool(n.relu(n.bn1(n.conv1(x)))))))
        out = f.mean((2, 3))
        if self.run_layer4:
            n.layer4(f)
        return out


def test_blocks_whose_result_reaches_no_output_are_not_the_network_s() -> None:
    live, dead = trace(_LastStageForNothing(False), 64), trace(_LastStageForNothing(True), 64)
    assert len(dead.structure.blocks) == len(live.structure.blocks) == 6
    c = compare_traces(live, dead, reference_name="a", candidate_name="b", num_classes=256)
    assert c.mismatches and all(
        m.candidate_path is None or "layer4" in m.candidate_path for m in c.mismatches
    )
