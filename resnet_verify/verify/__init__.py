"""Align a candidate with a reference, diff them, explain the differences; numeric checks, porting."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Comparison, Finding, Mismatch

if TYPE_CHECKING:
    from resnet_verify.verify.equivalence import check_equivalence
    from resnet_verify.verify.porting import port

__all__ = ["Comparison", "Finding", "Mismatch", "check_equivalence", "compare", "compare_traces", "port"]

# The numeric check and porting pull in weights, folding, pairing and numeric (~25 ms of imports in
# a new process) that a plain compare never calls: imported on first use, as the package root does.
_LAZY = {"check_equivalence": "resnet_verify.verify.equivalence", "port": "resnet_verify.verify.porting"}


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
