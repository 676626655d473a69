"""A LayerNorm written out with tensor ops (ResMLP / MLP-Mixer / ConvNeXt ports, #23 heldout28) is
``nn.LayerNorm``: the mean over the trailing axes subtracted, a biased variance, eps added, a scale
and shift. It compares equal to the module; an unbiased variance, no centering (RMSNorm) or another
eps computes something else and stays a difference."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison

SHAPE = torch.Size([1, 16, 32])  # tokens x features


class _Written(nn.Module):
    def __init__(self, dim: int, variance: Callable[[torch.Tensor], torch.Tensor], eps: float = 1e-5,
                 centred: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))
        self.variance, self.eps, self.centred = variance, eps, centred

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u = x.mean(-1, keepdim=True) if self.centred else torch.zeros_like(x[..., :1])
        return (x - u) / torch.sqrt(self.variance(x) + self.eps) * self.weight + self.bias


def _biased_by_mean(x: torch.Tensor) -> torch.Tensor:
    return (x - x.mean(-1, keepdim=True)).pow(2).mean(-1, keepdim=True)


def _biased_by_var(x: torch.Tensor) -> torch.Tensor:
    return x.var(-1, unbiased=False, keepdim=True)


def _unbiased(x: torch.Tensor) -> torch.Tensor:
    return x.var(-1, keepdim=True)


def _mean_square(x: torch.Tensor) -> torch.Tensor:
    return x.pow(2).mean(-1, keepdim=True)


class _Block(nn.Module):
    def __init__(self, norm: nn.Module) -> None:
        super().__init__()
        self.norm, self.fc1, self.fc2 = norm, nn.Linear(32, 64), nn.Linear(64, 32)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.fc2(torch.relu(self.fc1(self.norm(x))))


class _Net(nn.Module):
    def __init__(self, norm: Callable[[], nn.Module]) -> None:
        super().__init__()
        self.stem = nn.Linear(32, 32)
        self.blocks = nn.Sequential(*[_Block(norm()) for _ in range(3)])
        self.norm = norm()
        self.head = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.norm(self.blocks(self.stem(x))).mean(1))


def _compare(norm: Callable[[], nn.Module]) -> Comparison:
    ref, cand = trace(_Net(lambda: nn.LayerNorm(32)), SHAPE), trace(_Net(norm), SHAPE)
    return compare_traces(ref, cand, reference_name="ref", candidate_name="cand", num_classes=10)


@pytest.mark.parametrize("variance", [_biased_by_mean, _biased_by_var], ids=["mean_of_squares", "var"])
def test_a_layer_norm_written_out_is_layer_norm(variance: Callable[[torch.Tensor], torch.Tensor]) -> None:
    c = _compare(lambda: _Written(32, variance))
    assert not c.mismatches, [m.message for m in c.mismatches[:4]]


@pytest.mark.parametrize(
    ("norm", "field"),
    [
        (lambda: _Written(32, _unbiased), "unbiased"),
        (lambda: _Written(32, _mean_square, centred=False), "norm"),
        (lambda: _Written(32, _biased_by_var, eps=1e-6), "eps"),
    ],
    ids=["unbiased_variance", "rms_norm", "other_eps"],
)
def test_another_norm_written_out_stays_a_difference(norm: Callable[[], nn.Module], field: str) -> None:
    c = _compare(norm)
    assert {m.field for m in c.mismatches} >= {field}, [m.message for m in c.mismatches[:4]]
    assert all((m.candidate_path or "").endswith("norm") for m in c.mismatches if m.field == field)
