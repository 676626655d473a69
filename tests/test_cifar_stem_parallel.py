"""A CIFAR stem written as a Flipout layer (a mean conv and a perturbation conv, both on the input,
summed) against the same layer's ImageNet stem is the CIFAR stem, either way round; three 3x3 / 1 convs
in a row against one 7x7 / 2 conv are a stem of another kind, not the CIFAR stem."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _Flipout(nn.Module):
    def __init__(self, cin: int, cout: int, k: int, stride: int) -> None:
        super().__init__()
        self.mean = nn.Conv2d(cin, cout, k, stride, k // 2, bias=False)
        self.delta = nn.Conv2d(cin, cout, k, stride, k // 2, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.mean(x) + self.delta(x * 0.5)


class _Net(nn.Module):
    def __init__(self, stem: str) -> None:
        super().__init__()
        if stem == "cifar":
            self.stem = nn.Sequential(_Flipout(3, 8, 3, 1), nn.BatchNorm2d(8), nn.ReLU())
        elif stem == "imagenet":
            self.stem = nn.Sequential(
                _Flipout(3, 8, 7, 2), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(3, 2, 1)
            )
        else:  # three plain 3x3 / 1 convs
            self.stem = nn.Sequential(
                *(
                    m
                    for c in (3, 8, 8)
                    for m in (nn.Conv2d(c, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
                )
            )
        self.conv1, self.bn1 = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
        self.conv2, self.bn2 = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = torch.relu(self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))) + x)
        return self.fc(x.mean((2, 3)))


class _Plain(_Net):
    def __init__(self) -> None:
        super().__init__("imagenet")
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 7, 2, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU())


def _compare(cand: nn.Module, ref: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 32, 32)), trace(cand, (3, 32, 32)), reference_name="r",
                          candidate_name="c", num_classes=4)  # fmt: skip


@pytest.mark.parametrize("swap", [False, True])
def test_a_flipout_cifar_stem_is_the_cifar_stem(swap: bool) -> None:
    cifar, imagenet = _Net("cifar"), _Net("imagenet")
    c = _compare(imagenet, cifar) if swap else _compare(cifar, imagenet)
    assert Pattern.CIFAR_STEM in {f.pattern for f in c.findings}


def test_three_stride_one_convs_are_not_the_cifar_stem() -> None:
    c = _compare(_Net("deep"), _Plain())
    assert c.mismatches and Pattern.CIFAR_STEM not in {f.pattern for f in c.findings}
