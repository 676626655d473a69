"""Tracing a model with torch.nn.utils.parametrizations leaves the user's own model as it was: a
deep copy of a parametrized module shares its class with the original, and folding the copy's
parametrizations with torch's ``remove_parametrizations`` deleted the class's ``weight`` property,
so the user's model (and any later trace of it: a second input size for a fixed-window pool) failed
with "'ParametrizedConv2d' object has no attribute 'weight'"."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrizations, parametrize

from resnet_verify.tracing.global_pools import follow_input_size
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _SpectralNet(nn.Module):
    """An SNGP-style net: spectrally normalised convs, a pool sized for 32 px as the ports write it."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = parametrizations.spectral_norm(nn.Conv2d(3, 8, 3, padding=1))
        self.conv2 = parametrizations.weight_norm(nn.Conv2d(8, 8, 3, stride=4, padding=1))
        self.fc = nn.Linear(8, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.avg_pool2d(torch.relu(self.conv2(torch.relu(self.conv1(x)))), 8)
        return self.fc(out.flatten(1))


def test_the_users_model_still_runs_after_a_trace() -> None:
    torch.manual_seed(0)
    model = _SpectralNet().eval()
    x = torch.randn(2, 3, 32, 32)
    before = model(x)
    first = trace(model, (3, 32, 32))
    assert parametrize.is_parametrized(model.conv1) and parametrize.is_parametrized(model.conv2)
    assert torch.allclose(model(x), before)
    follow_input_size(model, first)  # traced again at another size: the pool's window is fixed
    assert torch.allclose(model(x), before)


def test_the_folded_weights_keep_their_values_and_compare_clean() -> None:
    torch.manual_seed(0)
    model = _SpectralNet().eval()
    one, other = trace(model, (3, 32, 32)), trace(model, (3, 32, 32))
    c = compare_traces(one, other, reference_name="r", candidate_name="c", num_classes=10)
    assert not c.mismatches
    assert any(p == "spectral_norm" for p in (dict(op.attrs).get("param_ops") for op in one.ops))
