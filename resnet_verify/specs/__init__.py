"""SPEC string -> ``nn.Module`` (family name, ``torchvision:NAME``, ``FILE.py:CALLABLE``,
``MODULE:CALLABLE``), recording where user code constructed each module."""

from resnet_verify.specs.builders import build_model, build_reference, parse_input_size
from resnet_verify.specs.sources import record_sources

__all__ = ["build_model", "build_reference", "parse_input_size", "record_sources"]
