"""A stride carried by another op of the same unit (issue #23): found from which ops stride, said as a
move between them, either direction; nothing moved, nothing said."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Comparison, Pattern

REPO = Path(__file__).resolve().parents[1]
FILE = "tests/fixtures/quirky/moved_strides.py"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _compare(builder: str, *, swap: bool = False) -> Comparison:
    if swap:
        plain = build_model("resnet18", num_classes=10, device="meta")[0]
        return compare(plain, f"{FILE}:{builder}", input_size=64, num_classes=10)
    model = build_model(f"{FILE}:{builder}", num_classes=10)[0]
    return compare(model, "resnet18", input_size=64, num_classes=10)


@pytest.mark.parametrize("swap", [False, True], ids=["candidate", "reference"])
@pytest.mark.parametrize(
    ("builder", "old", "new", "places"),
    [
        ("pool_after_conv", "3x3 conv", "avg pool", 3),
        ("pool_stem", "max pool", "avg pool", 1),
        ("stride_on_second", "first 3x3 conv", "second 3x3 conv", 3),
    ],
)
def test_a_moved_stride_is_one_finding_that_says_from_where_to_where(
    builder: str, old: str, new: str, places: int, swap: bool
) -> None:
    c = _compare(builder, swap=swap)
    assert not c.unexplained
    (f,) = c.findings
    assert f.pattern is Pattern.DOWNSAMPLING_MOVED
    assert f"In {places} place" in f.message
    if swap:
        assert f.title == f"Downsampling moved from the {new} to the {old}"
    else:
        assert f.title == f"Downsampling moved from the {old} to the {new}"


def test_a_pool_that_keeps_the_resolution_is_not_a_moved_stride() -> None:
    c = _compare("extra_pool")
    assert c.mismatches
    assert Pattern.DOWNSAMPLING_MOVED not in {f.pattern for f in c.findings}


def test_the_v1_stride_keeps_its_name() -> None:
    model = build_model("tests/fixtures/models/broken_v1_stride_layer3.py:build", num_classes=10)[0]
    c = compare(model, "resnet50", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.V1_STRIDE]


def test_a_first_stage_that_downsamples_on_both_sides_is_a_move_not_first_stage_downsampling() -> None:
    """insightface's IResNet strides every stage's first block; its stride moved from the second 3x3
    conv to the first, layer1 included, is one move: the first stage downsamples on both sides."""
    from torchvision.models.resnet import BasicBlock, ResNet

    def iresnet(first: bool) -> ResNet:
        model = ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10)
        for stage in (model.layer1, model.layer2, model.layer3, model.layer4):
            block = stage[0]
            block.conv1.stride, block.conv2.stride = ((2, 2), (1, 1)) if first else ((1, 1), (2, 2))
            if block.downsample is None:
                block.downsample = torch.nn.Sequential(
                    torch.nn.Conv2d(64, 64, 1, stride=2, bias=False), torch.nn.BatchNorm2d(64)
                )
        return model

    for ref, cand in ((iresnet(False), iresnet(True)), (iresnet(True), iresnet(False))):
        c = compare_traces(
            trace(ref, 64), trace(cand, 64), reference_name="a", candidate_name="b", num_classes=10
        )
        assert [f.pattern for f in c.findings] == [Pattern.DOWNSAMPLING_MOVED], [f.title for f in c.findings]
