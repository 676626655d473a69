"""``timm:NAME`` specs: ``timm.create_model(NAME, pretrained=False, num_classes=K)``.

Never downloads: ``pretrained=False`` always. timm is an optional extra
(``pip install 'resnet-verify[timm]'``); without it, or for a name timm does not know, the spec is
a usage error of one line.
"""

from __future__ import annotations

import contextlib
import difflib
from typing import Any

import torch
from torch import nn

from resnet_verify.errors import UsageError

TIMM_PREFIX = "timm:"


def build_timm(name: str, *, num_classes: int, device: torch.device | None = None) -> nn.Module:
    """timm's ``name`` with random weights and ``num_classes`` outputs."""
    if not name:
        raise UsageError("malformed model spec 'timm:': give a model name, e.g. timm:resnet50")
    try:
        import timm  # local: an optional, heavy dependency
    except ImportError:
        raise UsageError(
            f"timm:{name} needs timm, which is not installed: pip install 'resnet-verify[timm]'"
        ) from None
    if not timm.is_model(name):
        close = difflib.get_close_matches(name, timm.list_models(), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"timm has no model {name!r}{hint}")
    ctx: contextlib.AbstractContextManager[Any] = device if device is not None else contextlib.nullcontext()
    try:
        with ctx:
            model = timm.create_model(name, pretrained=False, num_classes=num_classes)
    except Exception as exc:
        text = str(exc).strip().splitlines()
        raise UsageError(
            f"building timm:{name} raised {type(exc).__name__}{': ' + text[0] if text else ''}"
        ) from None
    if not isinstance(model, nn.Module):  # pragma: no cover - timm builders return modules
        raise UsageError(f"timm:{name} returned {type(model).__name__}, not a torch.nn.Module")
    return model


__all__ = ["TIMM_PREFIX", "build_timm"]
