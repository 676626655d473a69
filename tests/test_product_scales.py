"""An einsum that is a batched matmul is the matmul, and a scalar factor on a product of two tensors is one scale wherever it is written: on q before
``q @ k.T`` (timm's unfused attention), on the scores after it (torch's fused attention, a hand-written
``* d ** -0.5``) or split over q and k (OpenAI's attention pool); a changed or lost scale is still a
difference, and a scaled tensor something else reads is left as it is."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.einsum_matmul import is_matmul
from resnet_verify.tracing.product_scales import scales_into_products
from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Scores(nn.Module):
    """Self-attention over a feature map's positions with the scores' scale written one of several ways."""

    def __init__(self, c: int, how: str, scale: float) -> None:
        super().__init__()
        self.how, self.scale = how, scale
        self.qkv = nn.Conv2d(c, 3 * c, 1, bias=False)

    def _scores(self, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        if self.how == "before":
            q = q * self.scale
            return q @ k.transpose(-2, -1)
        if self.how == "after":
            return torch.matmul(q, k.transpose(-2, -1)) * self.scale
        if self.how == "divided_after":
            return torch.bmm(q, k.transpose(1, 2)) / (1.0 / self.scale)
        if self.how == "split":
            root = self.scale**0.5
            return torch.einsum("btc,bsc->bts", q * root, k * root)
        if self.how == "einsum_after":
            return torch.einsum("btc,bsc->bts", q, k) * self.scale
        if self.how == "unscaled":
            return q @ k.transpose(-2, -1)
        assert self.how == "reused"  # the scaled q is also added to the output
        q = q * self.scale
        return q @ k.transpose(-2, -1) + q.sum(-1, keepdim=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        q, k, v = self.qkv(x).flatten(2).transpose(1, 2).chunk(3, dim=-1)
        if self.how == "fused":
            y = F.scaled_dot_product_attention(q, k, v, scale=self.scale)
        else:
            y = torch.softmax(self._scores(q, k), dim=-1) @ v
        return x + y.transpose(1, 2).reshape(n, c, h, w)


def _net(how: str, scale: float = 0.25) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), _Scores(16, how, scale),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )  # fmt: skip


def _differences(ref: nn.Module, cand: nn.Module) -> int:
    c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    return len(c.mismatches) + len(c.findings)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("before", "fused"),
        ("before", "after"),
        ("split", "after"),
        ("divided_after", "before"),
        ("split", "fused"),
        ("einsum_after", "before"),
    ],
)
@pytest.mark.parametrize("swap", [False, True])
def test_a_scale_before_or_after_the_product_is_one_scale(one: str, other: str, swap: bool) -> None:
    ref, cand = (_net(one), _net(other)) if not swap else (_net(other), _net(one))
    assert _differences(ref, cand) == 0


@pytest.mark.parametrize(("one", "other"), [("before", "fused"), ("split", "after"), ("before", "after")])
@pytest.mark.parametrize("swap", [False, True])
def test_a_changed_scale_is_still_a_difference(one: str, other: str, swap: bool) -> None:
    ref, cand = (_net(one, 0.25), _net(other, 0.125)) if not swap else (_net(other, 0.125), _net(one, 0.25))
    assert _differences(ref, cand) > 0


@pytest.mark.parametrize("scaled", ["before", "after", "split"])
@pytest.mark.parametrize("swap", [False, True])
def test_a_scale_left_out_is_still_a_difference(scaled: str, swap: bool) -> None:
    ref, cand = (_net(scaled), _net("unscaled")) if not swap else (_net("unscaled"), _net(scaled))
    assert _differences(ref, cand) > 0


def test_a_scaled_tensor_read_elsewhere_is_not_folded() -> None:
    ops = scales_into_products(trace(_net("reused"), (3, 8, 8)).ops)
    multiplies = [op for op in ops if op.kind is OpKind.OTHER and dict(op.attrs).get("scalar") == 0.25]
    assert multiplies, "the scale read by the product and the sum stays a multiply"
    assert not any("scaled_by" in dict(op.attrs) for op in ops if dict(op.attrs).get("function") == "matmul")


def test_the_folded_scale_is_the_product_of_the_factors() -> None:
    ops = trace(_net("split", 0.09), (3, 8, 8)).ops
    scores = next(dict(op.attrs) for op in ops if dict(op.attrs).get("function") == "matmul")
    assert scores.get("scaled_by") == 0.09


@pytest.mark.parametrize(
    "equation",
    ["bic,bjc->bij", "bij,bjk->bik", "...ij,...jk->...ik", "bhqd,bhkd->bhqk", "ij,jk->ik", "bci,bcj->bij"],
)
def test_an_einsum_that_is_a_batched_matmul_reads_as_one(equation: str) -> None:
    assert is_matmul(equation)


@pytest.mark.parametrize(
    "equation",
    ["bij,bij->b", "bi,bj->bij", "bij,bjk->bki", "bcij,bcjk->bik", "bii,bij->bij", "bij,jk->bik", "bij,bjk"],
)
def test_an_einsum_that_is_no_matmul_stays_an_einsum(equation: str) -> None:
    assert not is_matmul(equation)
