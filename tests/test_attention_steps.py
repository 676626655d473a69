"""``F.scaled_dot_product_attention`` compares as the attention it computes: against the same
attention written by hand (``bmm`` / ``@`` / ``matmul``, a scale or none) it is no difference, and a
real difference in the steps (a scale left out, a causal mask) is still one."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Attention(nn.Module):
    """Non-local attention over the positions of a feature map, spelled one of several ways."""

    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.how = how
        self.q, self.k, self.v = (nn.Conv2d(c, c // 2, 1, bias=False) for _ in range(3))
        self.out = nn.Conv2d(c // 2, c, 1, bias=False)

    def _attend(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        d = q.shape[-1]
        if self.how == "sdpa":
            return F.scaled_dot_product_attention(q, k, v)
        if self.how == "sdpa_causal":
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
        if self.how == "sdpa_causal_unscaled":
            return F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=1.0)
        if self.how == "sdpa_unscaled":
            return F.scaled_dot_product_attention(q, k, v, scale=1.0)
        if self.how == "bmm_scaled":
            return torch.bmm(torch.softmax(torch.bmm(q, k.transpose(1, 2)) * d**-0.5, dim=-1), v)
        if self.how == "matmul_scaled":
            return torch.softmax((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d)), -1) @ v
        assert self.how == "bmm_unscaled"
        return torch.bmm(torch.softmax(torch.bmm(q, k.transpose(1, 2)), dim=-1), v)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        q, k, v = (m(x).flatten(2).transpose(1, 2) for m in (self.q, self.k, self.v))
        y = self._attend(q, k, v).transpose(1, 2).reshape(n, -1, h, w)
        return x + self.out(y)


def _net(how: str) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), _Attention(16, how),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )  # fmt: skip


def _differs(ref: str, cand: str) -> bool:
    c = compare_traces(trace(_net(ref), (3, 8, 8)), trace(_net(cand), (3, 8, 8)), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    return bool(c.mismatches or c.findings)


@pytest.mark.parametrize(
    ("fused", "by_hand"),
    [("sdpa", "bmm_scaled"), ("sdpa", "matmul_scaled"), ("sdpa_unscaled", "bmm_unscaled")],
)
@pytest.mark.parametrize("fused_is_reference", [True, False])
def test_the_fused_call_is_the_attention_written_by_hand(
    fused: str, by_hand: str, fused_is_reference: bool
) -> None:
    ref, cand = (fused, by_hand) if fused_is_reference else (by_hand, fused)
    assert not _differs(ref, cand)


@pytest.mark.parametrize(("fused", "by_hand"), [("sdpa", "bmm_unscaled"), ("sdpa_unscaled", "bmm_scaled")])
@pytest.mark.parametrize("fused_is_reference", [True, False])
def test_a_scale_left_out_is_still_a_difference(fused: str, by_hand: str, fused_is_reference: bool) -> None:
    ref, cand = (fused, by_hand) if fused_is_reference else (by_hand, fused)
    assert _differs(ref, cand)


def test_a_causal_attention_is_not_read_as_the_plain_one() -> None:
    assert _differs("bmm_scaled", "sdpa_causal")
    assert _differs("sdpa", "sdpa_causal")
    assert _differs("sdpa_causal", "sdpa_causal_unscaled")
