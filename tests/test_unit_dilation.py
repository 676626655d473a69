"""A dilation along a one-tap axis dilates nothing (tracing/unit_dilation.py): a 1x1 projection built with the
stage's dilation compares clean with the same projection undilated (heldout141 dil_1x1_dilated said
"1x1 conv dilation is (2, 2), expected (1, 1)" for outputs 0 apart); a dilated 3x3 is still a difference."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.tracing.unit_dilation import unit_dilations


def _net(d1x1: int, d3x3: int) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=d3x3, dilation=d3x3),
        nn.Conv2d(8, 16, 1, dilation=d1x1),
        nn.Conv2d(16, 16, (1, 3), padding=(0, 1), dilation=(2, 1)),
    )


def _convs(model: nn.Module) -> list[tuple[object, object]]:
    t = trace(model, (1, 3, 16, 16))
    return [(dict(o.attrs)["kernel_size"], dict(o.attrs)["dilation"]) for o in t.ops if o.kind is OpKind.CONV]


def test_a_one_tap_axis_reads_undilated() -> None:
    assert _convs(_net(2, 1)) == _convs(_net(1, 1)) == [((3, 3), (1, 1)), ((1, 1), (1, 1)), ((1, 3), (1, 1))]


def test_a_dilated_kxk_keeps_its_dilation() -> None:
    assert _convs(_net(1, 2))[0] == ((3, 3), (2, 2))


def test_the_pass_changes_only_the_attribute() -> None:
    t = trace(_net(2, 1), (1, 3, 16, 16))
    again = unit_dilations(t.ops)
    assert [(o.id, o.kind, o.inputs, o.out_shape) for o in again] == [
        (o.id, o.kind, o.inputs, o.out_shape) for o in t.ops
    ]
    x = torch.randn(1, 3, 16, 16)
    a, b = _net(2, 1), _net(1, 1)
    b.load_state_dict(a.state_dict())
    assert torch.allclose(a(x), b(x))  # the premise: the same function
