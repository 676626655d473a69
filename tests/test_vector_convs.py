"""A Linear written as a 1x1 conv on a vector (``Conv1d(c, d, 1)`` on ``x.unsqueeze(-1)``: rtdl's
"MLP via 1-D conv", Packed-Ensembles' PackedLinear) reads as the Linear it computes; a 1x1 conv on a
pooled map stays a conv classifier, a grouped one stays a conv (tracing/vector_convs.py)."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison

VECTOR = torch.Size([1, 12])


class _Block(nn.Module):
    def __init__(self, conv: bool, hidden: int = 32) -> None:
        super().__init__()
        layer = (lambda a, b: nn.Conv1d(a, b, 1)) if conv else nn.Linear
        self.norm, self.first, self.second = nn.BatchNorm1d(16), layer(16, hidden), layer(hidden, 16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.second(torch.relu(self.first(self.norm(x))))


class _Mlp(nn.Module):
    def __init__(self, conv: bool, hidden: int = 32, groups: int = 1) -> None:
        super().__init__()
        self.conv = conv
        self.stem = nn.Conv1d(12, 16, 1) if conv else nn.Linear(12, 16)
        self.blocks = nn.Sequential(*[_Block(conv, hidden) for _ in range(2)])
        self.head = nn.Conv1d(16, 4, 1, groups=groups) if conv else nn.Linear(16, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.unsqueeze(-1) if self.conv else x
        x = self.head(torch.relu(self.blocks(self.stem(x))))
        return x.squeeze(-1) if self.conv else x


def _compare(reference: nn.Module, candidate: nn.Module) -> Comparison:
    ref, cand = trace(reference, VECTOR), trace(candidate, VECTOR)
    return compare_traces(ref, cand, reference_name="ref", candidate_name="cand", num_classes=4)


def test_a_pointwise_conv_on_a_vector_is_a_linear() -> None:
    t = trace(_Mlp(conv=True), VECTOR)
    assert [op.kind for op in t.ops if op.params and op.kind is not OpKind.BATCH_NORM] == [OpKind.LINEAR] * 6
    for a, b in ((_Mlp(False), _Mlp(True)), (_Mlp(True), _Mlp(False))):
        c = _compare(a, b)
        assert not c.mismatches, [m.message for m in c.mismatches[:4]]


def test_its_width_is_a_linears_width() -> None:
    c = _compare(_Mlp(False), _Mlp(True, hidden=16))
    assert {m.field for m in c.mismatches} >= {"out_features", "in_features"}


def test_a_grouped_or_pooled_pointwise_conv_stays_a_conv() -> None:
    grouped = trace(_Mlp(conv=True, groups=2), VECTOR)
    assert grouped.ops[grouped.structure.head[-2]].kind is OpKind.CONV

    class Pooled(nn.Module):  # timm's conv classifier: a 1x1 conv on the pooled 1x1 map
        def __init__(self) -> None:
            super().__init__()
            self.body, self.fc = nn.Conv2d(3, 8, 3, padding=1), nn.Conv2d(8, 4, 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc(nn.functional.adaptive_avg_pool2d(self.body(x), 1)).flatten(1)

    t = trace(Pooled(), 16)
    assert [op.kind for op in t.ops if op.params] == [OpKind.CONV, OpKind.CONV]


class _Se(nn.Module):
    """A block with an SE gate written with Linears on the pooled vector or with 1x1 convs on the
    1 x 1 map (timm, torchvision and NVIDIA's TensorRT export)."""

    def __init__(self, convs: bool) -> None:
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)
        self.convs = convs
        self.fc1: nn.Module = nn.Conv2d(8, 2, 1) if convs else nn.Linear(8, 2)
        self.fc2: nn.Module = nn.Conv2d(2, 8, 1) if convs else nn.Linear(2, 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv(x)
        if self.convs:
            gate = torch.sigmoid(self.fc2(torch.relu(self.fc1(out.mean((2, 3), keepdim=True)))))
        else:
            gate = torch.sigmoid(self.fc2(torch.relu(self.fc1(out.mean((2, 3))))))[:, :, None, None]
        return torch.relu(x + out * gate)


def _se_net(convs: bool, head_conv: bool = False) -> nn.Module:
    head: list[nn.Module] = (
        [nn.Conv2d(8, 4, 1), nn.Flatten()] if head_conv else [nn.Flatten(), nn.Linear(8, 4)]
    )
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Se(convs), nn.AdaptiveAvgPool2d(1), *head)


