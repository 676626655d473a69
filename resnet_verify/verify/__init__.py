"""Align a candidate with a reference, diff them, explain the differences; numeric checks, porting."""

from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.equivalence import check_equivalence
from resnet_verify.verify.porting import port
from resnet_verify.verify.records import Comparison, Finding, Mismatch

__all__ = ["Comparison", "Finding", "Mismatch", "check_equivalence", "compare", "compare_traces", "port"]
