"""A user's ``parametrize`` module that holds parameters of its own (an NF-ResNet's per-filter gain) is part
of the model as built: folded for the trace, its parameters stay the layer's, and the layer counts them as
the same computation written in ``forward`` does (heldout136 nf_ws_parametrize said 2,320 parameters for
2,336 at every conv)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrize

from resnet_verify.specs.usercode import strip_reparametrizations
from resnet_verify.verify.comparison import compare


class _Gained(nn.Module):
    """Scaled weight standardization as a parametrization: the gain is the parametrization's."""

    def __init__(self, cout: int) -> None:
        super().__init__()
        self.gain = nn.Parameter(torch.ones(cout, 1, 1, 1))

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        var, mean = torch.var_mean(w, dim=(1, 2, 3), keepdim=True, unbiased=False)
        return (w - mean) * torch.rsqrt(var + 1e-5) * self.gain


class _GainedConv(nn.Conv2d):
    """The same computation in forward: the gain is the conv's."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__(cin, cout, 3, padding=1)
        self.gain = nn.Parameter(torch.ones(cout, 1, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        var, mean = torch.var_mean(self.weight, dim=(1, 2, 3), keepdim=True, unbiased=False)
        w = (self.weight - mean) * torch.rsqrt(var + 1e-5) * self.gain
        return F.conv2d(x, w, self.bias, padding=1)


def _net(conv: nn.Module) -> nn.Module:
    return nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))


def _parametrized() -> nn.Module:
    conv = nn.Conv2d(3, 8, 3, padding=1)
    parametrize.register_parametrization(conv, "weight", _Gained(8))
    return _net(conv)


def test_folding_keeps_the_parametrizations_own_parameters_on_the_layer() -> None:
    conv = nn.Conv2d(3, 8, 3, padding=1)
    parametrize.register_parametrization(conv, "weight", _Gained(8))
    owned: dict[str, tuple[str, ...]] = {}
    strip_reparametrizations(conv, owned)
    assert owned == {"weight": ("gain",)}
    assert sorted(n for n, _ in conv.named_parameters()) == ["bias", "gain", "weight"]
    assert sum(p.numel() for p in conv.parameters()) == 8 * 27 + 8 + 8


def test_the_layer_counts_the_gain_as_written_in_forward_does(tmp_path, monkeypatch) -> None:
    (tmp_path / "ref_gained.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parent)!r})\n"
        "from test_parametrization_own_params import _GainedConv, _net\n"
        "def build(num_classes=10):\n"
        "    return _net(_GainedConv(3, 8))\n"
    )
    monkeypatch.chdir(tmp_path)
    c = compare(_parametrized(), "ref_gained.py:build", input_size=32, num_classes=10)
    assert not [m.message for m in c.mismatches if m.field == "params"]
    assert sum(p.numel() for p in _parametrized().parameters()) == sum(
        p.numel() for p in _net(_GainedConv(3, 8)).parameters()
    )


def test_a_parametrizations_buffer_is_no_parameter() -> None:
    class _Counted(_Gained):
        def __init__(self, cout: int) -> None:
            super().__init__(cout)
            self.register_buffer("calls", torch.zeros(()))

    conv = nn.Conv2d(3, 8, 3, padding=1)
    parametrize.register_parametrization(conv, "weight", _Counted(8))
    owned: dict[str, tuple[str, ...]] = {}
    strip_reparametrizations(conv, owned)
    assert owned == {"weight": ("gain",)}
