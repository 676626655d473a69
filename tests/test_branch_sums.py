"""Branches summed that each end in their own nonlinearity (a counting head's dilated conv-BN-ReLU
branches added, as multi-column and multi-scale heads write them) merge no skip: a residual block's
skip is its input or a linear projection of it. Read as blocks, such a head's sums cut the trunk's
last stage wrongly (a block "missing" in a stage the edit never touched), and their adds are called
adds, not residual adds. A block whose main path ends in a ReLU, or whose projection carries one, is
still a block."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Region


def _conv_bn(cin: int, cout: int, stride: int = 1, dilation: int = 1) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, stride, dilation, dilation, bias=False), nn.BatchNorm2d(cout)]


class _Unit(nn.Module):
    def __init__(
        self, cin: int, cout: int, stride: int, relu_end: bool = False, relu_proj: bool = False
    ) -> None:
        super().__init__()
        end: list[nn.Module] = [nn.ReLU()] if relu_end else []
        self.body = nn.Sequential(*_conv_bn(cin, cout, stride), nn.ReLU(), *_conv_bn(cout, cout), *end)
        proj: list[nn.Module] = [nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)]
        self.proj = (
            nn.Sequential(*proj, *([nn.ReLU()] if relu_proj else [])) if (stride, cin) != (1, cout) else None
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = x if self.proj is None else self.proj(x)
        return torch.relu(self.body(x) + skip)


class _Counter(nn.Module):
    """Two stages of two units, then three dilated branches over the last map, merged, and a 1x1
    density layer."""

    def __init__(self, merge: str = "sum", relu_end: bool = False, relu_proj: bool = False) -> None:
        super().__init__()
        self.merge = merge
        self.stem = nn.Sequential(*_conv_bn(3, 8, 2), nn.ReLU())
        self.layer1 = nn.Sequential(_Unit(8, 8, 1, relu_end), _Unit(8, 8, 1, relu_end))
        self.layer2 = nn.Sequential(_Unit(8, 16, 2, relu_end, relu_proj), _Unit(16, 16, 1, relu_end))
        self.branches = nn.ModuleList(
            nn.Sequential(*_conv_bn(16, 8, dilation=d), nn.ReLU()) for d in (1, 2, 3)
        )
        self.density = nn.Conv2d(8 if merge == "sum" else 24, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer2(self.layer1(self.stem(x)))
        b1, b2, b3 = (branch(x) for branch in self.branches)
        y = b1 + b2 + b3 if self.merge == "sum" else torch.cat([b1, b2, b3], 1)
        return self.density(y).flatten(1)


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref, 32), trace(cand, 32), reference_name="ref", candidate_name="cand", num_classes=64
    )


def test_summed_activated_branches_are_no_blocks() -> None:
    t = trace(_Counter("sum"), 32)
    assert [len(s.blocks) for s in t.structure.stages] == [2, 2]
    held = {t.ops[o].module_path.split(".")[0] for o in t.structure.head if t.ops[o].params}
    assert held == {"branches", "density"}


def test_sum_for_concat_is_a_change_in_the_head_alone_either_way() -> None:
    for cand, ref in ((_Counter("sum"), _Counter("cat")), (_Counter("cat"), _Counter("sum"))):
        c = _compare(cand, ref)
        assert c.mismatches and all(m.region is Region.HEAD for m in c.mismatches)
        assert not any("residual add" in m.message for m in c.mismatches), "a head's sum is no residual add"
        assert {i for f in c.findings for i in f.mismatches} == set(range(len(c.mismatches)))


def test_a_block_activated_before_its_add_is_still_a_block() -> None:
    for kw in ({"relu_end": True}, {"relu_proj": True}):
        t = trace(_Counter("sum", **kw), 32)
        assert [len(s.blocks) for s in t.structure.stages] == [2, 2], kw


class _Fusion(nn.Module):
    """Two residual units, then the first unit's map fused with a strided conv-BN of it (with a ReLU, or
    without): an HRNet-style exchange, whose one path runs through residual blocks."""

    def __init__(self, relu: bool) -> None:
        super().__init__()
        self.stem = nn.Sequential(*_conv_bn(3, 8, 2), nn.ReLU())
        self.unit1, self.unit2 = _Unit(8, 8, 1), _Unit(8, 8, 1)
        self.side = nn.Sequential(*_conv_bn(8, 8), *([nn.ReLU()] if relu else []))
        self.unit3, self.unit4 = _Unit(8, 8, 1), _Unit(8, 8, 1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        y = self.unit2(self.unit1(x))
        z = self.unit4(self.unit3(y + self.side(x)))
        return self.fc(z.mean((2, 3)))


def test_an_extra_relu_on_a_fusion_path_changes_no_block() -> None:
    with_relu, without = trace(_Fusion(True), 32), trace(_Fusion(False), 32)
    assert len(with_relu.structure.blocks) == len(without.structure.blocks)


class _TwoStreams(nn.Module):
    """An RGB and a depth encoder, each a stem and two residual units, fused by a sum of 1x1 convs: each
    path holds its encoder's residual adds, so the sum fuses two streams and is no block."""

    def __init__(self) -> None:
        super().__init__()
        self.rgb = nn.Sequential(nn.Sequential(*_conv_bn(3, 8, 2), nn.ReLU()), _Unit(8, 8, 1), _Unit(8, 8, 1))
        self.depth = nn.Sequential(
            nn.Sequential(*_conv_bn(1, 8, 2), nn.ReLU()), _Unit(8, 8, 1), _Unit(8, 8, 1)
        )
        self.left, self.right = nn.Conv2d(8, 8, 1), nn.Conv2d(8, 8, 1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = self.rgb(x[:, :3]), self.depth(x[:, 3:])
        return self.fc(torch.relu(self.left(a) + self.right(b)).mean((2, 3)))


def test_a_sum_of_two_streams_is_no_block() -> None:
    t = trace(_TwoStreams(), (4, 32, 32))
    merges = [t.ops[b.merge_op].module_path for b in t.structure.blocks if b.merge_op is not None]
    assert len(merges) == 4 and all(m.startswith(("rgb", "depth")) for m in merges), merges
