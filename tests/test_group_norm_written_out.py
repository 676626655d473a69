"""A GroupNorm written out with tensor ops (``x.view(N, G, -1)``, the mean and variance over the last
axis, viewed back, a per-channel scale and shift; #23 heldout106) is ``nn.GroupNorm``: it compares
equal to the module, and what the copy does otherwise is the one setting that differs (tracing/
written_norms.py): ``x.var``'s unbiased default, the epsilon on the root, another group count."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Written(nn.Module):
    def __init__(
        self, groups: int, channels: int, variance: str = "biased", eps_outside: bool = False
    ) -> None:
        super().__init__()
        self.groups, self.variance, self.eps_outside = groups, variance, eps_outside
        self.weight, self.bias = nn.Parameter(torch.ones(channels)), nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        g = x.view(n, self.groups, -1)
        mean = g.mean(-1, keepdim=True)
        if self.variance == "spelled_unbiased":
            var = (g - mean).pow(2).sum(-1, keepdim=True) / (g.size(-1) - 1)
        else:
            var = g.var(-1, keepdim=True, unbiased=self.variance == "unbiased")
        g = (g - mean) / (var.sqrt() + 1e-5) if self.eps_outside else (g - mean) * torch.rsqrt(var + 1e-5)
        return g.view(n, c, h, w) * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)


def _net(norm: type[nn.Module] | None = None, **kw: object) -> nn.Module:
    def make(c: int) -> nn.Module:
        return _Written(4, c, **kw) if norm is None else nn.GroupNorm(kw.get("groups", 4), c)  # type: ignore[arg-type]

    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), make(8), nn.ReLU(), nn.Conv2d(8, 16, 3, padding=1), make(16),
                         nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4))  # fmt: skip


def _compare(candidate: nn.Module, reference: nn.Module) -> Comparison:
    return compare_traces(trace(reference, (3, 8, 8)), trace(candidate, (3, 8, 8)), reference_name="ref",
                          candidate_name="cand", num_classes=4)  # fmt: skip


def test_a_group_norm_written_out_is_group_norm() -> None:
    c = _compare(_net(), _net(nn.GroupNorm))
    assert not c.mismatches, [m.message for m in c.mismatches[:4]]


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"variance": "unbiased"}, "unbiased", "divided by n - 1"),
        ({"variance": "spelled_unbiased"}, "unbiased", "divided by n - 1"),
        ({"eps_outside": True}, "eps_at", "eps added to the standard deviation"),
    ],
    ids=["var_default", "sum_over_n_minus_1", "eps_on_the_root"],
)
def test_what_the_copy_does_otherwise_is_one_setting(kw: dict[str, object], field: str, words: str) -> None:
    c = _compare(_net(None, **kw), _net(nn.GroupNorm))
    assert {m.field for m in c.mismatches} == {field}, [m.message for m in c.mismatches[:4]]
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED]
    assert words in c.findings[0].message


def test_another_group_count_is_said_as_one() -> None:
    c = _compare(_net(), _net(nn.GroupNorm, groups=2))
    assert {m.field for m in c.mismatches} == {"num_groups"}, [m.message for m in c.mismatches[:4]]


def test_a_view_that_is_not_grouping_stays_written_as_ops() -> None:
    """Statistics over a row (view(N, C * H, W)) are no GroupNorm, whatever the ops."""

    class _Rows(_Written):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            n, c, h, w = x.shape
            g = x.view(n, c * h, w)
            g = (g - g.mean(-1, keepdim=True)) * torch.rsqrt(g.var(-1, keepdim=True, unbiased=False) + 1e-5)
            return g.view(n, c, h, w) * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)

    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Rows(4, 8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(8, 4))  # fmt: skip
    ref = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.GroupNorm(4, 8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                        nn.Flatten(), nn.Linear(8, 4))  # fmt: skip
    assert any(m.field == "norm" for m in _compare(net, ref).mismatches)
