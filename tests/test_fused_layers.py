"""Layers fused into one on one side (a qkv Linear split in three, a gate conv to 2C split into its
tanh and sigmoid halves) and kept apart on the other compute the same function: the numeric check
pairs the fused layer's tensors with the others stacked, either direction, and clears the comparison.
A fused layer whose parts are used otherwise (the query's part read as the key too, the halves'
activations swapped) still differs."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.fused_pairs import fused_pairing


class _Attention(nn.Module):
    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.how = how
        if how == "split":
            self.q, self.k, self.v = nn.Linear(c, c), nn.Linear(c, c), nn.Linear(c, c)
        else:
            self.qkv = nn.Linear(c, 3 * c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        t = x.flatten(2).transpose(1, 2)
        if self.how == "split":
            q, k, v = self.q(t), self.k(t), self.v(t)
        else:
            q, k, v = self.qkv(t).chunk(3, dim=-1)
            if self.how == "fused_query_twice":
                k = q
        a = torch.softmax(q @ k.transpose(1, 2) / c**0.5, dim=-1)
        return x + (a @ v).transpose(1, 2).reshape(n, c, h, w)


class _Gate(nn.Module):
    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.how = how
        if how == "split":
            self.filter, self.gate = nn.Conv2d(c, c, 3, padding=1), nn.Conv2d(c, c, 3, padding=1)
        else:
            self.both = nn.Conv2d(c, 2 * c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.how == "split":
            f, g = self.filter(x), self.gate(x)
        else:
            f, g = self.both(x).chunk(2, dim=1)
            if self.how == "fused_swapped":
                f, g = g, f
        return x + torch.tanh(f) * torch.sigmoid(g)


def _net(unit: type[nn.Module], how: str, num_classes: int) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), unit(16, how), unit(16, how),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, num_classes),
    )  # fmt: skip


def attention_split(num_classes: int = 10) -> nn.Module:
    return _net(_Attention, "split", num_classes)


def attention_fused(num_classes: int = 10) -> nn.Module:
    return _net(_Attention, "fused", num_classes)


def attention_fused_query_twice(num_classes: int = 10) -> nn.Module:
    return _net(_Attention, "fused_query_twice", num_classes)


def gate_split(num_classes: int = 10) -> nn.Module:
    return _net(_Gate, "split", num_classes)


def gate_fused(num_classes: int = 10) -> nn.Module:
    return _net(_Gate, "fused", num_classes)


def gate_fused_swapped(num_classes: int = 10) -> nn.Module:
    return _net(_Gate, "fused_swapped", num_classes)


def _compare(ref: str, cand: str) -> tuple[int, tuple[str, ...]]:
    torch.manual_seed(0)
    c = compare(globals()[cand](), f"{__file__}:{ref}", input_size=(3, 8, 8), num_classes=10, cache=False)
    return len(c.mismatches), c.notes


@pytest.mark.parametrize(("a", "b"), [("attention_split", "attention_fused"), ("gate_split", "gate_fused")])
@pytest.mark.parametrize("fused_is_reference", [False, True])
def test_fused_layers_compute_what_the_separate_ones_do(a: str, b: str, fused_is_reference: bool) -> None:
    ref, cand = (b, a) if fused_is_reference else (a, b)
    mismatches, notes = _compare(ref, cand)
    assert mismatches == 0 and any("same function" in n for n in notes), notes


@pytest.mark.parametrize(
    ("ref", "cand"),
    [
        ("attention_split", "attention_fused_query_twice"),
        ("gate_split", "gate_fused_swapped"),
        ("gate_fused_swapped", "gate_split"),
    ],
)
def test_fused_parts_used_otherwise_still_differ(ref: str, cand: str) -> None:
    mismatches, notes = _compare(ref, cand)
    assert mismatches and not any("same function" in n for n in notes), notes


def test_the_pairing_stacks_runs_of_modules_into_one() -> None:
    split = [
        ("q.weight", (4, 8)),
        ("q.bias", (4,)),
        ("k.weight", (4, 8)),
        ("k.bias", (4,)),
        ("fc.weight", (2, 4)),
    ]
    fused = [("qk.weight", (8, 8)), ("qk.bias", (8,)), ("fc.weight", (2, 4))]
    p = fused_pairing(split, fused)
    assert p is not None and p.pairs == (("fc.weight", "fc.weight"),)
    assert [(s.reference, s.candidate) for s in p.stacked] == [
        (("q.weight", "k.weight"), ("qk.weight",)),
        (("q.bias", "k.bias"), ("qk.bias",)),
    ]
    back = fused_pairing(fused, split)
    assert back is not None and [s.reference for s in back.stacked] == [("qk.weight",), ("qk.bias",)]
    assert fused_pairing(split, split) is None  # nothing fused: the plain pairing's
    assert fused_pairing(split, [("qk.weight", (9, 8)), ("qk.bias", (9,)), ("fc.weight", (2, 4))]) is None
