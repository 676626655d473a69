"""A noise drawn in training and scaled by a number (``x + sigma * torch.randn_like(x)``): the number is
what the layer computes, so sigma 1.0 for 0.1 is a difference even on meta (heldout131), and ``noise / 10``
is ``noise * 0.1``."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor, nn

from resnet_verify.tracing.tracer import trace


class Noise(nn.Module):
    def __init__(self, sigma: float, spelled: str = "times") -> None:
        super().__init__()
        self.sigma, self.spelled = sigma, spelled

    def forward(self, x: Tensor) -> Tensor:
        if not self.training:
            return x
        if self.spelled == "over":
            return x + torch.randn_like(x) / (1 / self.sigma)
        return x + self.sigma * torch.randn_like(x)


def _net(sigma: float, spelled: str = "times") -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), Noise(sigma, spelled), nn.AdaptiveAvgPool2d(1), nn.Flatten()
    )


def _calls(model: nn.Module) -> tuple[str, ...]:
    t = trace(model.to("meta"), (3, 8, 8))
    (noise,) = [r for r in t.regularizers if r.path == "1"]
    return noise.calls


def test_the_scale_of_a_noise_is_recorded() -> None:
    assert "mul(0.1)" in _calls(_net(0.1))
    assert _calls(_net(0.1)) != _calls(_net(1.0))


@pytest.mark.parametrize("sigma", [0.1, 0.25])
def test_dividing_is_multiplying_by_the_inverse(sigma: float) -> None:
    assert _calls(_net(sigma, "over")) == _calls(_net(sigma))
