"""A weight computed in forward is named only where both sides run that layer (verify/patterns/
param_ops.py; #23 heldout68's bot_no_position and coat_no_rel_bias: a BoTNet without its rel_h + rel_w
position term had the position matmul aligned with the softmax after it and was named "parameters
computed in forward")."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Attention(nn.Module):
    """BoTNet's MHSA on a map: content logits q^T k, plus (``position``) q^T (rel_h + rel_w)."""

    def __init__(self, width: int, size: int, *, position: bool) -> None:
        super().__init__()
        self.position = position
        self.qkv = nn.Conv2d(width, 3 * width, 1)
        self.rel_h = nn.Parameter(torch.randn(1, width, size, 1))
        self.rel_w = nn.Parameter(torch.randn(1, width, 1, size))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        q, k, v = self.qkv(x).view(n, 3, c, h * w).unbind(1)
        logits = torch.matmul(q.transpose(1, 2), k)
        if self.position:
            table = (self.rel_h + self.rel_w).view(1, c, -1).permute(0, 2, 1)
            logits = logits + torch.matmul(table, q)
        attention = logits.softmax(dim=-1)
        return torch.matmul(v, attention.transpose(1, 2)).view(n, c, h, w)


class _Net(nn.Module):
    def __init__(self, *, position: bool, width: int = 8) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        self.blocks = nn.ModuleList([_Attention(width, 8, position=position) for _ in range(2)])
        self.fc = nn.Linear(width, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        for block in self.blocks:
            x = torch.relu(x + block(x))
        return self.fc(x.mean((2, 3)))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=4)  # fmt: skip


def test_a_term_left_out_is_not_a_weight_computed_otherwise_either_way() -> None:
    for ref, cand in (
        (_Net(position=True), _Net(position=False)),
        (_Net(position=False), _Net(position=True)),
    ):
        c = _compare(ref, cand)
        assert c.mismatches
        assert Pattern.PARAM_OPS not in {f.pattern for f in c.findings}, [f.message for f in c.findings]
