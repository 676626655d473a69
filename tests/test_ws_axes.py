"""A weight standardised over other axes, or with another variance correction, is another layer: the step
carries its reduction's axes and correction (``var_mean(dim=(0, 2, 3), correction=0)``). heldout142
bit_ws_axes (BiT's StdConv2d with its statistics per input channel across the filters, eval outputs 1.2
apart on 1.3) compared clean: ``var_mean`` was named without its axes."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.specs.steps import step_name
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

_MODULE = """
import torch
import torch.nn.functional as F
from torch import nn


class StdConv(nn.Conv2d):
    def __init__(self, cin, cout, dims, **kw):
        super().__init__(cin, cout, 3, padding=1, bias=False)
        self.dims, self.kw = dims, kw

    def forward(self, x):
        var, mean = torch.var_mean(self.weight, dim=self.dims, keepdim=True, **self.kw)
        return F.conv2d(x, (self.weight - mean) / torch.sqrt(var + 1e-6), None, 1, 1)


def net(dims, **kw):
    return nn.Sequential(StdConv(3, 8, dims, **kw), nn.GroupNorm(2, 8), nn.ReLU(), StdConv(8, 8, dims, **kw),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))


def per_filter(num_classes=10):
    return net([1, 2, 3], correction=0)


def per_filter_again(num_classes=10):
    return net((-3, -2, -1), unbiased=False)


def per_input_channel(num_classes=10):
    return net([0, 2, 3], correction=0)


def per_filter_unbiased(num_classes=10):
    return net([1, 2, 3])
"""


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "ws_nets.py").write_text(_MODULE)
    monkeypatch.chdir(tmp_path)
    return "ws_nets.py"


def _compare(spec: str, candidate: str, reference: str) -> Comparison:
    model, name = build_model(f"{spec}:{candidate}", num_classes=10)
    return compare(model, f"{spec}:{reference}", input_size=32, num_classes=10, candidate_name=name)


def test_statistics_over_other_axes_are_another_standardisation(spec: str) -> None:
    c = _compare(spec, "per_input_channel", "per_filter")
    assert c.mismatches, "a kernel standardised per input channel is not one standardised per filter"
    found = [f for f in c.findings if f.pattern is Pattern.DESCRIBED]
    assert found and "per input channel" in found[0].message and "per filter" in found[0].message
    swapped = _compare(spec, "per_filter", "per_input_channel")
    assert swapped.mismatches


def test_another_variance_correction_is_seen(spec: str) -> None:
    assert _compare(spec, "per_filter_unbiased", "per_filter").mismatches


def test_the_same_axes_and_correction_spelled_otherwise_compare_clean(spec: str) -> None:
    c = _compare(spec, "per_filter_again", "per_filter")
    assert not c.mismatches and not c.findings


def test_step_names() -> None:
    import torch

    w = torch.zeros(4, 3, 3, 3)
    assert (
        step_name("var_mean", (w,), {"dim": [1, 2, 3], "correction": 0})
        == "var_mean(dim=(1, 2, 3), correction=0)"
    )
    assert step_name("var", (w, (0, 2, 3), False), {}) == "var(dim=(0, 2, 3), correction=0)"
    assert step_name("std", (w,), {"dim": (1, 2, 3)}) == "std(dim=(1, 2, 3))"  # torch's default correction
    assert step_name("var", (w, False), {}) == "var(correction=0)"  # over every axis, biased
