"""The CIFAR stem is named only on its whole signature: a 3x3 / 1 conv with no pool against a stem that
downsamples at least twofold with another kernel or a max pool. The same 3x3 conv at stride 2 (#23
heldout126 simsiam_stem_stride2) and a 7x7 / 1 conv that shrinks the map by its padding (heldout123
tv_stem_kernel_attr) are other differences, described, never named the CIFAR stem."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Net(nn.Module):
    def __init__(self, kernel: int, stride: int, padding: int, pool: bool) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel, stride, padding, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.pool = nn.MaxPool2d(3, 2, 1) if pool else nn.Identity()
        self.c1 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.b1 = nn.BatchNorm2d(16)
        self.c2 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.b2 = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = torch.relu(x + self.b2(self.c2(torch.relu(self.b1(self.c1(x))))))
        return self.fc(x.mean((2, 3)))


CIFAR = (3, 1, 1, False)


def _patterns(candidate: tuple[int, int, int, bool], reference: tuple[int, int, int, bool]) -> set[Pattern]:
    c = compare_traces(trace(_Net(*reference), 32), trace(_Net(*candidate), 32), reference_name="r",
                       candidate_name="c", num_classes=10)  # fmt: skip
    assert c.mismatches
    return {f.pattern for f in c.findings}


def test_the_cifar_stem_against_the_imagenet_stem_is_named_either_way() -> None:
    assert Pattern.CIFAR_STEM in _patterns(CIFAR, (7, 2, 3, True))
    assert Pattern.CIFAR_STEM in _patterns((7, 2, 3, True), CIFAR)


def test_a_stride_or_kernel_difference_is_not_the_cifar_stem() -> None:  # must not fire
    for other in ((3, 2, 1, False), (7, 1, 1, False)):
        assert Pattern.CIFAR_STEM not in _patterns(CIFAR, other)
        assert Pattern.CIFAR_STEM not in _patterns(other, CIFAR)
