"""MaxMin (GroupSort of size 2) written as max, min and cat reads as one activation, ``group_sort``,
with its channel pairing and order; another activation where the reference has ELU (not ReLU) is still
an activation swap, either way round; and settings that change together on the same layers are one
described cause."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _MaxMin(nn.Module):
    def __init__(self, halves: bool, maxes_first: bool = True) -> None:
        super().__init__()
        self.halves, self.maxes_first = halves, maxes_first

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.halves:  # channel c with channel c + C/2
            a, b = x.split(x.shape[1] // 2, 1)
            hi, lo = torch.max(a, b), torch.min(a, b)
        else:  # neighbouring channels
            pairs = x.view(x.shape[0], -1, 2, *x.shape[2:])
            hi, lo = pairs.max(2)[0], pairs.min(2)[0]
        return torch.cat([hi, lo] if self.maxes_first else [lo, hi], 1)


class _Block(nn.Module):
    def __init__(self, act: nn.Module) -> None:
        super().__init__()
        self.conv1, self.act, self.conv2 = nn.Conv2d(8, 8, 3, padding=1), act, nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv2(self.act(self.conv1(x)))


def _net(act: type[nn.Module] | None = None, **kw: bool) -> nn.Module:
    make = (lambda: act(**kw)) if act is not None else nn.ELU
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), make(), *[_Block(make()) for _ in range(4)],
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))  # fmt: skip


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 16, 16)), trace(cand, (3, 16, 16)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


@pytest.mark.parametrize("halves", [True, False])
def test_max_min_reads_as_one_group_sort(halves: bool) -> None:
    ops = trace(_net(_MaxMin, halves=halves), (3, 16, 16)).ops
    acts = [op for op in ops if op.kind is OpKind.ACTIVATION]
    assert len(acts) == 5 and all(dict(op.attrs)["function"] == "group_sort" for op in acts)
    assert not [op for op in ops if op.kind in (OpKind.CAT, OpKind.OTHER)]


@pytest.mark.parametrize("swap", [False, True])
def test_max_min_for_elu_is_an_activation_swap(swap: bool) -> None:
    elu, maxmin = _net(), _net(_MaxMin, halves=False)
    c = _compare(*((maxmin, elu) if swap else (elu, maxmin)))
    assert [f.pattern for f in c.findings] == [Pattern.ACTIVATION]
    assert set(c.findings[0].mismatches) == set(range(len(c.mismatches)))
    assert ("group_sort" in c.findings[0].message) and ("elu" in c.findings[0].message)


def test_a_changed_elu_alpha_is_no_activation_swap() -> None:
    changed = nn.Sequential(
        *[_Block(nn.ELU(alpha=0.5)) if isinstance(m, _Block) else m for m in _net().children()]
    )
    c = _compare(_net(), changed)
    assert c.mismatches and Pattern.ACTIVATION not in {f.pattern for f in c.findings}


def test_two_pairings_differ_and_their_settings_are_one_cause() -> None:
    c = _compare(_net(_MaxMin, halves=True), _net(_MaxMin, halves=False, maxes_first=False))
    assert {m.field for m in c.mismatches} == {"pairs", "order"}
    assert len(c.findings) == 1 and c.findings[0].pattern is Pattern.DESCRIBED
    assert "2 settings changed together" in c.findings[0].message
