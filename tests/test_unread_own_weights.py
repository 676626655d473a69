"""A model whose forward runs its layers with another module's weights (a student called through
``torch.func.functional_call`` with its teacher's parameters) leaves its own unread: a difference
even on meta, where no value tells the two sets apart, and even though the reference leaves a set
of the same shapes unread too (its teacher)."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison

_MODELS = """
import copy

import torch.nn as nn
from torch.func import functional_call


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        return self.fc(self.bn(self.conv(x)).relu().mean((2, 3)))


class Pair(nn.Module):
    def __init__(self, weights_from):
        super().__init__()
        self.online = Net()
        self.ema = copy.deepcopy(self.online).requires_grad_(False)
        self.weights_from = weights_from

    def forward(self, x):
        if self.weights_from is None:
            return self.online(x)
        return functional_call(self.online, dict(getattr(self, self.weights_from).named_parameters()), (x,))


def plain(num_classes=10):
    return Pair(None)


def own(num_classes=10):
    return Pair("online")


def ema(num_classes=10):
    return Pair("ema")
"""


@pytest.fixture
def models(tmp_path: Path) -> str:
    (tmp_path / "pair_models.py").write_text(_MODELS)
    return str(tmp_path / "pair_models.py")


def _compare(models: str, cand: str, ref: str) -> Comparison:
    model = build_model(f"{models}:{cand}", num_classes=10, device="meta")[0]
    return compare(model, f"{models}:{ref}", input_size=32, num_classes=10, cache=False)


@pytest.mark.parametrize(("cand", "ref", "unread"), [("ema", "plain", "online"), ("plain", "ema", "ema")])
def test_the_own_weights_left_unread_are_a_difference_either_way(
    models: str, cand: str, ref: str, unread: str
) -> None:
    c = _compare(models, cand, ref)
    said = [m.message for m in c.mismatches if "never used in forward" in m.message]
    assert len(said) == 1 and f"{unread}.conv.weight" in said[0] and "in their place" in said[0]


def test_its_own_weights_through_functional_call_compare_clean(models: str) -> None:
    assert not _compare(models, "own", "plain").mismatches
