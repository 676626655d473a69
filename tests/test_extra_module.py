"""Blocks that add filtering or attention stay ResNets (no 'another kind of network' verdict), and a
sub-module the other side's blocks lack is one described difference at its construction line, in
either direction (issue #23). Fixtures: tests/fixtures/quirky/attention_resnets.py (a global-context
block, a blur-pool downsampling), and timm's own attention ResNets."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from conftest import fixture_spec
from fixtures.catalog import BY_NAME

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

ATTENTION = Path(__file__).parent / "fixtures" / "quirky" / "attention_resnets.py"


def _line(text: str) -> int:
    return ATTENTION.read_text().splitlines().index(text) + 1


def _run(candidate: str, reference: str) -> Comparison:
    model = build_model(candidate, num_classes=6)[0]
    return compare(model, reference, input_size=(3, 64, 64), num_classes=6)


def test_a_context_block_in_every_block_is_one_described_module() -> None:
    c = _run(f"{ATTENTION}:context_resnet18", "resnet18")
    (f,) = c.findings
    assert f.pattern is Pattern.EXTRA_MODULE and "ContextBlock" in f.title and "8 blocks" in f.title
    assert "softmax" in f.message and "matmul" in f.message
    site = _line("        self.context = ContextBlock(cout) if context else nn.Identity()")
    assert f.source is not None and f.source.line == site
    assert not c.unexplained


def test_the_reference_holding_the_module_reads_the_other_way() -> None:
    c = _run("torchvision:resnet18", f"{ATTENTION}:context_resnet18")
    assert [f.pattern for f in c.findings] == [Pattern.EXTRA_MODULE]
    assert c.findings[0].title.endswith("(in the reference)") and not c.unexplained


def test_blur_pool_downsampling_is_a_resnet_difference_named_at_its_line() -> None:
    c = _run(f"{ATTENTION}:blur_resnet18", "resnet18")
    assert Pattern.NOT_RESIDUAL not in {f.pattern for f in c.findings}
    (f,) = c.findings
    line = _line(
        "            self.conv1 = nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1, bias=False), BlurPool(cout))"
    )
    assert f.source is not None and f.source.line == line and "In 3 places" in f.message
    assert f.pattern is Pattern.BLUR_POOL  # named from the fixed depthwise filter, not described
    assert not c.unexplained


def test_named_squeeze_excitation_keeps_its_name() -> None:
    f = BY_NAME["broken_squeeze_excitation"]
    c = _run(fixture_spec(f), f.reference)
    assert {x.pattern for x in c.findings} == {Pattern.SQUEEZE_EXCITATION}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("skresnet18", "resnet18"),
        ("resnest14d", "resnet50"),
        ("resnetblur18", "resnet18"),
        ("gcresnet33ts", "resnet50"),
    ],
)
def test_timm_attention_and_blur_resnets_are_not_another_family(name: str, reference: str) -> None:
    pytest.importorskip("timm")
    c = _run(f"timm:{name}", reference)
    assert Pattern.NOT_RESIDUAL not in {f.pattern for f in c.findings}
    assert c.candidate.structure.blocks


@pytest.mark.slow
def test_timm_eca_resnet_names_its_eca_module() -> None:
    """timm's EcaModule (pool, a 1-D conv across channels, sigmoid, multiply) is named from its ops."""
    pytest.importorskip("timm")
    c = _run("timm:ecaresnet26t", "resnet50")
    eca = [f for f in c.findings if f.pattern is Pattern.ECA]
    assert len(eca) == 1 and "Conv1d(1, 1, 5, padding=2" in eca[0].message  # k from the channel count
    assert not [f for f in c.findings if f.pattern in (Pattern.EXTRA_MODULE, Pattern.SQUEEZE_EXCITATION)]


@pytest.mark.slow
def test_selective_kernel_branches_are_not_a_width_change() -> None:
    pytest.importorskip("timm")
    c = _run("timm:skresnet18", "resnet18")  # each branch reads half the channels of a split
    assert Pattern.WIDTHS not in {f.pattern for f in c.findings}
    wide = _run("torchvision:wide_resnet50_2", "resnet50")
    assert Pattern.WIDTHS in {f.pattern for f in wide.findings}