def test_a_gate_written_with_1x1_convs_is_the_gate_written_with_linears() -> None:
    c = compare_traces(trace(_se_net(False), (3, 16, 16)), trace(_se_net(True), (3, 16, 16)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert not c.mismatches, [m.message for m in c.mismatches]


def test_a_conv_classifier_on_the_pooled_map_stays_a_conv() -> None:
    ops = trace(_se_net(True, head_conv=True), (3, 16, 16)).ops
    assert ops[-2].kind is OpKind.CONV or ops[-1].kind is OpKind.CONV


class _Rows(nn.Module):
    """A Linear on a (N, T, C) sequence (batch first) or on its (N T, C) rows: one op."""

    def __init__(self, rows: bool, out: int = 4) -> None:
        super().__init__()
        self.conv, self.fc, self.rows = nn.Conv2d(3, 8, 3, padding=1), nn.Linear(8, out), rows

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        seq = self.conv(x).mean(2).permute(0, 2, 1)  # N x W x C
        if self.rows:
            n, t, c = seq.shape
            return self.fc(seq.reshape(n * t, c)).view(n, t, -1)
        return self.fc(seq)


def test_a_linear_on_a_sequence_is_the_linear_on_its_rows() -> None:
    def compare(a: nn.Module, b: nn.Module) -> Comparison:
        return compare_traces(trace(a, (3, 8, 8)), trace(b, (3, 8, 8)), reference_name="a", candidate_name="b",
                              num_classes=4)  # fmt: skip

    assert not compare(_Rows(True), _Rows(False)).mismatches
    assert not compare(_Rows(False), _Rows(True)).mismatches
    assert compare(_Rows(True), _Rows(False, out=5)).mismatches


class _PooledThenViewed(nn.Module):
    """IRN's Net_CAM: ``gap2d(x, keepdims=True)`` written as the mean over the flattened map viewed back
    to (N, C, 1, 1), then a bias-free 1x1 conv classifier (heldout105's cam_linear_classifier)."""

    def __init__(self, conv: bool) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), _Se(False))
        self.fc: nn.Module = nn.Conv2d(8, 4, 1, bias=False) if conv else nn.Linear(8, 4, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.body(x)
        pooled = f.view(f.size(0), f.size(1), -1).mean(-1)
        return self.fc(pooled.view(f.size(0), -1, 1, 1) if isinstance(self.fc, nn.Conv2d) else pooled).view(
            -1, 4
        )


def test_a_pooled_vector_viewed_back_to_a_map_is_a_pooled_map() -> None:
    """Its 1x1 conv is a conv classifier, whose (4, 8, 1, 1) weight a Linear's state dict does not load."""
    ops = trace(_PooledThenViewed(conv=True), (3, 8, 8)).ops
    assert [op.kind for op in ops if op.params][-1] is OpKind.CONV
    for a, b in (
        (_PooledThenViewed(False), _PooledThenViewed(True)),
        (_PooledThenViewed(True), _PooledThenViewed(False)),
    ):
        c = compare_traces(trace(a, (3, 8, 8)), trace(b, (3, 8, 8)), reference_name="a", candidate_name="b",
                           num_classes=4)  # fmt: skip
        assert [f.pattern.value for f in c.findings] == ["conv_classifier"], [f.message for f in c.findings]
