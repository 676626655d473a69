"""resnet-verify: verify a hand-written ResNet against a reference ResNet.

The public API: :func:`build_model` (a SPEC string -> ``nn.Module``), :func:`trace`,
:func:`compare`, :func:`check_equivalence`, :func:`port`, :func:`render` and :func:`summarize`. Each lives in the
subpackage of its pipeline stage (``specs``, ``tracing``, ``verify``, ``report``); ``import
resnet_verify`` stays cheap because those subpackages are imported on first attribute access, and
the CLI can set OpenMP's environment before torch loads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from resnet_verify.report import render
    from resnet_verify.report.notebook import summarize
    from resnet_verify.specs import build_model
    from resnet_verify.tracing import trace
    from resnet_verify.verify import check_equivalence, compare, port

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "build_model",
    "check_equivalence",
    "compare",
    "port",
    "render",
    "summarize",
    "trace",
]

_HOMES = {
    "build_model": "resnet_verify.specs",
    "trace": "resnet_verify.tracing",
    "compare": "resnet_verify.verify",
    "check_equivalence": "resnet_verify.verify",
    "port": "resnet_verify.verify",
    "render": "resnet_verify.report",
    "summarize": "resnet_verify.report.notebook",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
