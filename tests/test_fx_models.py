"""A model torch.fx generated (torchvision's ``create_feature_extractor``: its ``forward`` has no
``__module__``) is traced like any other (#23 heldout43, PatchCore's extractor crashed the regularizer
scan): the same features as the eager cut, no difference."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models.feature_extraction import create_feature_extractor

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Fx(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = create_feature_extractor(resnet18(), {"layer3": "feat"})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)["feat"]


class _Eager(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(*list(resnet18().children())[:-3])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


def test_an_fx_extractor_compares_like_its_eager_cut() -> None:
    c = compare_traces(trace(_Eager(), 64), trace(_Fx(), 64), reference_name="a", candidate_name="b",
                       num_classes=10)  # fmt: skip
    assert not c.mismatches, [m.message for m in c.mismatches[:3]]
