"""An op reading another of the paired tensors than the reference's (verify/dataflow_edges.py; #23
heldout44, RAFT's context split with its halves swapped): the same ops in the same order, rewired, is a
mismatch at the op, either way round; the same wiring, or an op between them added, is not this."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.dataflow_edges import FIELD
from resnet_verify.verify.records import Comparison


class _Context(nn.Module):
    def __init__(self, swapped: bool) -> None:
        super().__init__()
        self.conv, self.fc, self.swapped = nn.Conv2d(3, 16, 3, padding=1), nn.Linear(16, 4), swapped

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        net, inp = torch.split(self.conv(x), [8, 8], dim=1)
        if self.swapped:
            net, inp = inp, net
        out = torch.cat([torch.tanh(net), torch.relu(inp)], dim=1)
        return self.fc(out.mean((2, 3)))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=4)  # fmt: skip


def test_halves_swapped_are_rewired_ops_either_way() -> None:
    for ref, cand in ((_Context(False), _Context(True)), (_Context(True), _Context(False))):
        found = [m for m in _compare(ref, cand).mismatches if m.field == FIELD]
        assert len(found) == 2 and all("split" in m.message for m in found), found


def test_the_same_wiring_is_no_difference() -> None:
    assert not _compare(_Context(True), _Context(True)).mismatches
    assert not _compare(_Context(False), _Context(False)).mismatches


class _Encoder(nn.Module):
    """DETR's encoder layer on a map's tokens: positions added to the queries and keys only, or
    (``at_input``) once before the layer, so the values and the residual stream read them too;
    ``swapped``: the residual add's operands in the other order (the same wiring)."""

    def __init__(self, *, at_input: bool = False, swapped: bool = False) -> None:
        super().__init__()
        self.at_input, self.swapped = at_input, swapped
        self.conv, self.fc = nn.Conv2d(3, 8, 3, padding=1), nn.Linear(8, 4)
        self.attn = nn.MultiheadAttention(8, 2)
        self.pos = nn.Parameter(torch.randn(64, 1, 8))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        src = self.conv(x).flatten(2).permute(2, 0, 1)
        if self.at_input:
            src = src + self.pos
            out = self.attn(src, src, src)[0]
        else:
            q = src + self.pos
            out = self.attn(q, q, src)[0]
        src = out + src if self.swapped else src + out
        return self.fc(src.mean(0))


def test_an_op_reading_another_set_of_tensors_is_rewired_either_way() -> None:
    for ref, cand in ((_Encoder(), _Encoder(at_input=True)), (_Encoder(at_input=True), _Encoder())):
        found = [m for m in _compare(ref, cand).mismatches if m.field == FIELD]
        assert found and any("multi_head_attention" in m.message for m in found), found
    assert not _compare(_Encoder(), _Encoder(swapped=True)).mismatches  # an order, not a wiring
