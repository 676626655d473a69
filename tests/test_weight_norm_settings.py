"""torch's weight transforms read with the settings that change what they compute: weight_norm(dim=None)
keeps one g for the whole weight where the default keeps one per output channel, and once folded into a
plain weight for the trace both were one conv with the same shape: compared clean, a false "no
difference". Either API (the old hook, the new parametrization) with the same settings is the same
transform; a spectral norm with more power iterations is another."""

from __future__ import annotations

import warnings

import pytest
import torch
from torch import nn
from torch.nn.utils import parametrizations

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


def _wrap(how: str, m: nn.Module) -> nn.Module:
    if how == "new":
        return parametrizations.weight_norm(m)
    if how == "new_whole":
        return parametrizations.weight_norm(m, dim=None)  # type: ignore[arg-type]
    if how == "old_whole":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # the old API is deprecated; users still call it
            return nn.utils.weight_norm(m, dim=None)  # type: ignore[arg-type]
    if how == "spectral_2":
        return parametrizations.spectral_norm(m, n_power_iterations=2)
    return parametrizations.spectral_norm(m)


class _Net(nn.Module):
    def __init__(self, how: str) -> None:
        super().__init__()
        self.stem = nn.Sequential(_wrap(how, nn.Conv2d(3, 8, 3, padding=1)), nn.ReLU())
        self.body = nn.Sequential(
            _wrap(how, nn.Conv2d(8, 8, 3, padding=1)), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1)
        )
        self.fc = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = torch.relu(self.body(x) + x)
        return self.fc(x.mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 16), trace(cand, 16), reference_name="r", candidate_name="c", num_classes=3
    )


@pytest.mark.parametrize(
    ("cand", "ref"), [("new_whole", "new"), ("new", "new_whole"), ("spectral_2", "spectral")]
)
def test_another_setting_is_another_transform(cand: str, ref: str) -> None:
    c = _compare(_Net(cand), _Net(ref))
    assert [m.field for m in c.mismatches].count("param_ops") == 2


def test_either_api_with_the_same_setting_is_one_transform() -> None:
    assert _compare(_Net("old_whole"), _Net("new_whole")).mismatches == ()
