"""An op run inside a custom autograd Function's forward carries the Function's name (tracing/
custom_grad.py; #23 heldout25, Madry's FakeReLU): the same forward ops with another backward are a
mismatch at the op, either side; the same Function on both sides, or plain modules, are not."""

from __future__ import annotations

import gc
from typing import Any

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _FakeReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        return grad  # every gradient passes, dead units included


class _Net(nn.Module):
    def __init__(self, fake: bool) -> None:
        super().__init__()
        self.conv, self.fc, self.fake = nn.Conv2d(3, 8, 3), nn.Linear(8, 4), fake

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)
        x = _FakeReLU.apply(x) if self.fake else torch.relu(x)
        return self.fc(x.mean((2, 3)))


def _messages(ref: nn.Module, cand: nn.Module) -> list[str]:
    c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                       num_classes=4)  # fmt: skip
    return [m.message for m in c.mismatches]


def test_a_custom_backward_is_a_difference_either_way() -> None:
    for ref, cand in ((_Net(False), _Net(True)), (_Net(True), _Net(False))):
        found = _messages(ref, cand)
        assert len(found) == 1 and "custom_backward" in found[0] and "_FakeReLU" in found[0], found


def test_the_same_function_on_both_sides_is_no_difference() -> None:
    assert not _messages(_Net(True), _Net(True))
    assert not _messages(_Net(False), _Net(False))


class _Recompute(torch.autograd.Function):
    """A memory-saving Function (RevNet's coupling, a checkpoint): a whole computation, recomputed in
    the backward with autograd's own gradient."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, conv: nn.Module) -> torch.Tensor:
        ctx.conv = conv
        ctx.save_for_backward(x)
        with torch.no_grad():
            return torch.relu(conv(x)) + x

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            x = x.detach().requires_grad_(True)
            y = torch.relu(ctx.conv(x)) + x
            (g,) = torch.autograd.grad(y, x, grad)
        return g, None


def test_a_function_wrapping_a_whole_computation_keeps_no_name() -> None:
    class Block(nn.Module):
        def __init__(self, recompute: bool) -> None:
            super().__init__()
            self.conv, self.recompute = nn.Conv2d(8, 8, 3, padding=1), recompute

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return _Recompute.apply(x, self.conv) if self.recompute else torch.relu(self.conv(x)) + x

    def net(recompute: bool) -> nn.Module:
        return nn.Sequential(nn.Conv2d(3, 8, 3), Block(recompute), nn.AdaptiveAvgPool2d(1), nn.Flatten())

    assert not _messages(net(False), net(True))


class _Collected(nn.Module):
    """Two calls of one Function, the garbage collector run between them (as it may run on its own)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _FakeReLU.apply(x)
        gc.collect()  # frees the first call's ctx unless the trace holds it: its id is free for the next
        return _FakeReLU.apply(x * 2)


def test_each_call_keeps_its_name_whenever_the_collector_runs() -> None:
    names = [dict(op.attrs).get("custom_backward") for op in trace(_Collected(), (3, 4, 4)).ops]
    assert names.count("_FakeReLU") == 2, names  # two calls of one op each, never joined into one
