"""Pre-activation blocks written with generic wrappers (``Residual(PreNorm(c, body))`` in an nn.Sequential,
the reference's ReLU after each add the Sequential's next layer): one pre_activation finding claims every
norm and ReLU placed otherwise, whichever module holds the ReLU (#23 heldout113's wrappers_prenorm was also
"ReLU moved across the add, in 3 blocks", a second cause for the same change)."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Residual(nn.Module):
    def __init__(self, fn: nn.Module) -> None:
        super().__init__()
        self.fn = fn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(x) + x


class _PreNorm(nn.Module):
    def __init__(self, c: int, fn: nn.Module) -> None:
        super().__init__()
        self.norm, self.fn = nn.BatchNorm2d(c), fn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(self.norm(x))


def _post(c: int = 8) -> list[nn.Module]:
    body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                         nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))  # fmt: skip
    return [_Residual(body), nn.ReLU()]


def _pre(c: int = 8) -> list[nn.Module]:
    body = nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                         nn.Conv2d(c, c, 3, padding=1, bias=False))  # fmt: skip
    return [_Residual(_PreNorm(c, body))]


def _net(pre: bool) -> nn.Module:
    stem = [nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU()]
    blocks = [m for _ in range(4) for m in (_pre() if pre else _post())]
    final = [nn.BatchNorm2d(8), nn.ReLU()] if pre else []
    return nn.Sequential(*stem, *blocks, *final, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))


def test_pre_activation_through_wrappers_is_one_cause_either_way() -> None:
    for ref, cand in ((_net(False), _net(True)), (_net(True), _net(False))):
        c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                           num_classes=4)  # fmt: skip
        assert [f.pattern for f in c.findings] == [Pattern.PRE_ACTIVATION], [f.message for f in c.findings]
        assert not c.unexplained
