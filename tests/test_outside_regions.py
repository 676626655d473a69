"""Ops the structure gives to no stem, block or head are still compared (verify/diff_support.py
``outside_regions``; #23 heldout54's rnvp_no_tanh: a RealNVP coupling's ``tanh`` on the log-scale,
between two residual scale-and-shift nets, was in no region, and leaving it out compared clean)."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.diff_support import outside_regions
from resnet_verify.verify.records import Comparison


class _Res(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(c, c, 3, padding=1), nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.conv2(torch.relu(self.conv1(x))))


class _Coupling(nn.Module):
    """An affine coupling whose scale-and-shift net is a small ResNet."""

    def __init__(self, tanh: bool) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(2, 8, 3, padding=1), _Res(8), _Res(8), nn.Conv2d(8, 4, 1))
        self.tanh = tanh

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x_id, x_change = x.chunk(2, dim=1)
        s, t = self.net(x_id).chunk(2, dim=1)
        s = torch.tanh(s) if self.tanh else s
        return torch.cat((x_id, (x_change + t) * s.exp()), dim=1)


def _flow(tanh: bool) -> nn.Module:
    return nn.Sequential(_Coupling(tanh), _Coupling(tanh))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (4, 8, 8)), trace(cand, (4, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=4)  # fmt: skip


def test_an_op_in_no_region_left_out_is_a_mismatch_either_way() -> None:
    t = trace(_flow(True), (4, 8, 8))
    assert any(t.ops[o].name == "tanh" for o in outside_regions(t))  # the case: no region holds it
    for ref, cand in ((_flow(True), _flow(False)), (_flow(False), _flow(True))):
        messages = [m.message for m in _compare(ref, cand).mismatches]
        assert messages and all("tanh" in m for m in messages), messages


def test_the_same_ops_outside_the_regions_are_no_difference() -> None:
    assert not _compare(_flow(True), _flow(True)).mismatches
