"""Where a model computes in 16 bits is part of the model (tracing/recorder.py ``_precision``; #23
heldout109's amp_bf16_autocast_stage: a stage under ``torch.autocast("cpu", dtype=torch.bfloat16)``
compared clean, a false "no difference", since the numeric check runs in float64, which autocast never
lowers). An autocast region turned off, or a cast to the dtype a tensor already has, is no difference."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))


class _Net(nn.Module):
    def __init__(self, mode: str = "") -> None:
        super().__init__()
        self.mode = mode
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.layer1, self.layer2 = _Block(8), _Block(8)
        if mode == "cast":
            self.layer2.to(torch.bfloat16)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer1(self.stem(x))
        if self.mode == "autocast":
            with torch.autocast("cpu", dtype=torch.bfloat16):
                x = self.layer2(x)
            x = x.float()
        elif self.mode == "off":
            with torch.autocast("cpu", enabled=False):
                x = self.layer2(x)
        elif self.mode == "cast":  # the stage kept in bfloat16, its input cast down and its output back up
            x = self.layer2(x.to(torch.bfloat16)).float()
        else:
            x = self.layer2(x.type_as(self.stem.weight))
        return self.fc(x.mean((2, 3)))


def plain() -> nn.Module:
    return _Net()


def autocast_stage() -> nn.Module:
    return _Net("autocast")


@pytest.mark.parametrize(("mode", "field"), [("autocast", "autocast"), ("cast", "dtype")])
def test_a_stage_in_16_bits_is_a_difference_the_numbers_do_not_clear(mode: str, field: str) -> None:
    c = compare(_Net(mode), f"{__file__}:plain", input_size=8, num_classes=4)
    assert field in {m.field for m in c.mismatches}, [m.message for m in c.mismatches]
    assert all((m.candidate_path or "").startswith("layer2") for m in c.mismatches if m.field == field)
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED]
    assert "bfloat16 compute" in c.findings[0].message


def test_either_way() -> None:
    c = compare(_Net(), f"{__file__}:autocast_stage", input_size=8, num_classes=4)
    assert {m.field for m in c.mismatches} == {"autocast"}
    assert "full-precision compute" in c.findings[0].message


@pytest.mark.parametrize("mode", ["off", ""])
def test_autocast_turned_off_or_a_cast_to_the_same_dtype_is_no_difference(mode: str) -> None:
    assert not compare(_Net(mode), f"{__file__}:plain", input_size=8, num_classes=4).mismatches


def test_both_sides_under_autocast_compare_clean() -> None:
    assert not compare(_Net("autocast"), f"{__file__}:autocast_stage", input_size=8, num_classes=4).mismatches


class _Whole(_Net):
    """The whole model in bfloat16 (heldout96's bf16_resnet18): where it runs, not what it is."""

    def __init__(self) -> None:
        super().__init__()
        self.to(torch.bfloat16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.to(torch.bfloat16)).float()


def test_a_whole_model_in_16_bits_is_no_difference() -> None:
    assert not compare(_Whole(), f"{__file__}:plain", input_size=8, num_classes=4).mismatches
