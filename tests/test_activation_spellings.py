"""Activations spelled by hand read as the activation (tracing/opkinds.py, tracing/canonical.py):
ReLU6 as clamp(x, 0, 6) / hardtanh(x, 0, 6) / nn.ReLU6 / F.relu6; hard-swish as x * relu6(x + 3) / 6
in either order. Other bounds or offsets stay what they are."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace


class _Act(nn.Module):
    def __init__(self, spelling: str) -> None:
        super().__init__()
        self.conv, self.spelling, self.relu6 = nn.Conv2d(3, 4, 3), spelling, nn.ReLU6()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.conv(x)
        s = self.spelling
        if s == "module":
            return self.relu6(a)
        if s == "clamp":
            return torch.clamp(a, 0.0, 6.0)
        if s == "hardtanh":
            return F.hardtanh(a, 0.0, 6.0)
        if s == "swish_div_last":
            return a * F.relu6(a + 3.0) / 6.0
        if s == "swish_div_first":
            return a * (F.relu6(a + 3) / 6)
        if s == "clamp5":
            return torch.clamp(a, 0.0, 5.0)
        return a * F.relu6(a + 2.0) / 6.0  # "offset2": not hard-swish


def _functions(spelling: str) -> list[object]:
    ops = trace(_Act(spelling), 16).ops
    return [dict(o.attrs).get("function") for o in ops if o.kind is OpKind.ACTIVATION]


def test_relu6_spellings_read_as_relu6() -> None:
    for spelling in ("module", "clamp", "hardtanh"):
        assert _functions(spelling) == ["relu6"], spelling


def test_hard_swish_by_hand_reads_as_one_hardswish() -> None:
    for spelling in ("swish_div_last", "swish_div_first"):
        assert _functions(spelling) == ["hardswish"], spelling


def test_other_bounds_and_offsets_stay_what_they_are() -> None:
    assert "relu6" not in _functions("clamp5")
    assert _functions("offset2") == ["relu6"]  # the relu6 itself, no hard-swish around it


class _GroupSort(nn.Module):
    """1-Lipschitz nets' activation: sort each pair of channels (or of pixels along the width)."""

    def __init__(self, dim: int = 1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.dim == 1:
            return x.view(x.shape[0], -1, 2, *x.shape[2:]).sort(dim=2)[0].view(*x.shape)
        return x.view(*x.shape[:-1], -1, 2).sort(dim=-1)[0].view(*x.shape)


def test_a_group_sort_module_is_one_activation_paired_with_the_relu_it_replaces() -> None:
    from torchvision.models import resnet18

    from resnet_verify.verify.comparison import compare
    from resnet_verify.verify.records import Pattern

    t = trace(nn.Sequential(nn.Conv2d(3, 8, 3), _GroupSort()), 16)
    (act,) = [op for op in t.ops if op.kind is OpKind.ACTIVATION]
    assert dict(act.attrs)["function"] == "group_sort" and act.out_shape == act.in_shapes[0]
    with torch.device("meta"):
        model = resnet18(num_classes=10)
    for block in (*model.layer1, *model.layer2, *model.layer3, *model.layer4):
        block.relu, block.bn1 = _GroupSort(), nn.Identity()  # the activation swapped, a BN dropped too
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert Pattern.ACTIVATION in {f.pattern for f in c.findings}, [f.title for f in c.findings]
    assert not c.unexplained and "group_sort in place of ReLU" in next(
        f.title for f in c.findings if f.pattern is Pattern.ACTIVATION
    )
    other = trace(nn.Sequential(nn.Conv2d(3, 8, 3), _GroupSort(dim=-1)), 16)
    assert [dict(op.attrs).get("dim") for op in other.ops if op.kind is OpKind.ACTIVATION] != [
        dict(act.attrs)["dim"]
    ]


def test_mish_written_out_is_mish() -> None:
    """GwcNet's Mish, ``x * torch.tanh(F.softplus(x))``, is ``nn.Mish``; ``x * tanh(x)`` is not."""

    class Act(nn.Module):
        def __init__(self, how: str) -> None:
            super().__init__()
            self.conv, self.fc, self.how = nn.Conv2d(3, 8, 3), nn.Linear(8, 4), how

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.conv(x)
            if self.how == "module":
                y = nn.functional.mish(y)
            elif self.how == "written":
                y = y * torch.tanh(F.softplus(y))
            else:
                y = y * torch.tanh(y)
            return self.fc(y.mean((2, 3)))

    from resnet_verify.verify.comparison import compare_traces

    def compare(a: str, b: str) -> list[str]:
        c = compare_traces(trace(Act(a), (3, 8, 8)), trace(Act(b), (3, 8, 8)), reference_name="a",
                           candidate_name="b", num_classes=4)  # fmt: skip
        return [m.message for m in c.mismatches]

    assert not compare("module", "written") and not compare("written", "module")
    assert compare("module", "other")
