"""First-stage downsampling is named only where, cut at width changes as well as at resolution changes, one
first stage halves and the other does not: TF-slim puts each block's stride on its last unit, so a first
stage striding in its first unit against one striding in its last both halve (heldout149
tfs_stride_first_unit was also named first_stage_downsampling; the held-out idiom is its regression test, this
the rule both ways on a small net)."""

from __future__ import annotations

from torch import nn
from torchvision.models.resnet import BasicBlock

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


def _block(cin: int, cout: int, stride: int) -> BasicBlock:
    down = None
    if stride != 1 or cin != cout:
        down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
    return BasicBlock(cin, cout, stride, down)


def _net(strides: list[list[int]]) -> nn.Module:
    widths, layers, cin = [16, 32, 64], [], 16
    for w, s in zip(widths, strides, strict=True):
        layers.append(nn.Sequential(*[_block(cin if i == 0 else w, w, st) for i, st in enumerate(s)]))
        cin = w
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), *layers,
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))  # fmt: skip


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(
        trace(ref.eval(), 32), trace(cand.eval(), 32), reference_name="r", candidate_name="c", num_classes=10
    )


def test_a_first_stage_halving_in_another_block_is_not_first_stage_downsampling() -> None:
    slim, first = _net([[1, 2], [1, 2], [1, 1]]), _net([[2, 1], [2, 1], [1, 1]])
    for c in (_compare(first, slim), _compare(slim, first)):
        assert c.mismatches
        assert Pattern.FIRST_STAGE_STRIDE not in {f.pattern for f in c.findings}


def test_a_first_stage_that_halves_against_one_that_does_not_is_named() -> None:
    c = _compare(_net([[2, 1], [2, 1], [2, 1]]), _net([[1, 1], [2, 1], [2, 1]]))
    assert Pattern.FIRST_STAGE_STRIDE in {f.pattern for f in c.findings}
