"""Pure renderers ``Comparison -> str``: no I/O, no timestamps, no absolute paths added."""

from resnet_verify.report.formats import FORMATS, render
from resnet_verify.report.json_report import load_report, to_dict

__all__ = ["FORMATS", "load_report", "render", "to_dict"]
