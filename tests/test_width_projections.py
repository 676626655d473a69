"""A projection shortcut one side has only because its block changes the width (patterns/widths.py;
#23 heldout29, RepDistiller's resnet8 against resnet8x4): part of the widths cause, either way round,
not an extra module; a projection added where both sides keep the width stays an extra module."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Basic(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int = 1, project: bool = False) -> None:
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        needs = stride != 1 or cin != cout or project
        self.down = (
            nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
            if needs
            else None
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(out + (self.down(x) if self.down is not None else x))


def _resnet8(stem: int, widths: tuple[int, int, int], project: bool = False) -> nn.Module:
    w1, w2, w3 = widths
    return nn.Sequential(
        nn.Conv2d(3, stem, 3, padding=1, bias=False), nn.BatchNorm2d(stem), nn.ReLU(),
        _Basic(stem, w1, project=project), _Basic(w1, w2, 2), _Basic(w2, w3, 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(w3, 10),
    )  # fmt: skip


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 32), trace(cand, 32), reference_name="a", candidate_name="b", num_classes=10
    )


def test_a_projection_the_widths_need_is_the_widths_either_way() -> None:
    thin, wide = _resnet8(16, (16, 32, 64)), _resnet8(32, (64, 128, 256))
    for ref, cand in ((wide, thin), (thin, wide)):
        c = _compare(ref, cand)
        assert [f.pattern for f in c.findings] == [Pattern.WIDTHS] and not c.unexplained, [
            f.title for f in c.findings
        ]


def test_a_projection_added_at_the_same_widths_is_an_extra_module() -> None:
    c = _compare(_resnet8(16, (16, 32, 64)), _resnet8(16, (16, 32, 64), project=True))
    assert [f.pattern for f in c.findings] == [Pattern.EXTRA_MODULE], [f.title for f in c.findings]


class _Crnn(nn.Module):
    """A thin ResNet trunk read column by column by an LSTM (CRNN / CLOVA's FAN)."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.trunk = nn.Sequential(nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
                                   _Basic(width, width), nn.AdaptiveAvgPool2d((1, None)))  # fmt: skip
        self.rnn, self.fc = nn.LSTM(width, 16, batch_first=True), nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        seq = self.trunk(x).squeeze(2).permute(0, 2, 1)
        return self.fc(self.rnn(seq)[0][:, -1])


def test_a_sequence_layer_reading_narrower_features_is_the_widths() -> None:
    c = _compare(_Crnn(32), _Crnn(16))
    assert [f.pattern for f in c.findings] == [Pattern.WIDTHS] and not c.unexplained, [
        (c.mismatches[i].field, c.mismatches[i].message) for i in c.unexplained
    ]


class _Switchable(nn.Module):
    """A slimmable network's layer: a conv at the active width, one BatchNorm per width (switchable)."""

    WIDTHS = (0.5, 0.75, 1.0)

    def __init__(self, cin: int, cout: int, width: float) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, int(cout * width), 3, padding=1, bias=False)
        self.bn = nn.ModuleList([nn.BatchNorm2d(int(cout * w)) for w in self.WIDTHS])
        self.width = width

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.bn[self.WIDTHS.index(self.width)](self.conv(x)))


class _Slim(nn.Module):
    def __init__(self, width: float) -> None:
        super().__init__()
        self.stem = _Switchable(3, 16, width)
        self.a, self.b = _Switchable(int(16 * width), 16, width), _Switchable(int(16 * width), 16, width)
        self.fc = nn.Linear(int(16 * width), 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = x + self.b(self.a(x))
        return self.fc(x.mean((2, 3)))


def test_which_switchable_norm_runs_follows_the_width_either_way() -> None:
    """(#23 heldout51's slim_width_075: 'the batch norm runs 2 where the reference's runs 1' named
    per block besides the widths.)"""
    for ref, cand in ((_Slim(1.0), _Slim(0.75)), (_Slim(0.75), _Slim(1.0))):
        c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                           num_classes=4)  # fmt: skip
        assert {f.pattern for f in c.findings} == {Pattern.WIDTHS}, [f.pattern for f in c.findings]
        assert not c.unexplained
