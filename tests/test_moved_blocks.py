"""Blocks placed elsewhere in their stages (verify/moved_blocks.py, patterns/moved_blocks.py, the kind
cost in verify/align.py; #23 heldout39, fast-reid's non-local index lists counted from the other end):
blocks pair by kind, each non-local unit found at its two places, one described finding, either way
round. The same places compare clean; a stage whose every block became attention (BoTNet) still pairs
block with block."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Bottleneck(nn.Module):
    def __init__(self, c: int, attention: bool = False) -> None:
        super().__init__()
        self.a, self.c = nn.Conv2d(c, c // 2, 1), nn.Conv2d(c // 2, c, 1)
        self.b: nn.Module = _Attention(c // 2) if attention else nn.Conv2d(c // 2, c // 2, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.c(torch.relu(self.b(torch.relu(self.a(x))))))


class _Attention(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.q, self.k, self.v = nn.Conv2d(c, c, 1), nn.Conv2d(c, c, 1), nn.Conv2d(c, c, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        q, k, v = (f(x).flatten(2) for f in (self.q, self.k, self.v))
        return (v @ torch.softmax(q.transpose(1, 2) @ k, -1).transpose(1, 2)).view(n, c, h, w)


class _NonLocal(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.att, self.w = _Attention(c), nn.Conv2d(c, c, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.w(self.att(x))


def _net(after: tuple[int, ...] = (), botnet: bool = False) -> nn.Module:
    layers: list[nn.Module] = []
    for i in range(4):
        layers.append(_Bottleneck(16, attention=botnet))
        if i in after:
            layers.append(_NonLocal(16))
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), *layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(16, 5))  # fmt: skip


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=5)  # fmt: skip


def test_non_local_units_at_other_places_are_one_finding_either_way() -> None:
    for ref, cand in ((_net((2, 3)), _net((0, 1))), (_net((0, 1)), _net((2, 3)))):
        c = _compare(ref, cand)
        assert [f.title for f in c.findings] == ["2 blocks placed elsewhere in their stages"], [
            f.title for f in c.findings
        ]
        assert c.findings[0].pattern is Pattern.DESCRIBED and not c.unexplained


def test_the_same_places_compare_clean() -> None:
    assert not _compare(_net((0, 2)), _net((0, 2))).mismatches


def test_every_block_turned_attention_still_pairs_block_with_block() -> None:
    c = _compare(_net(), _net(botnet=True))
    assert c.mismatches and not any(m.field in ("block", "block_moved") for m in c.mismatches)
