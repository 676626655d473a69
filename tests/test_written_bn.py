"""A BatchNorm and a pool written as formulas are the layers they compute (#23 heldout121's formula ResNet):
tracing/written_bn.py reads ``(x - running_mean) / sqrt(running_var + eps) * w + b`` with its training
branch as BatchNorm, tracing/strided_pools.py a max or mean over ``as_strided`` windows as the pool. Another
eps, another pool stride and a training branch that draws at random stay differences."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


class _FormulaBN(nn.Module):
    def __init__(self, n: int, eps: float = 1e-5, drop: bool = False, grad_mode: bool = False) -> None:
        super().__init__()
        self.eps, self.drop, self.grad_mode = eps, drop, grad_mode
        self.weight, self.bias = nn.Parameter(torch.ones(n)), nn.Parameter(torch.zeros(n))
        self.register_buffer("running_mean", torch.zeros(n))
        self.register_buffer("running_var", torch.ones(n))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        running_mean: torch.Tensor = self.running_mean  # type: ignore[assignment]
        running_var: torch.Tensor = self.running_var  # type: ignore[assignment]
        if self.training if not self.grad_mode else torch.is_grad_enabled():
            mean, var = x.mean([0, 2, 3]), x.var([0, 2, 3], unbiased=False)
            with torch.no_grad():
                running_mean.mul_(0.9).add_(0.1 * mean)
                running_var.mul_(0.9).add_(0.1 * var)
            if self.drop:
                x = F.dropout(x, 0.1)
        else:
            mean, var = running_mean, running_var
        x = (x - mean[None, :, None, None]) / torch.sqrt(var[None, :, None, None] + self.eps)
        return x * self.weight[None, :, None, None] + self.bias[None, :, None, None]


class _WindowPool(nn.Module):
    def __init__(self, step: int = 2, mode: str = "max") -> None:
        super().__init__()
        self.step, self.mode = step, mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.mode == "max":
            x = F.pad(x, (1, 1, 1, 1), value=float("-inf")).contiguous()
        n, c, h, w = x.shape
        k = 3 if self.mode == "max" else 2
        s = x.stride()
        size = (n, c, (h - k) // self.step + 1, (w - k) // self.step + 1, k, k)
        windows = x.as_strided(size, (s[0], s[1], self.step * s[2], self.step * s[3], s[2], s[3]))
        return windows.amax(dim=(-2, -1)) if self.mode == "max" else windows.mean(dim=(-2, -1))


def _net(norm: nn.Module, pool: nn.Module) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), norm, nn.ReLU(), pool, nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


def _compare(reference: nn.Module, candidate: nn.Module) -> Comparison:
    r, c = trace(reference, (3, 16, 16)), trace(candidate, (3, 16, 16))
    return compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)


def test_a_formula_batchnorm_and_window_pools_are_the_layers_either_way() -> None:
    for pool, written in (
        (nn.MaxPool2d(3, 2, 1), _WindowPool()),
        (nn.AvgPool2d(2, 2), _WindowPool(mode="mean")),
    ):
        layers, formulas = _net(nn.BatchNorm2d(8), pool), _net(_FormulaBN(8), written)
        for ref, cand in ((layers, formulas), (formulas, layers)):
            c = _compare(ref, cand)
            assert not c.mismatches and not c.findings, [m.message for m in c.mismatches[:4]]
            assert not c.candidate.regularizers and not c.reference.regularizers


def test_another_eps_another_stride_and_a_drawn_branch_stay_differences() -> None:
    layers = _net(nn.BatchNorm2d(8), nn.MaxPool2d(3, 2, 1))
    eps = _compare(layers, _net(_FormulaBN(8, eps=1e-3), _WindowPool()))
    assert [m.field for m in eps.mismatches] == ["eps"]
    stride = _compare(layers, _net(_FormulaBN(8), _WindowPool(step=1)))
    assert any(m.field == "stride" for m in stride.mismatches)
    drawn = trace(_net(_FormulaBN(8, drop=True), _WindowPool()), (3, 16, 16))
    assert drawn.regularizers


def test_a_formula_whose_training_forward_leaves_its_statistics_alone_is_a_difference() -> None:
    """d2l's batch_norm picks its mode by ``torch.is_grad_enabled()``: a training forward under no_grad reads
    the moving averages and moves nothing, which the numbers (run with gradients) cannot see."""
    pool = nn.MaxPool2d(3, 2, 1)
    c = _compare(_net(_FormulaBN(8), pool), _net(_FormulaBN(8, grad_mode=True), pool))
    assert [m.field for m in c.mismatches] == ["writes_running_stats"]
    assert all("training forward leaves alone" in f.message for f in c.findings)
