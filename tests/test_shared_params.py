"""Weights shared where the reference has its own: the same ops run, so op by op nothing differs, and
the model is another one (heldout9's shared_block_list was a false "no difference"). One mismatch per
block that reruns what an earlier layer ran; nothing for a module without parameters called twice, or
where the reference shares too."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Pattern
from resnet_verify.verify.sharing import reused

R18 = "torchvision:resnet18"


def test_a_block_object_used_twice_is_reported_at_the_block_that_reuses_it(tmp_path: Path) -> None:
    model = resnet18(num_classes=10)
    model.layer4 = nn.Sequential(model.layer4[0], model.layer4[1], model.layer4[1])
    reference = resnet18(num_classes=10)
    reference.layer4 = nn.Sequential(reference.layer4[0], reference.layer4[1], BasicBlock(512, 512))
    c = compare(model, _spec(reference, tmp_path), input_size=64, num_classes=10)
    shared = [m for m in c.mismatches if m.field == "shared_params"]
    assert (
        len(shared) == 1 and shared[0].reference_path == "layer4.2" and shared[0].actual == 6
    )  # conv1, bn1 (2), conv2, bn2 (2)
    assert c.findings or c.unexplained  # never "no difference"


def _spec(model: nn.Module, folder: Path) -> str:
    """A FILE.py:fn reference for a model built here (compare takes a spec for the reference)."""
    torch.save(model, folder / "m.pt")
    (folder / "ref.py").write_text(
        "import torch\n\ndef build(num_classes: int = 10):\n"
        f"    return torch.load({str(folder / 'm.pt')!r}, weights_only=False)\n"
    )
    return f"{folder / 'ref.py'}:build"


def test_one_batchnorm_called_twice_in_every_block_is_one_finding() -> None:
    class TwiceBN(BasicBlock):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn1(self.conv2(out))  # bn2 built, bn1 called again
            return self.relu(out + (self.downsample(x) if self.downsample is not None else x))

    model = resnet18(num_classes=10)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for block in layer:
            block.__class__ = TwiceBN
    c = compare(model, R18, input_size=64, num_classes=10)
    assert any(m.field == "shared_params" for m in c.mismatches)
    assert Pattern.REPEATED in {f.pattern for f in c.findings}


def test_a_relu_module_called_twice_shares_nothing() -> None:
    assert reused(trace(resnet18(num_classes=10), (1, 3, 64, 64))) == {}  # torchvision reuses self.relu


def test_shared_on_both_sides_is_no_difference(tmp_path: Path) -> None:
    model = resnet18(num_classes=10)
    model.layer4 = nn.Sequential(model.layer4[0], model.layer4[1], model.layer4[1])
    twin = resnet18(num_classes=10)
    twin.layer4 = nn.Sequential(twin.layer4[0], twin.layer4[1], twin.layer4[1])
    c = compare(model, _spec(twin, tmp_path), input_size=64, num_classes=10)
    assert not [m for m in c.mismatches if m.field == "shared_params"]


def test_a_gate_mlp_run_twice_in_its_block_is_the_gates_design() -> None:
    """CBAM runs one MLP on the avg- and the max-pooled vector; a PReLU module may serve two places:
    their own findings say so, no 'shared weights' beside them."""
    root = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "heldout"
    for spec in ("attention.py:cbam", "batch3_mixes.py:prelu"):
        model, _ = build_model(f"{root}/{spec}", num_classes=10)
        assert reused(trace(model, (1, 3, 64, 64))) == {}, spec


def test_weights_shared_in_the_reference_only_are_reported_the_other_way(tmp_path: Path) -> None:
    """CARN-M's reference runs one block three times; a candidate with three blocks of its own was
    compared clean (heldout48's carn_m_unshared): the same mismatch, phrased for the reference."""
    model = resnet18(num_classes=10)
    model.layer4 = nn.Sequential(model.layer4[0], model.layer4[1], BasicBlock(512, 512))
    reference = resnet18(num_classes=10)
    reference.layer4 = nn.Sequential(reference.layer4[0], reference.layer4[1], reference.layer4[1])
    c = compare(model, _spec(reference, tmp_path), input_size=64, num_classes=10)
    shared = [m for m in c.mismatches if m.field == "shared_params"]
    assert len(shared) == 1 and shared[0].expected == 6 and shared[0].actual == 0
    assert shared[0].candidate_path == "layer4.2"
    assert shared[0].message.startswith("in the reference, ") and (c.findings or c.unexplained)


class _Stack(nn.Module):
    """N-BEATS-like: fully connected blocks, each subtracting its backcast from the residual (no add:
    the finder reads the stack outside any block); ``shared`` runs one block three times."""

    def __init__(self, shared: bool) -> None:
        super().__init__()
        blocks = [
            nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 16)) for _ in range(1 if shared else 3)
        ]
        self.blocks = nn.ModuleList(blocks * 3 if shared else blocks)
        self.head = nn.Linear(16, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r = x.flatten(1)
        for block in self.blocks:
            r = r - block(r)
        return self.head(r)


def test_a_layer_run_again_on_what_it_made_outside_the_blocks_is_shared_either_way() -> None:
    """(#23 heldout55's nbeats_shared_block compared clean: its blocks are no residual adds.)"""
    for ref, cand in ((_Stack(False), _Stack(True)), (_Stack(True), _Stack(False))):
        c = compare_traces(trace(ref, (1, 4, 4)), trace(cand, (1, 4, 4)), reference_name="a",
                           candidate_name="b", num_classes=4)  # fmt: skip
        assert [m.field for m in c.mismatches] == ["shared_params"]
    same = compare_traces(trace(_Stack(True), (1, 4, 4)), trace(_Stack(True), (1, 4, 4)), reference_name="a",
                          candidate_name="b", num_classes=4)  # fmt: skip
    assert not same.mismatches
