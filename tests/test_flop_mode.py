"""FlopCount: torch's FLOP formulas without FlopCounterMode's torch._dynamo import."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from resnet_verify.tracing.flop_mode import FlopCount


class _Mixed(nn.Module):
    """Ops whose formulas differ: conv (grouped, strided, transposed), linear, matmul, bmm, einsum,
    attention, plus ops that cost nothing in torch's registry (pooling, activations, layout)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(8, 16, 3, stride=2, padding=1, groups=2, bias=True)
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.fc = nn.Linear(32, 12)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.conv(x))
        y = self.up(F.max_pool2d(y, 2))
        seq = y.flatten(2).transpose(1, 2)[..., :8].repeat(1, 1, 4)  # (N, L, 32)
        q = self.fc(seq)
        attn = F.scaled_dot_product_attention(q[:, None], q[:, None], q[:, None])
        z = torch.bmm(q, q.transpose(1, 2)) @ q + torch.einsum("nlc,nmc->nlm", q, q).sum() + attn[:, 0]
        return z.mean(1)


def _flops(mode: Callable[[], object], model: nn.Module, x: torch.Tensor) -> int:
    with torch.no_grad(), mode() as counter:  # type: ignore[attr-defined]
        model(x)
    if isinstance(counter, FlopCounterMode):
        return counter.get_total_flops()
    assert isinstance(counter, FlopCount)
    return counter.total


@pytest.mark.parametrize("device", ["cpu", "meta"])
def test_totals_equal_flopcountermodes(device: str) -> None:
    model = _Mixed().to(device)
    x = torch.empty(2, 8, 16, 16, device=device) if device == "meta" else torch.randn(2, 8, 16, 16)
    ours = _flops(FlopCount, model, x)
    assert ours > 0 and ours == _flops(lambda: FlopCounterMode(display=False), model, x)


def test_outputs_are_unchanged() -> None:
    model, x = _Mixed().eval(), torch.randn(1, 8, 16, 16)
    with torch.no_grad():
        plain = model(x)
        with FlopCount():
            counted = model(x)
    assert torch.equal(plain, counted)


def test_counting_never_imports_dynamo() -> None:
    code = (
        "import sys, torch\n"
        "from resnet_verify.tracing.flop_mode import FlopCount\n"
        "with FlopCount() as f: torch.nn.Conv2d(3, 4, 3)(torch.zeros(1, 3, 8, 8))\n"
        "assert f.total == 2 * 4 * 27 * 36, f.total\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
