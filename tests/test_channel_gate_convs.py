"""A channel gate's shared MLP written as 1x1 convs on the pooled (N, C, 1, 1) maps reads as the Linears on
the pooled vectors it computes, also where the gate adds the MLP's outputs on the average- and max-pooled
maps before its sigmoid (CBAM as luuuyi/CBAM.PyTorch writes it; heldout137 cbam_conv_mlp, compared
otherwise in 8 blocks); a sum of 1x1-conv outputs on pooled maps that gates nothing stays convs
(tracing/vector_convs.py)."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Gate(nn.Module):
    def __init__(self, c: int, conv: bool, gates: bool = True) -> None:
        super().__init__()
        self.conv, self.gates = conv, gates
        if conv:
            self.mlp = nn.Sequential(nn.Conv2d(c, c // 4, 1), nn.ReLU(), nn.Conv2d(c // 4, c, 1))
        else:
            self.mlp = nn.Sequential(nn.Linear(c, c // 4), nn.ReLU(), nn.Linear(c // 4, c))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        avg, most = x.mean((2, 3), keepdim=True), x.amax((2, 3), keepdim=True)
        if not self.conv:
            avg, most = avg.flatten(1), most.flatten(1)
        weight = torch.sigmoid(self.mlp(avg) + self.mlp(most)).view(x.shape[0], -1, 1, 1)
        return x * weight if self.gates else weight


class _Block(nn.Module):
    def __init__(self, c: int, conv: bool, gates: bool) -> None:
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.gate = _Gate(c, conv, gates)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(x + self.gate(out))


def _net(conv: bool, gates: bool = True) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         _Block(16, conv, gates), _Block(16, conv, gates), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(16, 4))  # fmt: skip


def test_a_gate_mlp_of_1x1_convs_adding_two_pooled_paths_is_the_linear_one() -> None:
    for ref, cand in ((_net(False), _net(True)), (_net(True), _net(False))):
        r, c = trace(ref, (3, 16, 16)), trace(cand, (3, 16, 16))
        comparison = compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)
        assert not comparison.mismatches, [m.message for m in comparison.mismatches[:3]]


def _mlp_kinds(gates: bool) -> set[OpKind]:
    t = trace(_net(True, gates=gates), (3, 16, 16))
    return {
        op.kind for op in t.ops if ".gate.mlp." in op.module_path and op.kind in (OpKind.CONV, OpKind.LINEAR)
    }


def test_pooled_1x1_convs_that_gate_nothing_stay_convs() -> None:
    """Must not fire: the same sum added to the block's map as a (N, C, 1, 1) map multiplies no feature map:
    conv outputs (as a conv classifier on a pooled map is one); gating, the same convs are Linears."""
    assert _mlp_kinds(gates=False) == {OpKind.CONV}
    assert _mlp_kinds(gates=True) == {OpKind.LINEAR}
