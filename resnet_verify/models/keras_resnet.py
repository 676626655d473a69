"""PyTorch ResNets that compute exactly what ``keras.applications.ResNet50/101/152`` compute.

Keras' ResNets are ResNet v1 (the stride-2 on each stage's first 1x1 conv), every conv has a bias,
and every BatchNorm uses ``epsilon=1.001e-5`` and Keras' momentum 0.99 (PyTorch's 0.01). Keras pads
the stem with ``ZeroPadding2D`` before valid convs / pools; PyTorch's own padding is the same
function there (the max pool's input is a ReLU output, so zero and -inf padding agree). Weights from
Keras port into these one to one (``resnet-verify port --from keras:ResNet50``); the state_dict keys
are torchvision's plus a ``bias`` per conv.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import torch
from torch import nn

if TYPE_CHECKING:
    from resnet_verify.models.resnet import ResNet

KERAS_BN_EPS = 1.001e-5
KERAS_BN_MOMENTUM = 0.01  # Keras momentum 0.99: PyTorch's momentum weighs the new batch


def _kerasify(model: nn.Module) -> None:
    for module in model.modules():
        if isinstance(module, nn.Conv2d) and module.bias is None:
            # Keras initialises conv biases to zero; the BN after each conv makes them redundant,
            # but they are real parameters of the Keras model and its weight files.
            module.bias = nn.Parameter(torch.zeros(module.out_channels, device=module.weight.device))
        elif isinstance(module, nn.BatchNorm2d):
            module.eps = KERAS_BN_EPS
            module.momentum = KERAS_BN_MOMENTUM


def _keras_builder(arch: str) -> Callable[..., ResNet]:
    def build(*, num_classes: int = 1000, in_channels: int = 3) -> ResNet:
        from resnet_verify.models.resnet import _make  # resnet.py registers these builders

        model = _make(
            arch, num_classes=num_classes, stride_in="1x1", zero_init_residual=False, in_channels=in_channels
        )
        _kerasify(model)
        return model

    build.__name__ = build.__qualname__ = f"{arch}_keras"
    build.__doc__ = (
        f"{arch} as keras.applications builds it: v1 stride, conv biases, BN eps 1.001e-5, momentum 0.01."
    )
    return build


resnet50_keras = _keras_builder("resnet50")
resnet101_keras = _keras_builder("resnet101")
resnet152_keras = _keras_builder("resnet152")

KERAS_BUILDERS: dict[str, Callable[..., ResNet]] = {
    f.__name__: f for f in (resnet50_keras, resnet101_keras, resnet152_keras)
}
