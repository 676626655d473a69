"""A gradient cut (``.detach()``, ``.data``) where the other side lets the gradient flow
(verify/gradient_diff.py): the same values everywhere, so nothing else in the comparison sees it."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern


class _Cut(BasicBlock):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x.detach() if self.downsample is None else self.downsample(x.data)
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(out + identity)


def _cut_resnet18() -> nn.Module:
    model = resnet18(num_classes=10)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for i, b in enumerate(layer):
            cut = _Cut(b.conv1.in_channels, b.conv2.out_channels, b.stride, b.downsample)
            layer[i] = cut
    return model


def test_a_detached_shortcut_is_a_difference_in_every_block_either_way() -> None:
    with torch.device("meta"):
        model = _cut_resnet18()
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    cuts = [m for m in c.mismatches if m.field == "gradient"]
    assert len(cuts) == 8 and all(m.candidate_op is not None for m in cuts)
    # x.detach() in the 5 identity blocks, x.data before the 3 projections: two lines, two findings
    assert [f.pattern for f in c.findings] == [Pattern.REPEATED] * 2, [f.title for f in c.findings]
    assert all("the gradient stopped" in f.message for f in c.findings)
    assert sorted(len(f.mismatches) for f in c.findings) == [3, 5]


def test_the_same_cut_on_both_sides_is_no_difference() -> None:
    with torch.device("meta"):
        model = _cut_resnet18()
    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.align import align_blocks
    from resnet_verify.verify.gradient_diff import gradient_mismatches

    t = trace(model, 64)
    assert not gradient_mismatches(t, t, align_blocks(t, t))
    with torch.device("meta"):
        plain = resnet18(num_classes=10)
    p = trace(plain, 64)
    swapped = gradient_mismatches(t, p, align_blocks(t, p))
    assert len(swapped) == 8 and all(m.reference_op is not None and m.candidate_op is None for m in swapped)


def test_a_detached_copy_nothing_returned_reads_cuts_nothing() -> None:
    """Grad-CAM's forward hook keeps ``output.detach()`` for later: the network's own path is untouched;
    a detached tensor the network goes on with is still a cut."""
    from torch import nn

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import compare_traces

    class Net(nn.Module):
        def __init__(self, how: str) -> None:
            super().__init__()
            self.conv, self.fc, self.how = nn.Conv2d(3, 8, 3), nn.Linear(8, 4), how
            self.kept: list[torch.Tensor] = []

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.conv(x)
            if self.how == "kept":
                self.kept.append(y.detach())
            elif self.how == "cut":
                y = y.detach()
            return self.fc(y.mean((2, 3)))

    def fields(how: str) -> list[str | None]:
        c = compare_traces(trace(Net("plain"), (3, 8, 8)), trace(Net(how), (3, 8, 8)), reference_name="a",
                           candidate_name="b", num_classes=4)  # fmt: skip
        return [m.field for m in c.mismatches]

    assert fields("kept") == []
    assert fields("cut") == ["gradient"]
