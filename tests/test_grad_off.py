"""A forward run with gradients off (``with torch.no_grad():`` around the network, ``@torch.no_grad()``
on ``forward``, ``torch.inference_mode()``, ``torch.set_grad_enabled(False)``) computes the same values,
so every shape, parameter and op agrees: compared op by op it was "no difference", yet nothing in the
model can learn. It is a difference, either way round, located at the line that turned gradients off.
What trains less but still trains (a linear probe's frozen encoder: a training choice, as frozen
layers are), torch's own no_grad, a custom autograd Function's forward (its backward recomputes with
gradients) and both sides alike are none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.autograd import grad_mode

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


class _Tiny(nn.Module):
    """A stem, two residual blocks and a head: small enough to trace in milliseconds."""

    def __init__(self, how: str = "") -> None:
        super().__init__()
        self.how = how
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)) for _ in range(2)
        )
        self.fc = nn.Linear(8, 4)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for block in self.blocks:
            x = torch.relu(block(x) + x)
        return x.mean((2, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.how == "no_grad":
            with torch.no_grad():
                return self.fc(self.features(x))
        if self.how == "inference_mode":
            with torch.inference_mode():
                return self.fc(self.features(x))
        if self.how == "set_grad_enabled":
            with torch.set_grad_enabled(False):
                y = self.features(x)
                return self.fc(y)
        if self.how == "probe":  # only the head trains: a training choice
            with torch.no_grad():
                h = self.features(x)
            return self.fc(h)
        if self.how == "enable_inside":
            with torch.no_grad(), torch.enable_grad():
                return self.fc(self.features(x))
        if self.how == "function":
            return _Recomputed.apply(x, self)
        return self.fc(self.features(x))


class _Decorated(_Tiny):
    @torch.no_grad()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.features(x))


class _Recomputed(torch.autograd.Function):
    """Memory-saving: the forward under no_grad, the backward recomputes it with gradients on."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, model: _Tiny) -> torch.Tensor:
        ctx.model = model
        ctx.save_for_backward(x)
        with torch.no_grad():
            return model.fc(model.features(x))

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor | None, None]:
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            x = x.detach().requires_grad_()
            out = ctx.model.fc(ctx.model.features(x))
            (dx,) = torch.autograd.grad(out, x, grad)
        return dx, None


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 16), trace(cand, 16), reference_name="ref", candidate_name="cand", num_classes=4
    )


def _gradient(c: Comparison) -> list[Any]:
    return [m for m in c.mismatches if m.field == "gradient"]


def _line(text: str) -> int:
    source = Path(__file__).read_text().splitlines()
    return next(i for i, line in enumerate(source, 1) if line.strip() == text)


@pytest.mark.parametrize(
    ("how", "spelling", "line"),
    [
        ("no_grad", "torch.no_grad()", 'if self.how == "no_grad":'),
        ("inference_mode", "torch.inference_mode()", 'if self.how == "inference_mode":'),
        ("set_grad_enabled", "torch.set_grad_enabled(False)", 'if self.how == "set_grad_enabled":'),
    ],
)
def test_a_forward_under_no_grad_is_a_difference_at_its_line(how: str, spelling: str, line: str) -> None:
    c = _compare(_Tiny(how), _Tiny())
    (m,) = c.mismatches
    assert m.field == "gradient" and m.candidate_path == "" and spelling in m.message
    assert m.source is not None and m.source.line == _line(line) + 1
    assert "no parameter can learn" in m.message


def test_a_decorated_forward_is_located_at_its_decorator() -> None:
    (m,) = _compare(_Decorated(), _Tiny()).mismatches
    assert m.field == "gradient" and m.source is not None and m.source.line == _line("@torch.no_grad()")


def test_either_way_round() -> None:
    (m,) = _compare(_Tiny(), _Tiny("no_grad")).mismatches
    assert m.field == "gradient" and m.reference_path == "" and "the reference runs its forward" in m.message


@pytest.mark.parametrize("how", ["probe", "enable_inside", "function"])
def test_a_model_that_still_learns_is_no_difference(how: str) -> None:
    assert _gradient(_compare(_Tiny(how), _Tiny())) == []


