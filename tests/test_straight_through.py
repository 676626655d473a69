"""A straight-through estimator written with detach (``X.detach() - Y.detach() + Y``, ``(round(x) - x)
.detach() + x``) is the same concept as a ``torch.autograd.Function`` with X forward and its own
backward: compared as one op with a custom gradient, either way round, whatever the Function is
called. Against no custom gradient (a bare sign, the rounding without detach) it still differs."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


class _SignSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        return torch.sign(x)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return grad * torch.clamp(2 - 2 * x.abs(), min=0)


class _Renamed(_SignSTE):
    pass


class _RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        return torch.round(x)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        return grad


def _approx_sign(x: torch.Tensor) -> torch.Tensor:
    """Bi-Real's piecewise polynomial, passed straight through the sign."""
    lo, mid, hi = (x < -1).float(), (x < 0).float(), (x < 1).float()
    y = -1 * lo + (x * x + 2 * x) * (1 - lo)
    y = y * mid + (-x * x + 2 * x) * (1 - mid)
    y = y * hi + 1 * (1 - hi)
    return torch.sign(x).detach() - y.detach() + y


def _act(how: str, x: torch.Tensor) -> torch.Tensor:
    return {
        "detach": _approx_sign,
        "function": _SignSTE.apply,
        "renamed": _Renamed.apply,
        "bare": torch.sign,
        "round_detach": lambda t: (torch.round(t) - t).detach() + t,
        "round_function": _RoundSTE.apply,
        "round_plain": lambda t: torch.round(t) - t + t,
    }[how](x)


class _Net(nn.Module):
    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))
        self.conv1, self.bn1 = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
        self.conv2, self.bn2 = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        out = self.bn1(self.conv1(_act(self.how, x)))
        out = self.bn2(self.conv2(_act(self.how, out)))
        return self.fc((out + x).mean((2, 3)))


def _compare(cand: str, ref: str) -> Comparison:
    return compare_traces(trace(_Net(ref), (3, 8, 8)), trace(_Net(cand), (3, 8, 8)), reference_name="r",
                          candidate_name="c", num_classes=4)  # fmt: skip


@pytest.mark.parametrize(
    ("cand", "ref"),
    [("detach", "function"), ("function", "detach"), ("renamed", "function"), ("round_detach", "round_function"),
     ("round_function", "round_detach")],
)  # fmt: skip
def test_one_estimator_however_written(cand: str, ref: str) -> None:
    c = _compare(cand, ref)
    assert c.mismatches == () and c.findings == ()


@pytest.mark.parametrize(
    ("cand", "ref"), [("detach", "bare"), ("bare", "detach"), ("round_plain", "round_detach")]
)
def test_no_custom_gradient_still_differs(cand: str, ref: str) -> None:
    assert _compare(cand, ref).mismatches


def test_the_trick_leaves_the_residual_add_a_merge() -> None:
    t = trace(_Net("detach"), (3, 8, 8))
    assert len(t.structure.blocks) == 1
    assert sum(dict(o.attrs).get("custom_backward") == "straight-through" for o in t.ops) == 2
