"""What heldout8 (1-D / 3-D ResNets from public code) taught, each with the case where the old
answer is still right: a model built on meta whose forward needs real tensors is traced on CPU
storage; ``x.data`` keeps the dataflow; a head that pools globally twice and concatenates is no
fixed-size head and its Linear no width; a (2+1)-D conv's midplanes are no network width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18
from torchvision.models.video import r2plus1d_18

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern


class ZeroPadShortcut(nn.Module):
    """Option-A style: a shortcut that concatenates zeros made where the code says (the CPU), and
    reads ``.data`` as Kenshohara's 3D-ResNets do."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(4, 8, 3, 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = F.avg_pool2d(x, 1, 2)
        zeros = torch.zeros(skip.size(0), 4, skip.size(2), skip.size(3))
        return self.conv(x) + torch.cat([skip.data, zeros], dim=1)


def test_a_meta_built_model_that_needs_real_tensors_is_traced_on_cpu() -> None:
    with torch.device("meta"):
        model = ZeroPadShortcut()
    t = trace(model, (1, 4, 16, 16))
    assert t.crash is None and t.device == "cpu" and t.meta_failed
    assert len(t.structure.blocks) == 1  # the add joins the conv and the input: `.data` kept the flow


def test_x_data_is_recorded_as_the_same_values() -> None:
    t = trace(ZeroPadShortcut(), (1, 4, 16, 16))
    data = [op for op in t.ops if op.name == "data"]
    assert len(data) == 1 and data[0].inputs and data[0].inputs[0] >= 0


def _concat_head(model: nn.Module, fixed: bool) -> nn.Module:
    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(1024 if not fixed else 512 * 4, 10)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if fixed:
                return self.fc(x.flatten(1))  # the 2x2 map of a 64 px input, flattened: a fixed head
            return self.fc(
                torch.cat([F.adaptive_avg_pool2d(x, 1), F.adaptive_max_pool2d(x, 1)], 1).flatten(1)
            )

    model.avgpool, model.fc = nn.Identity(), Head()
    return model


def test_a_head_pooling_twice_is_no_fixed_head_nor_a_width() -> None:
    c = compare(
        _concat_head(resnet18(num_classes=10), fixed=False),
        "torchvision:resnet18",
        input_size=64,
        num_classes=10,
    )
    names = {f.pattern for f in c.findings}
    assert Pattern.FIXED_HEAD not in names and Pattern.WIDTHS not in names and c.mismatches


def test_a_flattened_map_head_is_still_fixed_size() -> None:
    c = compare(
        _concat_head(resnet18(num_classes=10), fixed=True),
        "torchvision:resnet18",
        input_size=64,
        num_classes=10,
    )
    assert Pattern.FIXED_HEAD in {f.pattern for f in c.findings}


def _midplanes(model: nn.Module, scale: float) -> nn.Module:
    """Every (2+1)-D conv of torchvision's R(2+1)D-18 rebuilt with ``scale`` x its midplanes."""
    for seq in [m for m in model.modules() if isinstance(m, nn.Sequential)]:
        convs = list(seq)
        for i in range(len(convs) - 3):
            a, bn, _, b = convs[i : i + 4]
            if not (isinstance(a, nn.Conv3d) and isinstance(b, nn.Conv3d) and isinstance(bn, nn.BatchNorm3d)):
                continue
            if a.kernel_size[0] != 1 or b.kernel_size[1:] != (1, 1):
                continue
            mid = int(a.out_channels * scale)
            seq[i] = _like(a, a.in_channels, mid)
            seq[i + 1] = nn.BatchNorm3d(mid)
            seq[i + 3] = _like(b, mid, b.out_channels)
    return model


def _like(conv: Any, cin: int, cout: int) -> nn.Conv3d:
    return nn.Conv3d(cin, cout, conv.kernel_size, conv.stride, conv.padding, bias=False)


def test_midplanes_of_factorised_convs_are_not_network_widths() -> None:
    model = _midplanes(r2plus1d_18(num_classes=10), 1.5)
    c = compare(model, "torchvision:r2plus1d_18", input_size=torch.Size((1, 3, 4, 32, 32)), num_classes=10)
    assert c.mismatches and Pattern.WIDTHS not in {f.pattern for f in c.findings}


def test_a_narrower_unfactorised_conv_is_still_widths() -> None:
    narrow = resnet18(num_classes=10)
    narrow.layer4[1].conv1 = nn.Conv2d(512, 256, 3, 1, 1, bias=False)
    narrow.layer4[1].bn1 = nn.BatchNorm2d(256)
    narrow.layer4[1].conv2 = nn.Conv2d(256, 512, 3, 1, 1, bias=False)
    c = compare(narrow, "torchvision:resnet18", input_size=64, num_classes=10)
    assert Pattern.WIDTHS in {f.pattern for f in c.findings}


def test_a_builder_that_reads_values_builds_on_meta_through_the_cpu(tmp_path: Path) -> None:
    """ConvNeXt-style per-block rates (``torch.linspace(0, r, n).tolist()``) cannot be read on meta:
    the builder runs on the CPU and the model is then moved (no UsageError)."""
    source = tmp_path / "m.py"
    source.write_text(
        "import torch\nfrom torchvision.models import resnet18\n\n\n"
        "def build(num_classes: int = 10):\n"
        "    rates = torch.linspace(0, 0.1, 8).tolist()\n"
        "    model = resnet18(num_classes=num_classes)\n"
        "    model.rates = rates\n"
        "    return model\n"
    )
    model, _ = build_model(f"{source}:build", num_classes=10, device="meta")
    rates: Any = model.rates
    assert all(p.is_meta for p in model.parameters()) and len(rates) == 8


class _Skipped(nn.Module):
    """Runs its branch or skips it whole on one draw (stochastic depth as first written)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, 1, 1)
        self.p = 0.2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training and torch.rand(1).item() < self.p:
            return x
        return x + self.conv(x)


class _Masked(_Skipped):
    """Masks activations at random (dropout): the draw's use tells the two apart."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            return x + self.conv(x) * (torch.rand_like(x) > self.p)
        return x + self.conv(x)


def test_a_draw_that_decides_the_branch_is_stochastic_depth() -> None:
    from resnet_verify.tracing.records import RegularizerKind
    from resnet_verify.tracing.regularizers import regularizer_of

    assert regularizer_of(_Skipped()) == (RegularizerKind.DROP_PATH, 0.2)
    assert regularizer_of(_Masked()) == (RegularizerKind.DROPOUT, 0.2)
