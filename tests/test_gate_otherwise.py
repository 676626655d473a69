"""Channel gates on both sides, placed or built otherwise (verify/patterns/gate_otherwise.py): the same SE
gating the block's sum after the add is the gate moved, not "SE missing" (heldout145 sq_se_after_add was
named squeeze_excitation); an ECA gate where the other side's is an SE is ECA (heldout145 sq_eca left three
per-layer findings). Either direction; and nothing from this rule where the gates agree in place and kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

_MODULE = """
import torch
from torch import nn


class SE(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(c, c // r), nn.ReLU(inplace=True), nn.Linear(c // r, c), nn.Sigmoid())

    def forward(self, x):
        y = x.mean((2, 3))
        return x * self.fc(y).view(x.size(0), -1, 1, 1)


class ECA(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv1d(1, 1, 3, padding=1, bias=False)

    def forward(self, x):
        y = x.mean((2, 3)).unsqueeze(1)
        return x * torch.sigmoid(self.conv(y)).transpose(1, 2).unsqueeze(-1)


class Block(nn.Module):
    def __init__(self, c, gate, place):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.gate, self.place = gate, place

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.place == "main":
            out = self.gate(out)
        out = out + x
        if self.place == "tail":
            out = self.gate(out)
        return torch.relu(out)


def net(kind="se", place="main", r=4):
    make = {"se": lambda: SE(16, r), "eca": lambda: ECA(16)}[kind]
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        Block(16, make(), place), Block(16, make(), place),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )


def se_main(num_classes=10):
    return net()


def se_tail(num_classes=10):
    return net(place="tail")


def eca_main(num_classes=10):
    return net("eca")


def se_main_r2(num_classes=10):
    return net(r=2)
"""


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "gate_nets.py").write_text(_MODULE)
    monkeypatch.chdir(tmp_path)
    return "gate_nets.py"


def _compare(spec: str, candidate: str, reference: str) -> Comparison:
    model, name = build_model(f"{spec}:{candidate}", num_classes=10)
    return compare(model, f"{spec}:{reference}", input_size=32, num_classes=10, candidate_name=name)


@pytest.mark.parametrize(("candidate", "reference"), [("se_tail", "se_main"), ("se_main", "se_tail")])
def test_the_same_gate_moved_across_the_add_is_described_as_moved(
    spec: str, candidate: str, reference: str
) -> None:
    c = _compare(spec, candidate, reference)
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED]
    (f,) = c.findings
    assert "after the add" in f.message and "on the main path, before the add" in f.message
    assert set(range(len(c.mismatches))) <= set(f.mismatches), "the move is the one cause of every mismatch"


@pytest.mark.parametrize(("candidate", "reference"), [("eca_main", "se_main"), ("se_main", "eca_main")])
def test_eca_for_se_is_named_eca_either_way_round(spec: str, candidate: str, reference: str) -> None:
    c = _compare(spec, candidate, reference)
    assert [f.pattern for f in c.findings] == [Pattern.ECA]
    assert set(range(len(c.mismatches))) <= set(c.findings[0].mismatches)


def test_gates_in_the_same_place_and_of_the_same_kind_are_not_this_rule(spec: str) -> None:
    c = _compare(spec, "se_main_r2", "se_main")
    assert c.mismatches, "another reduction is a difference"
    assert not [
        f
        for f in c.findings
        if f.title.startswith("channel gate at another place") or " where the reference has " in f.title
    ]
    assert Pattern.SQUEEZE_EXCITATION not in {f.pattern for f in c.findings}


def test_a_gate_on_one_side_only_stays_squeeze_excitation(spec: str, tmp_path: Path) -> None:
    (tmp_path / "plain_nets.py").write_text(_MODULE.replace("out = self.gate(out)", "pass"))
    model, name = build_model("plain_nets.py:se_main", num_classes=10)
    c = compare(model, "gate_nets.py:se_tail", input_size=32, num_classes=10, candidate_name=name)
    assert [f.pattern for f in c.findings] == [Pattern.SQUEEZE_EXCITATION]
    assert "after the add" in c.findings[0].message
