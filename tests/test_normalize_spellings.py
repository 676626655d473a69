"""``x / x.norm(p=2, dim=1, keepdim=True).clamp_min(eps)`` is ``F.normalize(x, dim=1)``, on the data
path and in a weight computed in forward, and the axis normalised is compared (tracing/normalize.py,
op_args.normalize_args; #23 heldout39's ArcFace heads)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Cosine(nn.Module):
    """A cosine classifier: features and class weights made unit-length, then their product."""

    def __init__(self, spelling: str, weight_dim: int = 1) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.weight = nn.Parameter(torch.randn(5, 8))
        self.spelling, self.weight_dim = spelling, weight_dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.body(x)
        if self.spelling == "method_default_p":  # ``Tensor.norm``'s p is "fro": over one axis, the 2-norm
            f = f / f.norm(dim=1, keepdim=True).clamp_min(1e-12)
            w = self.weight / self.weight.norm(dim=self.weight_dim, keepdim=True).clamp_min(1e-12)
        elif self.spelling == "method_p1":
            f = f / f.norm(p=1, dim=1, keepdim=True).clamp_min(1e-12)
            w = self.weight / self.weight.norm(p=1, dim=self.weight_dim, keepdim=True).clamp_min(1e-12)
        elif self.spelling == "by_hand":
            f = f / f.norm(p=2, dim=1, keepdim=True).clamp_min(1e-12)
            w = self.weight / self.weight.norm(p=2, dim=self.weight_dim, keepdim=True).clamp_min(1e-12)
        else:
            f, w = F.normalize(f, dim=1), F.normalize(self.weight, dim=self.weight_dim)
        return F.linear(f, w)


def _mismatches(ref: nn.Module, cand: nn.Module) -> list[str]:
    c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                       num_classes=5)  # fmt: skip
    return [m.message for m in c.mismatches]


@pytest.mark.parametrize("spelling", ["by_hand", "method_default_p"])
def test_normalize_written_out_is_normalize(spelling: str) -> None:
    a, b = _Cosine("functional"), _Cosine(spelling)
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 3, 8, 8)
    torch.testing.assert_close(a(x), b(x))
    assert not _mismatches(a, b)
    assert not _mismatches(b, a)


@pytest.mark.parametrize("spelling", ["functional", "by_hand"])
def test_the_axis_is_compared(spelling: str) -> None:
    found = _mismatches(_Cosine("functional"), _Cosine(spelling, weight_dim=0))
    assert found and any("dim=0" in m for m in found), found


def test_another_p_is_not_normalize() -> None:
    found = _mismatches(_Cosine("functional"), _Cosine("method_p1"))
    assert found
    assert _mismatches(_Cosine("method_p1"), _Cosine("method_default_p"))
