"""An in-place write into a tensor autograd kept for the backward is a difference even where the
forward agrees (verify/inplace_backward.py, #23 heldout35's ``identity += out``): the model cannot be
trained. torchvision's own in-place ReLUs and ``out += identity`` write into nothing kept."""

from __future__ import annotations

import pytest
import torch
from torchvision.models import resnet18, resnet50
from torchvision.models.resnet import BasicBlock

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.inplace_backward import breaking_writes


class _IntoTheInput(BasicBlock):
    """``identity += out``: the block's input, which conv1 kept for its weight gradient, overwritten."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        identity = self.downsample(x) if self.downsample is not None else x
        identity += out
        return self.relu(identity)


@pytest.mark.parametrize("build", [resnet18, resnet50])
def test_torchvision_writes_into_nothing_kept(build: object) -> None:
    with torch.device("meta"):
        model = build()  # type: ignore[operator]
    assert breaking_writes(trace(model, 64)) == {}


def test_an_add_into_a_kept_input_is_reported_and_really_fails() -> None:
    model = resnet18(num_classes=10)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for b in layer:
            b.__class__ = _IntoTheInput
    with pytest.raises(RuntimeError, match="inplace operation"):
        model.train()(torch.randn(2, 3, 32, 32)).sum().backward()
    c = compare(model.eval(), "resnet18", input_size=64, num_classes=10)
    hits = [m for m in c.mismatches if m.field == "backward"]
    assert len(hits) == 5 and all(
        (m.candidate_path or "").startswith("layer") for m in hits
    )  # no projection there
    assert c.findings and any("backward fails" in f.message for f in c.findings)


def _breaking(blocks: tuple[int, int, int, int]) -> torch.nn.Module:
    model = resnet18(num_classes=10)
    for layer, n in zip((model.layer1, model.layer2, model.layer3, model.layer4), blocks, strict=True):
        for b in layer:
            b.__class__ = _IntoTheInput
        while len(layer) > n:
            del layer[len(layer) - 1]
    return model.eval()


def test_the_same_breaking_write_on_both_sides_is_no_difference_block_for_block(tmp_path: object) -> None:
    """Both sides write in place in every block, one has a block fewer (#23 heldout51's
    blockdrop_drop_more): the counts differ, no write does; the missing block says it all."""
    import pathlib

    folder = pathlib.Path(str(tmp_path))
    torch.save(_breaking((2, 2, 2, 2)), folder / "m.pt")
    (folder / "ref.py").write_text(
        "import torch\n\ndef build(num_classes: int = 10):\n"
        f"    return torch.load({str(folder / 'm.pt')!r}, weights_only=False)\n"
    )
    c = compare(_breaking((2, 2, 1, 2)), f"{folder / 'ref.py'}:build", input_size=64, num_classes=10)
    assert c.mismatches and not [m for m in c.mismatches if m.field == "backward"]
