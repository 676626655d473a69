"""A conv's bias added by hand is its bias (tracing/conv_bias.py; #23 heldout64's p4_conv_bias: a P4
group conv's one bias per field added over the rotation axis read as "an add of a learned parameter in
6 blocks", never as the conv bias before BatchNorm it is)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _HandConv(nn.Module):
    """``F.conv2d`` on its own weight, then its bias added by hand, over the map or over a grouped view
    of it (``groups`` fields of ``out // groups`` channels each, the bias one per field)."""

    def __init__(self, cin: int, cout: int, groups: int = 1) -> None:
        super().__init__()
        self.groups = groups
        self.weight = nn.Parameter(torch.randn(cout, cin, 3, 3) * 0.1)
        self.bias = nn.Parameter(torch.zeros(cout // groups))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.conv2d(x, self.weight, padding=1)
        if self.groups == 1:
            return y + self.bias.view(1, -1, 1, 1)
        n, c, h, w = y.shape
        y = y.view(n, c // self.groups, self.groups, h, w) + self.bias.view(1, -1, 1, 1, 1)
        return y.reshape(n, c, h, w)


class _Net(nn.Module):
    """conv - BN - ReLU, a residual block of two, a Linear; ``conv`` builds each conv; ``shift``: a
    learned scalar the block adds to its first conv's output in its own forward (Fixup's bias)."""

    def __init__(self, conv: str, *, shift: bool = False) -> None:
        super().__init__()

        def make(cin: int, cout: int) -> nn.Module:
            if conv == "hand":
                return _HandConv(cin, cout)
            if conv == "grouped":
                return _HandConv(cin, cout, groups=2)
            return nn.Conv2d(cin, cout, 3, padding=1, bias=conv == "bias")

        self.stem, self.bn = make(3, 8), nn.BatchNorm2d(8)
        self.conv1, self.bn1, self.conv2, self.bn2 = (
            make(8, 8),
            nn.BatchNorm2d(8),
            make(8, 8),
            nn.BatchNorm2d(8),
        )
        self.shift = nn.Parameter(torch.zeros(1)) if shift else None
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn(self.stem(x)))
        y = self.conv1(x)
        y = y + self.shift if self.shift is not None else y
        y = self.bn2(self.conv2(torch.relu(self.bn1(y))))
        return self.fc(torch.relu(x + y).mean((2, 3)))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=4)  # fmt: skip


def test_a_bias_added_by_hand_is_the_convs_bias_either_way() -> None:
    for hand in ("hand", "grouped"):
        ops = trace(_Net(hand), (3, 8, 8)).ops
        convs = [op for op in ops if op.kind is OpKind.CONV]
        assert all(dict(op.attrs)["bias"] for op in convs) and not any(
            op.name == "add" and op.params for op in ops
        )
        # one bias per field (grouped) is fewer values than one per channel: the parameter count only
        assert {m.field for m in _compare(_Net("bias"), _Net(hand)).mismatches} <= (
            {"params"} if hand == "grouped" else set()
        )
        for ref, cand in ((_Net("plain"), _Net(hand)), (_Net(hand), _Net("plain"))):
            assert {f.pattern for f in _compare(ref, cand).findings} == {Pattern.BIAS_BEFORE_BN}


def test_a_shift_the_block_adds_is_not_a_conv_bias() -> None:
    ops = trace(_Net("plain", shift=True), (3, 8, 8)).ops
    assert not any(dict(op.attrs).get("bias") for op in ops if op.kind is OpKind.CONV)
    assert any(op.kind is OpKind.OTHER and op.params == ("shift",) for op in ops)