def test_a_module_added_before_the_global_pool_is_one_head_addition() -> None:
    c = _run(f"{ATTENTION}:final_conv_resnet18", "resnet18")
    (f,) = c.findings
    assert f.pattern is Pattern.EXTRA_MODULE and f.title == "An extra FeatureConv in the head"
    assert "1x1 conv" in f.message and not c.unexplained


def test_a_hidden_linear_of_a_deeper_head_is_not_an_added_module() -> None:
    model = build_model("resnet18", num_classes=6)[0]
    model.fc = torch.nn.Sequential(torch.nn.Linear(512, 128), torch.nn.ReLU(), torch.nn.Linear(128, 6))
    c = compare(model, "resnet18", input_size=(3, 64, 64), num_classes=6)
    assert c.mismatches and Pattern.EXTRA_MODULE not in {f.pattern for f in c.findings}


def test_a_blur_run_first_before_a_strided_conv_is_blur_pool() -> None:
    """Composer's / FFCV's BlurPool: a fixed depthwise filter at stride 1 just before the strided conv,
    which keeps its stride; a fixed filter before a stride-1 conv is no downsampling: not named."""
    from torch import nn
    from torchvision.models import resnet18

    class BlurFirst(nn.Module):
        def __init__(self, conv: nn.Conv2d) -> None:
            super().__init__()
            self.conv = conv
            self.filt: torch.Tensor
            k = torch.tensor([1.0, 2.0, 1.0])
            self.register_buffer(
                "filt", (k[:, None] * k[None, :] / 16).expand(conv.in_channels, 1, 3, 3).clone()
            )

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv(nn.functional.conv2d(x, self.filt, padding=1, groups=self.conv.in_channels))

    def blurred(strided: bool) -> nn.Module:
        with torch.device("meta"):
            model = resnet18(num_classes=10)
        for layer in (model.layer2, model.layer3, model.layer4):
            block = layer[0] if strided else layer[1]
            block.conv1 = BlurFirst(block.conv1)
        return model

    named = compare(blurred(True), "resnet18", input_size=64, num_classes=10)
    assert [f.pattern for f in named.findings] == [Pattern.BLUR_POOL] and "blur first" in named.findings[
        0
    ].message
    other = compare(blurred(False), "resnet18", input_size=64, num_classes=10)
    assert other.mismatches and Pattern.BLUR_POOL not in {f.pattern for f in other.findings}


def test_modules_extra_in_the_same_blocks_are_one_finding() -> None:
    """ConvNeXt's step taking two norms and an activation out of every block: one change, one finding
    naming each module; a module extra in other blocks stays its own."""
    import torch
    from torch import nn

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import compare_traces

    class Block(nn.Module):
        def __init__(self, full: bool, gate: bool = False) -> None:
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(8, 8, 3, padding=1), nn.Conv2d(8, 8, 3, padding=1)
            self.bn0 = nn.BatchNorm2d(8)  # kept: the blocks still normalize
            self.bn = nn.BatchNorm2d(8) if full else None
            self.act = nn.ReLU() if full else None
            self.gate = nn.Sequential(nn.Conv2d(8, 8, 1), nn.Sigmoid()) if gate else None

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = self.conv1(x)
            if self.bn is not None and self.act is not None:
                out = self.act(self.bn(out))
            out = self.bn0(self.conv2(out))
            if self.gate is not None:
                out = out * self.gate(out)
            return torch.relu(out + x)

    def net(full: bool, gate_at: int = -1) -> nn.Module:
        blocks = [Block(full, gate=i == gate_at) for i in range(3)]
        return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), *blocks, nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                             nn.Linear(8, 4))  # fmt: skip

    c = compare_traces(trace(net(False), (3, 8, 8)), trace(net(True), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert [f.title for f in c.findings] == ["An extra BatchNorm2d, ReLU in 3 blocks"] and not c.unexplained
    gated = compare_traces(trace(net(False), (3, 8, 8)), trace(net(True, gate_at=1), (3, 8, 8)), reference_name="a",
                           candidate_name="b", num_classes=4)  # fmt: skip
    assert sorted(f.title for f in gated.findings)[0] == "An extra BatchNorm2d, ReLU in 3 blocks"
    assert len(gated.findings) == 2