def test_both_sides_alike_are_no_difference() -> None:
    assert _compare(_Tiny("no_grad"), _Decorated()).mismatches == ()


def test_the_trace_says_where_and_torch_gets_its_managers_back() -> None:
    enter = grad_mode.no_grad.__enter__
    t = trace(_Tiny("probe"), 16)
    (region,) = t.grad_off
    assert region.spelling == "torch.no_grad()" and region.path == ""
    assert t.output_op is not None and not region.first <= t.output_op < region.end  # the head is after
    assert grad_mode.no_grad.__enter__ is enter
    assert trace(_Tiny(), 16).grad_off == ()


def test_torch_keeps_its_managers_when_the_forward_fails() -> None:
    class Broken(_Tiny):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            with torch.no_grad():
                raise RuntimeError("the user's own bug")

    enter, leave = grad_mode.no_grad.__enter__, grad_mode.no_grad.__exit__
    t = trace(Broken(), 16)
    assert t.crash is not None
    assert grad_mode.no_grad.__enter__ is enter and grad_mode.no_grad.__exit__ is leave


class _Cell(nn.Module):
    """A residual cell f(z, x) = relu(z + bn(conv(z)) + x), iterated to a fixed point."""

    def __init__(self) -> None:
        super().__init__()
        self.conv, self.bn = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)

    def forward(self, z: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(z + self.bn(self.conv(z)) + x)


class _Fixed(nn.Module):
    """Two iterations without a tape, then one with it: the one-step gradient of a DEQ."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))
        self.f = _Cell()
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.how == "no_grad":
            with torch.no_grad():
                z = torch.zeros_like(x)
                for _ in range(2):
                    z = self.f(z, x)
        else:
            z = torch.zeros_like(x)
            for _ in range(2):
                z = self.f(z, x)
            if self.how == "detach":
                z = z.detach()
        z = self.f(z, x)
        return self.fc(z.mean((2, 3)))


@pytest.mark.parametrize(("cand", "ref"), [("no_grad", "detach"), ("detach", "no_grad")])
def test_iterations_under_no_grad_are_the_iterations_detached(cand: str, ref: str) -> None:
    assert _gradient(_compare(_Fixed(cand), _Fixed(ref))) == []


def test_iterations_under_no_grad_against_a_full_tape_differ_at_the_with() -> None:
    (m,) = _gradient(_compare(_Fixed("no_grad"), _Fixed("")))
    assert "torch.no_grad() before it" in m.message
    lines = Path(__file__).read_text().splitlines()
    start = next(i for i, line in enumerate(lines, 1) if line.startswith("class _Fixed"))
    with_line = next(
        i for i, line in enumerate(lines, 1) if i > start and line.strip() == "with torch.no_grad():"
    )
    assert m.source is not None and m.source.line == with_line


class _Extractor(nn.Module):
    """Anomaly detection's frozen extractor: a backbone run whole under no_grad, its map averaged over
    each 3 x 3 neighbourhood by a pool or by an unfold and a mean (the same average)."""

    def __init__(self, pool: str) -> None:
        super().__init__()
        self.pool = pool
        self.backbone = _Tiny()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            f = self.backbone.stem(x)
            f = torch.relu(self.backbone.blocks[0](f) + f)
        if self.pool == "unfold":
            n, c, h, w = f.shape
            return F.unfold(f, 3, padding=1).view(n, c, 9, h, w).mean(2)
        return F.avg_pool2d(f, 3, 1, 1)


def test_two_frozen_extractors_pooled_otherwise_cut_alike() -> None:
    assert _gradient(_compare(_Extractor("unfold"), _Extractor("avg"))) == []


def _wrapped(how: str) -> nn.Module:
    model = _Tiny()
    original = model.forward
    if how == "decorated":
        model.forward = torch.no_grad()(model.forward)  # type: ignore[method-assign]
    else:

        def forward(x: torch.Tensor) -> torch.Tensor:
            with torch.inference_mode():
                return original(x)

        model.forward = forward  # type: ignore[method-assign]
    return model


@pytest.mark.parametrize("how", ["decorated", "closure"])
def test_a_deployment_wrapper_set_on_the_instance_is_traced_through(how: str) -> None:
    assert _compare(_wrapped(how), _Tiny()).mismatches == ()
