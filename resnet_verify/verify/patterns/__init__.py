"""Root causes: one detector per named ResNet variant, run from one registry over typed mismatches."""

from resnet_verify.verify.patterns.context import Context, Detector
from resnet_verify.verify.patterns.head import valid_input_sizes
from resnet_verify.verify.patterns.registry import DETECTORS, explain, run_detectors

__all__ = ["DETECTORS", "Context", "Detector", "explain", "run_detectors", "valid_input_sizes"]
