"""transformers' ResNet and BiT, built from configs with random weights (nothing downloaded), for
``benchmarks/timm_sweep.py``: each builder is a ``FILE.py:CALLABLE`` spec the CLI accepts too."""

from __future__ import annotations

from typing import Any


def _resnet(depths: list[int], layer_type: str, num_classes: int, **kw: Any) -> Any:
    from transformers import ResNetConfig, ResNetForImageClassification

    hidden = [64, 128, 256, 512] if layer_type == "basic" else [256, 512, 1024, 2048]
    config = ResNetConfig(
        depths=depths, layer_type=layer_type, hidden_sizes=hidden, num_labels=num_classes, **kw
    )
    return ResNetForImageClassification(config).eval()


def hf_resnet18(num_classes: int = 1000) -> Any:
    return _resnet([2, 2, 2, 2], "basic", num_classes)


def hf_resnet34(num_classes: int = 1000) -> Any:
    return _resnet([3, 4, 6, 3], "basic", num_classes)


def hf_resnet50(num_classes: int = 1000) -> Any:
    return _resnet([3, 4, 6, 3], "bottleneck", num_classes)


def hf_resnet101(num_classes: int = 1000) -> Any:
    return _resnet([3, 4, 23, 3], "bottleneck", num_classes)


def hf_resnet50_downsample_first(num_classes: int = 1000) -> Any:
    return _resnet([3, 4, 6, 3], "bottleneck", num_classes, downsample_in_first_stage=True)


def hf_bit50(num_classes: int = 1000) -> Any:
    from transformers import BitConfig, BitForImageClassification

    config = BitConfig(depths=[3, 4, 6, 3], num_labels=num_classes)  # BiT-R50x1: GN + weight std., v2
    return BitForImageClassification(config).eval()
