"""Blocks are counted where the network is deeper, not where its additions join the same layers
otherwise (#23: heldout63's DTNet without recall and R2U-Net's recurrent units, heldout57's membrane
updates, heldout58's piecewise-polynomial sign, all named "block counts" before).

- An add with no learned layer on either path is arithmetic inside a layer, not a residual block
  (tracing/structure.py).
- A unit one side has and the other lacks that is unlike its stage's blocks (a loop's plain conv
  between its residual blocks) is described, either direction.
- Where both sides run their learned layers as often, blocks cut otherwise are described, not named.
- A block the other side lacks that runs shared weights, where that side shares too, is that block.
"""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern

_IN = (3, 8, 8)


class _Piecewise(nn.Module):
    """Three residual blocks whose activation is a sign (``poly=False``) or a piecewise polynomial
    that sums two computed terms (Bi-Real's approximation): adds of no learned tensor."""

    def __init__(self, *, poly: bool, width: int = 8) -> None:
        super().__init__()
        self.poly = poly
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        self.convs = nn.ModuleList([nn.Conv2d(width, width, 3, padding=1) for _ in range(3)])
        self.fc = nn.Linear(width, 4)

    def act(self, x: torch.Tensor) -> torch.Tensor:
        if not self.poly:
            return torch.sign(x)
        return (x < 0).float() * (x * x + 2 * x) + (x >= 0).float() * (2 * x - x * x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for conv in self.convs:
            x = x + conv(self.act(x))
        return self.fc(x.mean((2, 3)))


class _Looped(nn.Module):
    """A thought refined ``iters`` times by one shared residual block, each time after a conv over
    the thought and the input concatenated (``recall``, DeepThinking's DTNet) or not."""

    def __init__(self, *, recall: bool, iters: int = 3, width: int = 8) -> None:
        super().__init__()
        self.recall, self.iters = recall, iters
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        self.recall_conv = nn.Conv2d(width + 3, width, 3, padding=1) if recall else None
        self.conv1 = nn.Conv2d(width, width, 3, padding=1)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)
        self.fc = nn.Linear(width, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.stem(x))
        for _ in range(self.iters):
            if self.recall_conv is not None:
                h = self.recall_conv(torch.cat([h, x], 1))
            h = torch.relu(h + self.conv2(torch.relu(self.conv1(h))))
        return self.fc(h.mean((2, 3)))


class _Recurrent(nn.Module):
    """R2U-Net's recurrent unit: one conv applied to the input plus its own last output
    (``fed_back``), or, the bug, to the input added to itself; the unit inside a residual add."""

    def __init__(self, *, fed_back: bool, width: int = 8) -> None:
        super().__init__()
        self.fed_back = fed_back
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        self.conv = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU())
        self.fc = nn.Linear(width, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for _ in range(2):
            h = self.conv(x)
            for _ in range(2):
                h = self.conv(x + h) if self.fed_back else self.conv(x + x)
            x = x + h
        return self.fc(x.mean((2, 3)))


class _Joined(nn.Module):
    """Four convs, each with its own skip (``per_conv``) or in pairs under one skip: the same layers
    run as often, the additions at other places."""

    def __init__(self, *, per_conv: bool, width: int = 8) -> None:
        super().__init__()
        self.per_conv = per_conv
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        self.convs = nn.ModuleList([nn.Conv2d(width, width, 3, padding=1) for _ in range(4)])
        self.fc = nn.Linear(width, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        if self.per_conv:
            for conv in self.convs:
                x = torch.relu(x + conv(x))
        else:
            for a, b in zip(self.convs[::2], self.convs[1::2], strict=True):
                x = torch.relu(x + b(torch.relu(a(x))))
        return self.fc(x.mean((2, 3)))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, _IN), trace(cand, _IN), reference_name="a", candidate_name="b",
                          num_classes=4)  # fmt: skip


def _patterns(c: Comparison) -> set[Pattern]:
    return {f.pattern for f in c.findings}


def test_an_add_of_no_learned_tensor_is_no_block() -> None:
    blocks = trace(_Piecewise(poly=True), _IN).structure.blocks
    assert len([b for b in blocks if b.merge_op is not None]) == 3, [b.path for b in blocks]
    for ref, cand in (
        (_Piecewise(poly=True), _Piecewise(poly=False)),
        (_Piecewise(poly=False), _Piecewise(poly=True)),
    ):
        c = _compare(ref, cand)
        assert c.mismatches and not any(m.field == "block" for m in c.mismatches), c.mismatches
        assert Pattern.BLOCK_COUNTS not in _patterns(c)


def test_a_loops_plain_conv_is_described_either_way_and_more_iterations_are_more_blocks() -> None:
    for ref, cand, side in (
        (_Looped(recall=True), _Looped(recall=False), "The reference has"),
        (_Looped(recall=False), _Looped(recall=True), "The candidate has"),
    ):
        c = _compare(ref, cand)
        assert Pattern.BLOCK_COUNTS not in _patterns(c), [f.message for f in c.findings]
        units = [
            f for f in c.findings if f.pattern is Pattern.EXTRA_MODULE and "between its blocks" in f.message
        ]
        assert units and units[0].message.startswith(side), [f.message for f in c.findings]
    # must not fire: one more iteration of the loop is one more block, named, and the extra
    # application of the shared weights is that block, not a sharing difference of its own
    c = _compare(_Looped(recall=False, iters=3), _Looped(recall=False, iters=4))
    assert _patterns(c) == {Pattern.BLOCK_COUNTS}, [f.message for f in c.findings]
    assert not any(m.field == "shared_params" for m in c.mismatches), c.mismatches


def test_blocks_cut_otherwise_at_the_same_depth_are_described_not_counted() -> None:
    for ref, cand in (
        (_Joined(per_conv=True), _Joined(per_conv=False)),
        (_Joined(per_conv=False), _Joined(per_conv=True)),
    ):
        c = _compare(ref, cand)
        assert Pattern.BLOCK_COUNTS not in _patterns(c), [f.message for f in c.findings]
        joined = [f for f in c.findings if f.title == "Blocks joined otherwise"]
        assert joined and "both run their learned layers 6 times" in joined[0].message, [
            f.message for f in c.findings
        ]
    for fed_back in (True, False):
        c = _compare(_Recurrent(fed_back=fed_back), _Recurrent(fed_back=not fed_back))
        assert c.mismatches
        assert Pattern.BLOCK_COUNTS not in _patterns(c), [f.message for f in c.findings]
