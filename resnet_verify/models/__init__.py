"""The hand-written ResNet family (torchvision-state-dict compatible) and configurable blocks.

Everything in this folder is model code a user reads and runs, so source locations may point here.
"""

from resnet_verify.models.resnet import (
    MODEL_BUILDERS, BasicBlock, Bottleneck, FeatureInfo, ResNet, StagePlan, StrideIn,
    bottleneck_mid_channels, feature_info, reference_name_for, resnet18, resnet34, resnet50,
    resnet50_v1, resnet101, resnet101_v1, resnet152, resnet152_v1, resnext50_32x4d,
    resnext101_32x8d, resnext101_64x4d, stage_plans, wide_resnet50_2, wide_resnet101_2,
)

__all__ = [
    "MODEL_BUILDERS", "BasicBlock", "Bottleneck", "FeatureInfo", "ResNet", "StagePlan", "StrideIn",
    "bottleneck_mid_channels", "feature_info", "reference_name_for", "resnet18", "resnet34",
    "resnet50", "resnet50_v1", "resnet101", "resnet101_v1", "resnet152", "resnet152_v1",
    "resnext50_32x4d", "resnext101_32x8d", "resnext101_64x4d", "stage_plans", "wide_resnet50_2",
    "wide_resnet101_2",
]
