"""A gate applied after the last block's add is the last block's, not the head's (tracing/last_tail.py; #23
heldout110's bneck_se_after_add: the last block's SE pool and Linears were paired with the classifier)."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self, se: bool) -> None:
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)
        self.se = nn.Sequential(nn.Linear(8, 2), nn.ReLU(), nn.Linear(2, 8), nn.Sigmoid()) if se else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(x + self.conv(x))
        if self.se is None:
            return out
        return out * self.se(out.mean((2, 3)))[:, :, None, None]


def _net(se: bool) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Block(se), _Block(se), _Block(se), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


def test_the_last_blocks_gate_is_in_its_tail_and_the_head_is_the_classifier() -> None:
    s = trace(_net(True), (3, 8, 8)).structure
    ops = trace(_net(True), (3, 8, 8)).ops
    assert any(ops[o].kind is OpKind.MUL for o in s.blocks[-1].tail)
    assert [ops[o].kind for o in s.head if ops[o].kind is OpKind.LINEAR] == [OpKind.LINEAR]


def test_a_gate_after_every_add_is_one_module_in_every_block_either_way() -> None:
    for ref, cand in ((_net(False), _net(True)), (_net(True), _net(False))):
        c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                           num_classes=4)  # fmt: skip
        assert Pattern.DESCRIBED not in {f.pattern for f in c.findings}, [f.message for f in c.findings]
        assert not any(m.region is not None and m.region.value == "head" for m in c.mismatches)


class _GainBlock(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)
        self.res_scale = nn.Parameter(torch.ones(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu((x + self.conv(x)) * self.res_scale)


class _Outside(nn.Module):
    """The same multiply written by the model after its blocks: the head's, not the last block's."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks = nn.Sequential(_Block(False), _Block(False))
        self.scale = nn.Parameter(torch.ones(()))
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc((self.blocks(x) * self.scale).mean((2, 3)))


def test_a_gain_the_last_block_applies_is_its_tail() -> None:
    t = trace(nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _GainBlock(), _GainBlock(), nn.AdaptiveAvgPool2d(1),
                            nn.Flatten(), nn.Linear(8, 4)), (3, 8, 8))  # fmt: skip
    last = t.structure.blocks[-1]
    assert {t.ops[o].kind for o in last.tail} >= {OpKind.OTHER, OpKind.RELU}
    assert not any(t.ops[o].kind in (OpKind.OTHER, OpKind.RELU) for o in t.structure.head)


def test_a_multiply_the_model_writes_after_its_blocks_stays_in_the_head() -> None:
    t = trace(_Outside(), (8, 8, 8))
    assert any(t.ops[o].kind is OpKind.OTHER for o in t.structure.head)
