"""A 1x1 Conv1d over a map's flattened positions (neural-operator code's ``w(x.view(b, c, -1))``) is the
1x1 Conv2d on the map, either way round; a Conv1d over flattened channels, a kernel wider than one,
and a 1-D network against a 2-D one stay differences."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces


class _Net(nn.Module):
    def __init__(self, skip: str) -> None:
        super().__init__()
        self.skip = skip
        self.lift = nn.Conv2d(3, 8, 3, padding=1)
        self.mix = nn.ModuleList(nn.Conv2d(8, 8, 3, padding=1) for _ in range(2))
        kernel = 3 if skip == "flat3" else 1
        self.ws = nn.ModuleList(
            (nn.Conv1d(8, 8, kernel, padding=kernel // 2) if skip.startswith("flat") else nn.Conv2d(8, 8, 1))
            for _ in range(2)
        )
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.lift(x)
        for mix, w in zip(self.mix, self.ws, strict=True):
            b, c, h, wd = x.shape
            skip = w(x.view(b, c, -1)).view(b, c, h, wd) if self.skip.startswith("flat") else w(x)
            x = torch.relu(mix(x) + skip)
        return self.fc(x.mean((2, 3)))


def _compare(cand: nn.Module, ref: nn.Module, size: tuple[int, ...] = (3, 8, 8)) -> Comparison:
    return compare_traces(trace(ref, size), trace(cand, size), reference_name="r", candidate_name="c",
                          num_classes=4)  # fmt: skip


@pytest.mark.parametrize(("cand", "ref"), [("flat", "map"), ("map", "flat")])
def test_a_flattened_pointwise_conv1d_is_the_conv2d(cand: str, ref: str) -> None:
    c = _compare(_Net(cand), _Net(ref))
    assert c.mismatches == () and c.findings == ()


def test_a_wider_kernel_over_flattened_positions_still_differs() -> None:
    c = _compare(_Net("flat3"), _Net("map"))
    assert any(m.field == "kernel_size" for m in c.mismatches)


def test_the_trace_keeps_a_real_1d_pointwise_conv_1d() -> None:
    net = nn.Sequential(nn.Conv1d(3, 8, 1), nn.ReLU(), nn.Conv1d(8, 8, 1))
    t = trace(net, (3, 16))
    assert [dict(o.attrs)["kernel_size"] for o in t.ops if o.kind.value == "conv"] == [(1,), (1,)]


def test_flattened_channels_are_not_positions() -> None:
    class Rows(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv1d(3 * 8, 8, 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv(x.flatten(1, 2))  # (N, C*H, W): channels and rows merged

    t = trace(Rows(), (3, 8, 8))
    (conv,) = [o for o in t.ops if o.kind.value == "conv"]
    assert dict(conv.attrs)["kernel_size"] == (1,)


def test_a_conv2d_after_an_upsample_by_reshape_keeps_its_rank() -> None:
    class Up(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            n, c, h, w = x.shape
            x = x.reshape(n, c, h, 1, w, 1).repeat(1, 1, 1, 2, 1, 2).reshape(n, c, 2 * h, 2 * w)
            return self.conv(x)

    t = trace(Up(), (3, 8, 8))
    (conv,) = [o for o in t.ops if o.kind.value == "conv"]
    assert dict(conv.attrs)["kernel_size"] == (1, 1)
