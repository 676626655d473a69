"""Stages pair by width when every stage of one side has the width of one of the other's, in order
(verify/align.py ``_width_subsequence``): a DRN's thin early stages are extra, its dilated stages are
ResNet's layer3 and layer4, so the dilation is named where it is."""

from __future__ import annotations

from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "thin_then_dilated.py"


def test_thin_early_stages_are_extra_and_the_dilated_ones_pair_by_width() -> None:
    model = build_model(f"{FIXTURE}:thin_then_dilated", num_classes=6, device="meta")[0]
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    patterns = {f.pattern for f in c.findings}
    assert Pattern.OUTPUT_STRIDE in patterns, [f.title for f in c.findings]
    assert Pattern.WIDTHS not in patterns or all(
        "stem" in f.message for f in c.findings if f.pattern is Pattern.WIDTHS
    )
    rb, cb = c.reference.structure.blocks, c.candidate.structure.blocks
    widths = {(rb[p.reference].out_shape[1], cb[p.candidate].out_shape[1]) for p in c.blocks
              if p.reference is not None and p.candidate is not None}  # fmt: skip
    assert widths == {(64, 64), (128, 128), (256, 256), (512, 512)}


def test_a_cifar_network_still_pairs_by_progression() -> None:
    cifar = Path(__file__).parent / "fixtures" / "models" / "other_cifar_resnet20.py"
    model = build_model(f"{cifar}:build", num_classes=6, device="meta")[0]
    c = compare(model, "resnet18", input_size=32, num_classes=6)
    rb, cb = c.reference.structure.blocks, c.candidate.structure.blocks
    firsts = {cb[p.candidate].out_shape[1] for p in c.blocks
              if p.reference is not None and p.candidate is not None and rb[p.reference].path.startswith("layer1")}  # fmt: skip
    assert firsts == {16}


def test_a_head_sized_to_the_map_follows_the_output_stride() -> None:
    """DeepLab's image-pooling branch upsamples a pooled vector back to the map's size: at output stride
    8 against 16 that op's output differs in resolution only, a consequence of the dilated stages."""
    import torch
    import torch.nn.functional as F
    from torch import nn
    from torchvision.models import resnet50

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import compare_traces

    class Seg(nn.Module):
        def __init__(self, dilated: bool) -> None:
            super().__init__()
            self.body = resnet50(replace_stride_with_dilation=[False, dilated, dilated])
            self.proj = nn.Conv2d(2048, 16, 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            b = self.body
            y = b.layer4(b.layer3(b.layer2(b.layer1(b.maxpool(b.relu(b.bn1(b.conv1(x))))))))
            pooled = self.proj(F.adaptive_avg_pool2d(y, 1))
            return F.interpolate(pooled, size=y.shape[-2:], mode="nearest").mean((2, 3))

    with torch.device("meta"):
        a, b = Seg(False), Seg(True)
    c = compare_traces(trace(a, 64), trace(b, 64), reference_name="a", candidate_name="b", num_classes=16)
    assert [f.pattern for f in c.findings] == [Pattern.OUTPUT_STRIDE] and not c.unexplained
