"""Block boundaries are read at the rank of the network's maps (tracing/structure.py; #23 heldout32):
a non-local block computing on ``(N, C, T, H, W)`` clips between the 2-D blocks of a TSM-style network
over folded frames is one extra unit of another kind, not extra stages and block counts; a view into
``(N, T, C, H, W)`` after a block's add (a temporal shift there) leaves the block's shape as it is."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern

T = 4


class _Block(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, shift_after: bool = False) -> None:
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(cin, cout, 3, stride, 1), nn.Conv2d(cout, cout, 3, 1, 1)
        self.proj = nn.Conv2d(cin, cout, 1, stride) if stride > 1 or cin != cout else None
        self.shift_after = shift_after

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = self.proj(x) if self.proj is not None else x
        out = torch.relu(self.conv2(torch.relu(self.conv1(x))) + skip)
        if not self.shift_after:
            return out
        nt, c, h, w = out.shape
        clip = out.view(nt // T, T, c, h, w)
        shifted = torch.zeros_like(clip)
        shifted[:, 1:, : c // 4] = clip[:, :-1, : c // 4]
        shifted[:, :, c // 4 :] = clip[:, :, c // 4 :]
        return shifted.view(nt, c, h, w)


class _NonLocal(nn.Module):
    """x + W(attention over the clip), on (N, C, T, H, W)."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.theta, self.phi, self.g, self.w = (nn.Conv3d(c, c, 1) for _ in range(4))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        nt, c, h, w = x.shape
        clip = x.view(nt // T, T, c, h, w).permute(0, 2, 1, 3, 4)
        q, k, v = (f(clip).flatten(2) for f in (self.theta, self.phi, self.g))
        att = torch.softmax(q.transpose(1, 2) @ k, dim=-1)
        y = (v @ att.transpose(1, 2)).view_as(clip)
        out = clip + self.w(y)
        return out.permute(0, 2, 1, 3, 4).reshape(nt, c, h, w)


class _Net(nn.Module):
    def __init__(self, non_local: bool = False, shift_after: bool = False) -> None:
        super().__init__()
        widths = [(8, 8, 1), (8, 8, 1), (8, 16, 2), (16, 16, 1)]
        layers: list[nn.Module] = []
        for i, (a, b, s) in enumerate(widths):
            layers.append(_Block(a, b, s, shift_after))
            if non_local and i in (0, 2):
                layers.append(_NonLocal(b))
        self.stem, self.layers, self.fc = nn.Conv2d(3, 8, 3, 1, 1), nn.Sequential(*layers), nn.Linear(16, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, t, h, w = x.shape
        x = self.layers(self.stem(x.transpose(1, 2).reshape(n * t, c, h, w)))
        return self.fc(x.mean((2, 3)).view(n, t, -1).mean(1))


SHAPE = (1, 3, T, 16, 16)


def test_a_non_local_block_is_one_extra_unit_of_another_kind() -> None:
    ref, cand = trace(_Net(), SHAPE), trace(_Net(non_local=True), SHAPE)
    assert len(cand.structure.stages) == len(ref.structure.stages) == 2
    c = compare_traces(ref, cand, reference_name="a", candidate_name="b", num_classes=5)
    patterns = [f.pattern for f in c.findings]
    assert Pattern.EXTRA_MODULE in patterns and Pattern.BLOCK_COUNTS not in patterns, [
        f.title for f in c.findings
    ]


def test_a_clip_view_after_the_add_keeps_the_block_shape() -> None:
    plain, shifted = trace(_Net(), SHAPE).structure, trace(_Net(shift_after=True), SHAPE).structure
    assert [b.out_shape for b in shifted.blocks] == [b.out_shape for b in plain.blocks]
    assert [s.blocks for s in shifted.stages] == [s.blocks for s in plain.stages]
